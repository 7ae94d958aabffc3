import { HttpException, Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuditService } from '../audit/audit.service.js';
import { CamundaError } from '../engine-rest/camunda-error.js';
import { AccessResolvers } from './access-resolvers.js';
import { findRule, isReadMethod, roleDecision, type AccessRule } from './access-rules.js';
import { AuthService, type Authenticated } from './auth.service.js';
import { throttleAddress } from './client-address.js';
import type { AuthUser } from './auth-user.js';
import { supervisedRoot } from '../org/office-scope.js';

type Refusal = { status: 401 | 403; reason: string; user?: AuthUser };

/** Lists that narrow to a unit's subtree with `within` (an office of a lower level gets its own). */
const WITHIN_ROUTES = new Set(['/api/problems', '/api/supervision/actions']);

/**
 * Every call, checked against ACCESS_RULES: who is calling (bearer token; HTTP Basic where the rule takes
 * it), whether the role may call the route, and for scoped accounts whether the resource is theirs.
 * A refusal carries no data, and is written to the audit trail.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('access');

  constructor(
    private readonly auth: AuthService,
    private readonly resolvers: AccessResolvers,
    private readonly audit: AuditService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const route: string = req.route?.path ?? req.path;
    const rule = findRule(req.method, route);
    const refusal = await this.check(req, route, rule);
    if (!refusal) return true;
    await this.audit
      .record({
        actor: refusal.user?.accountId ?? 'anonymous',
        actorName: refusal.user?.username ?? null,
        action: 'access.refused',
        entityType: 'route',
        entityId: `${req.method} ${route}`,
        details: { method: req.method, path: req.path, status: refusal.status, reason: refusal.reason },
      })
      .catch((e) => this.logger.error(`could not record a refusal: ${(e as Error).message}`));
    throw refuse(route, refusal, res);
  }

  private async check(
    req: Request & { user?: AuthUser },
    route: string,
    rule: AccessRule | undefined,
  ): Promise<Refusal | null> {
    if (rule?.allow === 'public') {
      // Credentials on a public route only say who is calling; checking them must not stop the call.
      const who = await this.identify(req, rule).catch(() => null);
      if (who?.ok) req.user = who.user;
      return null;
    }
    const who = await this.identify(req, rule);
    if (!who) return { status: 401, reason: 'no credentials' };
    if (!who.ok) return { status: 401, reason: who.reason };
    const user = who.user;
    req.user = user;
    if (!rule) return { status: 403, reason: `no access rule for ${req.method} ${route}`, user };
    // The Camunda-compatible API is the deployment's own tooling: it reads every process, so an office of a
    // lower level, which sees its subtree only, works through the pages.
    if (route.startsWith('/engine-rest') && supervisedRoot(user))
      return { status: 403, reason: 'an office of a lower level may not use /engine-rest', user };
    const decision = roleDecision(rule, user.role, req.method);
    if (decision === 'deny')
      return { status: 403, reason: `role ${user.role} may not call ${rule.method} ${rule.path}`, user };
    const scope = rule.scope;
    if (decision === 'allow') return supervisedRoot(user) && scope ? this.officeScope(req, user, scope) : null;
    if (decision === 'unit-scope' && scope && 'unitQuery' in scope) {
      // The list shows the account's own unit, whatever filter was asked for.
      Object.defineProperty(req, 'query', {
        value: { ...req.query, [scope.unitQuery]: user.unitCode },
        writable: true,
        configurable: true,
        enumerable: true,
      });
      return null;
    }
    if (scope && 'resource' in scope) {
      const id = String(req.params?.[scope.param] ?? '');
      const action = Boolean(rule.taskAction) && !isReadMethod(req.method);
      if (await this.resolvers.owns(scope.resource, id, user, { action, query: req.query })) return null;
      return { status: 403, reason: `${scope.resource} ${id} is not this account's`, user };
    }
    return { status: 403, reason: `rule ${rule.method} ${rule.path} has no scope for role ${user.role}`, user };
  }

  /**
   * 分级督办: an office of a lower level reads and acts on the problems of its own subtree only. A list is
   * narrowed to the subtree (`within`), whatever was asked; a problem, task or file of another subtree is refused.
   */
  private async officeScope(
    req: Request & { user?: AuthUser },
    user: AuthUser,
    scope: NonNullable<AccessRule['scope']>,
  ): Promise<Refusal | null> {
    if ('unitQuery' in scope) {
      if (!WITHIN_ROUTES.has(req.route?.path ?? '')) return null;
      Object.defineProperty(req, 'query', {
        value: { ...req.query, within: user.unitCode },
        writable: true,
        configurable: true,
        enumerable: true,
      });
      return null;
    }
    const id = String(req.params?.[scope.param] ?? '');
    if (await this.resolvers.inOfficeSubtree(scope.resource, id, user)) return null;
    return { status: 403, reason: `${scope.resource} ${id} is outside the office's subtree`, user };
  }

  /** null: no credentials sent. */
  private async identify(req: Request, rule: AccessRule | undefined): Promise<Authenticated | null> {
    const header = req.headers.authorization;
    if (!header) return null;
    const [scheme, value = ''] = header.split(' ', 2);
    if (/^bearer$/i.test(scheme)) return this.auth.authenticateBearer(value.trim());
    if (/^basic$/i.test(scheme)) {
      if (!rule?.basic)
        return { ok: false, reason: 'HTTP Basic is accepted at /engine-rest only; sign in for a token' };
      const decoded = Buffer.from(value.trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      // No account's name is longer than 64 characters, and sign-in takes passwords of up to 1024.
      const malformed = colon < 1 || colon > 64 || decoded.length - colon - 1 > 1024;
      if (malformed) return { ok: false, reason: 'malformed Basic credentials' };
      return this.auth.authenticateBasic(decoded.slice(0, colon), decoded.slice(colon + 1), throttleAddress(req.ip));
    }
    return { ok: false, reason: `unknown authorization scheme ${scheme.slice(0, 20)}` };
  }
}

function refuse(route: string, r: Refusal, res: Response): Error {
  const message =
    r.status === 401
      ? r.reason.startsWith('token expired')
        ? '登录已过期，请重新登录'
        : '请先登录'
      : '当前账号无权进行此操作';
  if (route.startsWith('/engine-rest')) {
    // Camunda's shape, and the Basic challenge Camunda Modeler answers with its credentials dialog.
    if (r.status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="duban engine-rest"');
    return new CamundaError(r.status, r.status === 401 ? 'AuthenticationException' : 'AuthorizationException', message);
  }
  if (r.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
  return new HttpException(
    { statusCode: r.status, error: r.status === 401 ? 'Unauthorized' : 'Forbidden', message },
    r.status,
  );
}
