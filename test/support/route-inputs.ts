import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { getMetadataStorage } from 'class-validator';
import { findRule, type AccessRule } from '../../src/auth/access-rules.js';
import { registeredRoutes } from '../../src/auth/route-check.js';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'ALL', 'OPTIONS', 'HEAD', 'SEARCH'];
const QUERY = 4; // RouteParamtypes.QUERY

/** A route as express has it, its access rule, and the inputs a caller can put in it. */
export interface RouteInputs {
  method: string;
  /** Express pattern, `/api/problems/:id`. */
  path: string;
  rule: AccessRule;
  /** The `:name` segments (and the `*name` wildcards). */
  pathParams: string[];
  /** The query-string fields its handler reads (from the query DTO's validation metadata, or named `@Query('x')`). */
  queryParams: string[];
}

function asList(v: unknown): string[] {
  return (Array.isArray(v) ? v : [v]).map((x) => String(x ?? ''));
}

function join(a: string, b: string): string {
  const path = `/${[a, b]
    .map((s) => s.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;
  return path;
}

/** The fields a DTO class declares to class-validator (its whitelist), including inherited ones. */
function dtoFields(type: unknown): string[] {
  if (typeof type !== 'function' || [String, Number, Boolean, Object, Array].includes(type as never)) return [];
  const metas = getMetadataStorage().getTargetValidationMetadatas(type as new () => unknown, '', false, false);
  return [...new Set(metas.map((m) => m.propertyName))];
}

/**
 * Every route the running service has, joined with the access rule that governs it and the inputs its handler
 * reads from the URL. Built from what is registered, so a route added later is in the table without anyone
 * listing it; a registered route that the controllers' metadata cannot explain is reported in `unexplained`.
 */
export function routeInputs(app: INestApplication): { routes: RouteInputs[]; unexplained: string[] } {
  const handlers = new Map<string, string[]>();
  for (const mod of app.get(ModulesContainer).values()) {
    for (const wrapper of mod.controllers.values()) {
      const ctrl = wrapper.metatype as (new (...a: unknown[]) => unknown) | null;
      if (!ctrl) continue;
      const bases = asList(Reflect.getMetadata(PATH_METADATA, ctrl));
      const proto = ctrl.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const fn = proto[name];
        if (name === 'constructor' || typeof fn !== 'function') continue;
        const verb = Reflect.getMetadata(METHOD_METADATA, fn);
        if (verb === undefined) continue;
        const types: unknown[] = Reflect.getMetadata('design:paramtypes', proto, name) ?? [];
        const args: Record<string, { index: number; data?: unknown }> =
          Reflect.getMetadata(ROUTE_ARGS_METADATA, ctrl, name) ?? {};
        const query: string[] = [];
        for (const [key, arg] of Object.entries(args)) {
          const [kind] = key.split(':');
          const type = types[arg.index];
          if (kind === String(QUERY)) {
            if (typeof arg.data === 'string') query.push(arg.data);
            else query.push(...dtoFields(type));
          } else if (key.includes('__customRouteArgs__') && typeof type === 'function' && /Query$/.test(type.name)) {
            query.push(...dtoFields(type)); // the engine-rest query decorator
          }
        }
        for (const base of bases) {
          for (const sub of asList(Reflect.getMetadata(PATH_METADATA, fn))) {
            handlers.set(`${METHODS[verb]} ${join(base, sub)}`, [...new Set(query)]);
          }
        }
      }
    }
  }
  const routes: RouteInputs[] = [];
  const unexplained: string[] = [];
  const seen = new Set<string>();
  for (const r of registeredRoutes(app.getHttpAdapter().getInstance())) {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const rule = findRule(r.method, r.path);
    const query = handlers.get(key);
    if (!rule) continue; // refused to everybody; the access matrix reports it
    if (query === undefined) {
      // The API documentation's own routes (swagger) are no controller's.
      if (!r.path.startsWith('/api/docs')) unexplained.push(key);
      continue;
    }
    const pathParams = [...r.path.matchAll(/[:*](\w+)/g)].map((m) => m[1]);
    routes.push({ method: r.method, path: r.path, rule, pathParams, queryParams: query });
  }
  return { routes, unexplained };
}

/** The path with each parameter replaced (a value per name, or one for all), URL-encoded. */
export function fillPath(path: string, values: Record<string, string> | ((name: string) => string)): string {
  const value = typeof values === 'function' ? values : (n: string) => values[n] ?? 'x';
  return path.replace(/([:*])(\w+)/g, (_, __, name: string) => encodeURIComponent(value(name)));
}
