/**
 * The URL a worker thread starts from: the compiled `<name>.js` beside the module at `here` (its
 * `import.meta.url`); from the TypeScript sources (the tests), a bootstrap that has Node compile them on load
 * with the compiler the tests use (ts-source-hooks.mjs).
 */
export function workerEntry(here: string, name: string): URL {
  if (!here.endsWith('.ts')) return new URL(`./${name}.js`, here);
  const hooks = new URL('./ts-source-hooks.mjs', import.meta.url).href;
  const worker = new URL(`./${name}.ts`, here).href;
  const bootstrap = [
    `import { register } from 'node:module';`,
    `register(${JSON.stringify(hooks)});`,
    `await import(${JSON.stringify(worker)});`,
  ].join('\n');
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);
}
