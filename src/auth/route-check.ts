import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AppConfig } from '../config/app-config.js';
import { findRule, ruleTableProblems } from './access-rules.js';

export interface RegisteredRoute {
  method: string;
  path: string;
}

/** Every route express has, as registered (Nest's controllers and the documentation's own routes). */
export function registeredRoutes(expressApp: unknown): RegisteredRoute[] {
  const app = expressApp as { router?: { stack: any[] }; _router?: { stack: any[] } };
  const stack = app.router?.stack ?? app._router?.stack ?? [];
  const out: RegisteredRoute[] = [];
  for (const layer of stack) {
    const route = layer.route as { path: string | string[]; methods: Record<string, boolean> } | undefined;
    if (!route) continue;
    const paths = Array.isArray(route.path) ? route.path : [route.path];
    for (const [m, on] of Object.entries(route.methods)) {
      if (!on) continue;
      for (const path of paths) out.push({ method: m === '_all' ? '*' : m.toUpperCase(), path });
    }
  }
  return out;
}

/** Routes without an access rule: refused at run time, and a start-up error in tests. */
export function routesWithoutRule(routes: RegisteredRoute[]): RegisteredRoute[] {
  return routes.filter((r) =>
    (r.method === '*' ? ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] : [r.method]).some((m) => !findRule(m, r.path)),
  );
}

/**
 * At start-up, every registered route must have a rule in ACCESS_RULES. Without one it is refused to
 * everybody (default deny); in tests (NODE_ENV=test) the service does not start, naming the routes.
 */
@Injectable()
export class RouteCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger('access');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return;
    const problems = ruleTableProblems();
    const missing = routesWithoutRule(registeredRoutes(adapter.getInstance()));
    const lines = [
      ...problems,
      ...missing.map((r) => `${r.method} ${r.path}: no access rule (src/auth/access-rules.ts); refused to everybody`),
    ];
    if (!lines.length) return;
    const message = `access rules:\n  ${lines.join('\n  ')}`;
    if (this.config.NODE_ENV === 'test') throw new Error(message);
    this.logger.error(message);
  }
}
