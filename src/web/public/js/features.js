// Which optional APIs this service has (other modules land over time): read once from the OpenAPI document,
// so a page neither calls a route that is not there nor logs the 404 of trying.
let paths;

export async function has(method, path) {
  paths ??= fetch('/api/docs-json')
    .then((r) => (r.ok ? r.json() : { paths: {} }))
    .then((doc) => doc.paths || {})
    .catch(() => ({}));
  const p = (await paths)[path];
  return Boolean(p && p[method.toLowerCase()]);
}
