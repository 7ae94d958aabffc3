// Which optional routes this service has (modules land over time): read once from the OpenAPI document, so a
// page neither calls a route that is not there nor logs the 404 of trying.

let paths: Promise<Record<string, Record<string, unknown>>> | null = null;

export async function hasRoute(method: string, path: string): Promise<boolean> {
  paths ??= fetch('/api/docs-json')
    .then((r) => (r.ok ? r.json() : { paths: {} }))
    .then((doc: { paths?: Record<string, Record<string, unknown>> }) => doc.paths ?? {})
    .catch(() => ({}));
  const p = (await paths)[path];
  return Boolean(p && p[method.toLowerCase()]);
}
