import { Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { defer, mergeMap, of, type Observable } from 'rxjs';
import type { AuthUser } from '../auth/auth-user.js';
import { stepAuditSlot } from '../auth/call-context.js';
import { CalendarService } from '../calendar/calendar.service.js';
import { AuditService, type AuditInput } from './audit.service.js';

type Req = Request & { user?: AuthUser };

/** Recorded by their own services in their own transaction (an import by its job), or reads sent as POST (queries, worker polls). */
const NOT_HERE = new Set([
  'POST /api/problems/import',
  'POST /api/auth/login',
  'POST /api/auth/refresh',
  'POST /api/accounts',
  'PATCH /api/accounts/:id',
  'POST /api/accounts/:id/reset-password',
  'POST /api/problems',
  'PATCH /api/problems/:id',
  'PATCH /api/units/:code',
  'PATCH /api/persons/:id',
  'POST /engine-rest/task',
  'POST /engine-rest/external-task/fetchAndLock',
]);

/**
 * Every call that changes something, by whom, once it has succeeded: calendar changes with the year before and after, units,
 * persons, clock moves, deployments; any other change as `api.call`. These modules have no step-like hook,
 * so their entries follow the change's own commit rather than sharing its transaction.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('audit');

  constructor(
    private readonly audit: AuditService,
    private readonly calendar: CalendarService,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<Req>();
    const route: string = req.route?.path ?? req.path;
    const key = `${req.method} ${route}`;
    if (req.method === 'GET' || req.method === 'HEAD' || !req.user || NOT_HERE.has(key) || route.endsWith('/count'))
      return next.handle();
    const user = req.user;
    const before$: Observable<unknown> =
      // The year as it was, for the entry; a parameter that is no year is refused by the route, read nothing.
      key === 'PUT /api/calendar/years/:year' && /^\d{4}$/.test(String(req.params.year))
        ? defer(() => this.calendar.getYear(Number(req.params.year)).catch(() => null))
        : of(undefined);
    // An entry that needs nothing of the answer rides with the first engine step the call causes (a task
    // completed…), in that step's transaction; a call that caused none records it once it has succeeded.
    const slot = stepAuditSlot(req);
    if (!BY_ANSWER.has(key)) slot.entries = entriesFor(key, req, user, undefined, undefined);
    return before$.pipe(
      mergeMap((before) =>
        next.handle().pipe(
          mergeMap(async (body) => {
            if (slot.taken) return body;
            await this.audit
              .recordMany(entriesFor(key, req, user, before, body))
              .catch((e) => this.logger.error(`not recorded: ${key}: ${(e as Error).message}`));
            return body;
          }),
        ),
      ),
    );
  }
}

/** Calls whose entries hold what they answered (or what was there before): recorded after them. */
const BY_ANSWER = new Set([
  'PUT /api/calendar/years/:year',
  'POST /api/units',
  'POST /api/persons',
  'POST /api/admin/clock/pin',
  'POST /api/admin/clock/add',
  'POST /engine-rest/deployment/create',
]);

function entriesFor(key: string, req: Req, user: AuthUser, before: unknown, body: any): AuditInput[] {
  const by = { actor: user.accountId, actorName: user.username };
  switch (key) {
    case 'PUT /api/calendar/years/:year':
      return [
        {
          ...by,
          action: 'calendar.year_replaced',
          entityType: 'calendar_year',
          entityId: String(req.params.year),
          before: before ?? null,
          after: req.body,
          details: body,
        },
      ];
    case 'POST /api/units':
      return [{ ...by, action: 'unit.created', entityType: 'unit', entityId: body?.code, after: body }];
    case 'POST /api/persons':
      return [{ ...by, action: 'person.created', entityType: 'person', entityId: body?.id, after: body }];
    case 'POST /api/admin/clock/pin':
    case 'POST /api/admin/clock/add':
      return [
        { ...by, action: 'clock.moved', entityType: 'clock', entityId: null, details: { request: req.body, ...body } },
      ];
    case 'POST /engine-rest/deployment/create':
      return [
        {
          ...by,
          action: 'deployment.created',
          entityType: 'deployment',
          entityId: body?.id,
          details: { name: body?.name, definitions: Object.keys(body?.deployedProcessDefinitions ?? {}) },
        },
      ];
    default:
      return [
        {
          ...by,
          action: 'api.call',
          entityType: 'route',
          entityId: key,
          details: { method: req.method, path: req.path, params: req.params },
        },
      ];
  }
}
