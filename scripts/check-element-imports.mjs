#!/usr/bin/env node
// Part of `npm run lint`: Element Plus is taken on demand (src/web/app/element.ts), so a page that uses a
// component must import it. Fails, naming file and line, when a .vue file of src/web/app
//  - uses `<el-xxx>` / `<ElXxx>` in its template, or `ElXxx` in its script, without importing ElXxx
//    (the frame's components registered in element.ts need no import);
//  - uses a component whose style element.ts does not load (`element-plus/es/components/xxx/style/css`);
// and when an icon named by string (a route's `icon`, an `icon="Xxx"` attribute) is not registered in element.ts.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@vue/compiler-sfc';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const APP = path.join(root, 'src/web/app');
const ELEMENT = path.join(APP, 'element.ts');

/** ElTableColumn → table-column (the folder of its style in element-plus/es/components). */
const kebab = (name) =>
  name
    .slice(2)
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase();
/** el-table-column → ElTableColumn. */
const pascal = (tag) =>
  tag
    .split('-')
    .map((s) => s.charAt(0).toUpperCase() + s.slice(1))
    .join('');

function globals(source) {
  const list = /const COMPONENTS = \[([^\]]*)\]/.exec(source);
  if (!list) throw new Error(`${path.relative(root, ELEMENT)}: the COMPONENTS list was not found`);
  return new Set(list[1].match(/El[A-Za-z]+/g) ?? []);
}

function icons(source) {
  const list = /const ICONS = \{([^}]*)\}/.exec(source);
  if (!list) throw new Error(`${path.relative(root, ELEMENT)}: the ICONS list was not found`);
  return new Set(list[1].match(/[A-Z][A-Za-z]+/g) ?? []);
}

/** Icons the routes name: `icon: 'Bell'`, and the office's page(path, title, menu, icon, …). */
function routeIcons(dir) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => {
      const text = readFileSync(path.join(dir, f), 'utf8');
      const found = [
        ...text.matchAll(/icon: '([A-Za-z]+)'/g),
        ...text.matchAll(/page\(\s*'[^']*',\s*'[^']*',\s*'[^']*',\s*'([A-Za-z]+)'/g),
      ];
      return found.map((m) => [path.relative(root, path.join(dir, f)), m[1]]);
    });
}

function styles(source) {
  return new Set([...source.matchAll(/element-plus\/es\/components\/([a-z-]+)\/style\/css/g)].map((m) => m[1]));
}

function vueFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return vueFiles(p);
    return e.name.endsWith('.vue') ? [p] : [];
  });
}

/** Local names bound by the script's import statements. */
function importedNames(script) {
  const names = new Set();
  for (const m of script.matchAll(/import\s+(?:type\s+)?([^'";]*?)\s+from\s*['"][^'"]+['"]/g)) {
    const clause = m[1];
    const braces = /\{([^}]*)\}/.exec(clause);
    if (braces)
      for (const spec of braces[1].split(',')) {
        const local = spec
          .trim()
          .split(/\s+as\s+/)
          .pop();
        if (local) names.add(local.replace(/^type\s+/, ''));
      }
    const def = /^\s*([A-Za-z_$][\w$]*)/.exec(clause.replace(/\{[^}]*\}/, ''));
    if (def) names.add(def[1]);
  }
  return names;
}

/** Icons named by a static `icon="Xxx"` attribute of the template (an ElResult's `icon="info"` is not one): [name, line]. */
function templateIcons(ast) {
  const out = [];
  const walk = (node) => {
    if (node.type === 1)
      for (const p of node.props ?? [])
        if (p.type === 6 && p.name === 'icon' && /^[A-Z]/.test(p.value?.content ?? ''))
          out.push([p.value.content, p.loc.start.line]);
    for (const c of node.children ?? []) walk(c);
  };
  walk(ast);
  return out;
}

/** Element Plus components of the template: [name, line]. */
function templateUses(ast) {
  const out = [];
  const walk = (node) => {
    if (node.type === 1) {
      const tag = node.tag;
      if (/^el-[a-z]/.test(tag)) out.push([pascal(tag), node.loc.start.line]);
      else if (/^El[A-Z]/.test(tag)) out.push([tag, node.loc.start.line]);
    }
    for (const c of node.children ?? []) walk(c);
    for (const b of node.branches ?? []) walk(b);
  };
  walk(ast);
  return out;
}

/** ElXxx identifiers of the script outside its imports, strings and comments: [name, line]. */
function scriptUses(content, startLine) {
  const code = content
    .replace(/\/\*[\s\S]*?\*\//g, (s) => s.replace(/[^\n]/g, ' '))
    .replace(/\/\/[^\n]*/g, (s) => ' '.repeat(s.length))
    .replace(/(['"`])(?:\\.|(?!\1)[^\\\n])*\1/g, (s) => ' '.repeat(s.length))
    .replace(/import\s+[^;]*?from\s*\S+/g, (s) => s.replace(/[^\n]/g, ' '));
  const out = [];
  code.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/(?<![\w$.])El[A-Z][A-Za-z]*\b/g)) out.push([m[0], startLine + i]);
  });
  return out;
}

export function check() {
  const element = readFileSync(ELEMENT, 'utf8');
  const global = globals(element);
  const styled = styles(element);
  const registered = icons(element);
  const problems = [];
  for (const [file, icon] of routeIcons(path.join(APP, 'router')))
    if (!registered.has(icon))
      problems.push(`${file}: icon ${icon} is not registered in src/web/app/element.ts (ICONS)`);
  for (const file of vueFiles(APP)) {
    const rel = path.relative(root, file);
    const { descriptor, errors } = parse(readFileSync(file, 'utf8'), { filename: file });
    if (errors.length) {
      problems.push(`${rel}: ${errors[0].message}`);
      continue;
    }
    const scripts = [descriptor.script, descriptor.scriptSetup].filter(Boolean);
    const imported = new Set(scripts.flatMap((s) => [...importedNames(s.content)]));
    const uses = [
      ...(descriptor.template?.ast ? templateUses(descriptor.template.ast) : []),
      ...scripts.flatMap((s) => scriptUses(s.content, s.loc.start.line)),
    ];
    for (const [icon, line] of descriptor.template?.ast ? templateIcons(descriptor.template.ast) : [])
      if (!registered.has(icon))
        problems.push(`${rel}:${line}: icon ${icon} is not registered in src/web/app/element.ts (ICONS)`);
    const reported = new Set();
    for (const [name, line] of uses) {
      if (!imported.has(name) && !global.has(name) && !reported.has(name)) {
        reported.add(name);
        problems.push(`${rel}:${line}: ${name} is used but not imported (import { ${name} } from 'element-plus')`);
      }
      const style = kebab(name);
      if (!styled.has(style) && !reported.has(`style:${style}`)) {
        reported.add(`style:${style}`);
        problems.push(
          `${rel}:${line}: ${name} has no style in src/web/app/element.ts (import 'element-plus/es/components/${style}/style/css')`,
        );
      }
    }
  }
  return problems;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = check();
  for (const p of problems) console.error(p);
  if (problems.length) {
    console.error(
      `${problems.length} Element Plus component(s) or icon(s) used without their import, style or registration`,
    );
    process.exit(1);
  }
  console.log(
    'Element Plus: every component the pages use is imported, with its style; every icon named is registered',
  );
}
