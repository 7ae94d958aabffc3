#!/usr/bin/env node
// Reads Camunda 7's OpenAPI templates (engine-rest/engine-rest-openapi/src/main/templates of a
// camunda/camunda-bpm-platform checkout, Apache-2.0) and writes test/fixtures/camunda/openapi-models.json: the
// response models /engine-rest answers with (property names, types, formats, nested models) and the query
// parameters and the status codes of every path. Camunda builds its openapi.json from these FreeMarker templates with Maven; this
// reads the same macro calls (`<@lib.dto>`, `<@lib.property>`, `<@lib.parameter>`, `<#assign params = {…}>`
// with `<@lib.parameters>`, `<#include>`) without a Java build. Conditionals are read as both branches, so a
// path's parameter list is the union of its GET and POST variants where one template serves both.
//
//   node scripts/camunda-openapi-extract.mjs <camunda-bpm-platform checkout>
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(root, 'test/fixtures/camunda/openapi-models.json');

/** The models /engine-rest answers with; the models they nest are taken along. */
const MODELS = [
  'ActivityInstanceDto',
  'ActivityStatisticsResultDto',
  'CommentDto',
  'CountResultDto',
  'DeploymentDto',
  'DeploymentResourceDto',
  'DeploymentWithDefinitionsDto',
  'ExceptionDto',
  'ExternalTaskDto',
  'HistoricActivityInstanceDto',
  'HistoricIncidentDto',
  'HistoricProcessInstanceDto',
  'HistoricTaskInstanceDto',
  'HistoricVariableInstanceDto',
  'IdentityLinkDto',
  'IncidentDto',
  'JobDto',
  'LockedExternalTaskDto',
  'ParseExceptionDto',
  'ProcessDefinitionDto',
  'ProcessDefinitionStatisticsResultDto',
  'ProcessInstanceDto',
  'ProcessInstanceWithVariablesDto',
  'TaskDto',
  'VariableValueDto',
];

/** Reads the attributes of one macro call from `s` at `i` up to its closing `>` or `/>`. */
function readAttrs(s, i) {
  const attrs = {};
  for (;;) {
    while (/\s/.test(s[i])) i++;
    if (s.startsWith('/>', i)) return { attrs, end: i + 2, selfClosing: true };
    if (s[i] === '>') return { attrs, end: i + 1, selfClosing: false };
    const name = /^[A-Za-z_]\w*/.exec(s.slice(i, i + 80));
    if (!name) throw new Error(`unreadable macro attribute at ${JSON.stringify(s.slice(i, i + 40))}`);
    i += name[0].length;
    while (/\s/.test(s[i])) i++;
    if (s[i] !== '=') {
      attrs[name[0]] = true;
      continue;
    }
    i++;
    while (/\s/.test(s[i])) i++;
    const start = i;
    i = skipValue(s, i);
    attrs[name[0]] = unquote(s.slice(start, i));
  }
}

/** Skips one FreeMarker value: a string, a list or hash, or a bare word or expression up to a space or `>`. */
function skipValue(s, i) {
  if (s[i] === '"' || s[i] === "'") return skipString(s, i);
  if (s[i] === '[' || s[i] === '{') return skipBracketed(s, i);
  while (i < s.length && !/\s/.test(s[i]) && s[i] !== '>' && !s.startsWith('/>', i)) i++;
  return i;
}

function skipString(s, i) {
  const q = s[i++];
  while (i < s.length && s[i] !== q) i += s[i] === '\\' ? 2 : 1;
  return i + 1;
}

function skipBracketed(s, i) {
  let depth = 0;
  for (; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'") i = skipString(s, i) - 1;
    else if (c === '[' || c === '{') depth++;
    else if ((c === ']' || c === '}') && --depth === 0) return i + 1;
  }
  throw new Error('unbalanced brackets');
}

function unquote(v) {
  return (v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")) ? v.slice(1, -1) : v;
}

/** The top-level keys of a FreeMarker hash literal `{ "a": {…}, "b": {…} }`. */
function hashKeys(s) {
  const keys = [];
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"' || c === "'") {
      const end = skipString(s, i);
      if (depth === 1 && /^\s*:/.test(s.slice(end, end + 10))) keys.push(s.slice(i + 1, end - 1));
      i = end - 1;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return keys;
}

/** The template with its `<#include>`s inlined (relative to the templates folder) and comments dropped. */
function expand(templates, file, seen = new Set()) {
  if (seen.has(file)) throw new Error(`include cycle at ${file}`);
  const text = readFileSync(file, 'utf8').replace(/<#--[\s\S]*?-->/g, '');
  return text.replace(/<#include\s+"([^"]+)"\s*\/?>/g, (_, inc) =>
    expand(templates, path.join(templates, inc), new Set([...seen, file])),
  );
}

/** Every macro call `<@lib.NAME …>` and hash assignment `<#assign X = {…}>` of a text, in order. */
function* calls(s) {
  const re = /<@lib\.(\w+)|<#assign\s+(\w+)\s*=\s*/g;
  let m;
  while ((m = re.exec(s))) {
    if (m[1]) {
      const { attrs, end } = readAttrs(s, m.index + m[0].length);
      re.lastIndex = end;
      yield { macro: m[1], attrs };
    } else {
      const start = m.index + m[0].length;
      if (s[start] !== '{') continue;
      const end = skipBracketed(s, start);
      re.lastIndex = end;
      yield { assign: m[2], keys: hashKeys(s.slice(start, end)) };
    }
  }
}

function model(templates, file) {
  const props = {};
  let ext;
  for (const c of calls(expand(templates, file))) {
    if (c.macro === 'dto' && typeof c.attrs.extends === 'string') ext = c.attrs.extends;
    if (c.macro !== 'property' || typeof c.attrs.name !== 'string') continue;
    const p = { type: c.attrs.type ?? 'object' };
    for (const k of ['format', 'dto', 'itemType']) if (typeof c.attrs[k] === 'string') p[k] = c.attrs[k];
    props[c.attrs.name] = p;
  }
  return ext ? { props, extends: ext } : { props };
}

/** An operation's query parameters and the status codes it answers with. */
function operation(templates, file) {
  const hashes = {};
  const names = new Set();
  const codes = new Set();
  for (const c of calls(expand(templates, file))) {
    if (c.assign) hashes[c.assign] = c.keys;
    else if (c.macro === 'parameter' && c.attrs.location === 'query') names.add(c.attrs.name);
    else if (c.macro === 'parameters' && typeof c.attrs.object === 'string')
      for (const k of hashes[c.attrs.object] ?? []) names.add(k);
    else if (c.macro === 'response' && typeof c.attrs.code === 'string') codes.add(Number(c.attrs.code));
  }
  return { query: [...names].sort(), codes: [...codes].sort() };
}

function walk(dir) {
  return readdirSync(dir).flatMap((e) => {
    const p = path.join(dir, e);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const checkout = process.argv[2];
const templates = checkout && path.join(checkout, 'engine-rest/engine-rest-openapi/src/main/templates');
if (!templates || !existsSync(templates)) {
  console.error('usage: node scripts/camunda-openapi-extract.mjs <camunda-bpm-platform checkout>');
  process.exit(2);
}

const modelFiles = new Map(walk(path.join(templates, 'models')).map((f) => [path.basename(f, '.ftl'), f]));
const models = {};
const todo = [...MODELS];
while (todo.length) {
  const name = todo.shift();
  if (models[name]) continue;
  const file = modelFiles.get(name);
  if (!file) throw new Error(`no template for model ${name}`);
  models[name] = model(templates, file);
  for (const p of Object.values(models[name].props)) if (p.dto && p.dto !== 'AnyValue') todo.push(p.dto);
  if (models[name].extends) todo.push(models[name].extends);
}

const paths = {};
const pathsDir = path.join(templates, 'paths');
for (const f of walk(pathsDir).sort()) {
  const rel = path.relative(pathsDir, f);
  const route = `/${path.dirname(rel).split(path.sep).join('/')}`;
  const method = path.basename(rel, '.ftl');
  (paths[route] ??= {})[method] = operation(templates, f);
}

const sorted = (o) =>
  Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  );
writeFileSync(
  OUT,
  `${JSON.stringify(
    {
      _source:
        'Extracted by scripts/camunda-openapi-extract.mjs from camunda/camunda-bpm-platform engine-rest/engine-rest-openapi/src/main/templates (Apache-2.0): the response models /engine-rest answers with, and of every path its query parameters and the status codes it answers with.',
      models: sorted(models),
      paths,
    },
    null,
    1,
  )}\n`,
);
console.log(`${Object.keys(models).length} models, ${Object.keys(paths).length} paths → ${path.relative(root, OUT)}`);
