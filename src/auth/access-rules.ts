import { ROLES, type Role } from './auth-user.js';

/**
 * Who may call what: the one table every request is checked against (AccessGuard). A route that matches no
 * rule is refused, and the start-up check (route-check.ts) names every registered route without one.
 *
 * - `allow: 'public'`: no sign-in; everything else needs a signed-in account whose role is listed.
 * - office and admin act on everything their rule lets them call.
 * - leader and inspector read everything (GET) their rule lists them for; they act (POST, PUT, …) only where
 *   listed, and on `taskAction` routes only on their own tasks (assignee, or their role a candidate group).
 * - an office account that names its office's unit (a lower level's office) is scoped by the same `scope`s to
 *   the problems of that unit's subtree (分级督办); one that names none supervises everything.
 * - unit accounts are scoped: `unitQuery` overwrites the list filter with their own unit; `resource` checks
 *   that the `:param` id belongs to their unit through the resolver of that resource (AccessResolvers).
 *   A unit route without a scope is one whose data is not per unit (units, the calendar).
 */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | '*';
export type ResourceKind = 'problem' | 'task' | 'file' | 'action' | 'bulletin';

export type Scope = { unitQuery: string } | { resource: ResourceKind; param: string };

export interface AccessRule {
  method: Method;
  /** Express path pattern as registered (`/api/problems/:id`), or a prefix ending in `/**`. */
  path: string;
  allow: 'public' | readonly Role[];
  /** How a `unit` account is confined to its own unit; required on any rule that lets `unit` in with per-unit data. */
  scope?: Scope;
  /** The route acts on the task `:id`: leaders, inspectors and units only on their own tasks. */
  taskAction?: boolean;
  /** HTTP Basic (account username and password) accepted besides the bearer token, as Camunda tools send it. */
  basic?: boolean;
}

const ALL = ROLES;
const OFFICE = ['admin', 'office'] as const;
const READERS = ['admin', 'office', 'leader', 'inspector'] as const;

export const ACCESS_RULES: readonly AccessRule[] = [
  // Public: health, sign-in, the API documentation, the disclosure pages and what the pages load.
  { method: 'GET', path: '/health', allow: 'public' },
  { method: 'POST', path: '/api/auth/login', allow: 'public' },
  { method: 'GET', path: '/api/docs', allow: 'public' },
  { method: 'GET', path: '/api/docs/**', allow: 'public' },
  { method: 'GET', path: '/api/docs-json', allow: 'public' },
  { method: 'GET', path: '/api/docs-yaml', allow: 'public' },
  { method: 'GET', path: '/api/public/**', allow: 'public' },
  // 异议 during a sign-off's 公示: anyone, bounded and rate-limited per address (SignoffService).
  { method: 'POST', path: '/api/public/notices/:code/objections', allow: 'public' },
  // The pages hold no data (they call the API with the signed-in token) and what they load.
  { method: 'GET', path: '/', allow: 'public' },
  { method: 'GET', path: '/login', allow: 'public' },
  { method: 'GET', path: '/public', allow: 'public' },
  { method: 'GET', path: '/public/petitions', allow: 'public' },
  { method: 'GET', path: '/public/petitions/:id', allow: 'public' },
  { method: 'GET', path: '/inbox', allow: 'public' },
  { method: 'GET', path: '/ledger', allow: 'public' },
  { method: 'GET', path: '/review', allow: 'public' },
  { method: 'GET', path: '/dashboard', allow: 'public' },
  { method: 'GET', path: '/incidents', allow: 'public' },
  { method: 'GET', path: '/tasks/:id', allow: 'public' },
  { method: 'GET', path: '/problems/:id', allow: 'public' },
  { method: 'GET', path: '/messages', allow: 'public' },
  { method: 'GET', path: '/unit', allow: 'public' },
  { method: 'GET', path: '/unit/**', allow: 'public' },
  { method: 'GET', path: '/office', allow: 'public' },
  { method: 'GET', path: '/office/**', allow: 'public' },
  { method: 'GET', path: '/admin', allow: 'public' },
  { method: 'GET', path: '/admin/**', allow: 'public' },
  { method: 'GET', path: '/leader', allow: 'public' },
  { method: 'GET', path: '/leader/**', allow: 'public' },
  { method: 'GET', path: '/assets/**', allow: 'public' },

  // Accounts and the audit trail.
  { method: 'GET', path: '/api/auth/me', allow: ALL },
  { method: 'POST', path: '/api/auth/refresh', allow: ALL },
  { method: 'GET', path: '/api/accounts', allow: ['admin'] },
  { method: 'POST', path: '/api/accounts', allow: ['admin'] },
  { method: 'PATCH', path: '/api/accounts/:id', allow: ['admin'] },
  { method: 'POST', path: '/api/accounts/:id/reset-password', allow: ['admin'] },
  { method: 'GET', path: '/api/audit', allow: ['admin', 'office', 'leader'] },
  { method: 'GET', path: '/api/audit/verify', allow: ['admin'] },
  { method: 'GET', path: '/api/audit/problems/:id', allow: ALL, scope: { resource: 'problem', param: 'id' } },

  // Organisation.
  { method: 'GET', path: '/api/units', allow: ALL },
  { method: 'POST', path: '/api/units', allow: OFFICE },
  { method: 'PATCH', path: '/api/units/:code', allow: OFFICE },
  { method: 'GET', path: '/api/persons', allow: ALL, scope: { unitQuery: 'unit' } },
  { method: 'POST', path: '/api/persons', allow: OFFICE },
  { method: 'PATCH', path: '/api/persons/:id', allow: OFFICE },

  // The ledger.
  { method: 'GET', path: '/api/problems', allow: ALL, scope: { unitQuery: 'unit' } },
  { method: 'GET', path: '/api/problems/import-template.xlsx', allow: OFFICE },
  { method: 'POST', path: '/api/problems/import', allow: OFFICE },
  { method: 'GET', path: '/api/problems/import/jobs/:id', allow: OFFICE },
  { method: 'GET', path: '/api/problems/:id', allow: ALL, scope: { resource: 'problem', param: 'id' } },
  { method: 'POST', path: '/api/problems', allow: OFFICE },
  { method: 'PATCH', path: '/api/problems/:id', allow: OFFICE, scope: { resource: 'problem', param: 'id' } },
  // 拆分下达: an office splits a problem of its subtree into problems for the units below.
  { method: 'POST', path: '/api/problems/:id/split', allow: OFFICE, scope: { resource: 'problem', param: 'id' } },
  { method: 'GET', path: '/api/ledger.xlsx', allow: READERS },

  // 边督边改: the team's complaint batches. Units work their complaints in the inbox, not here.
  { method: 'POST', path: '/api/petitions/batches', allow: OFFICE },
  { method: 'GET', path: '/api/petitions/template.xlsx', allow: OFFICE },
  { method: 'GET', path: '/api/petitions/batches', allow: READERS },
  { method: 'GET', path: '/api/petitions/batches/:id', allow: READERS },
  { method: 'POST', path: '/api/petitions/batches/:id/petitions', allow: OFFICE },
  { method: 'POST', path: '/api/petitions/batches/:id/publish', allow: OFFICE },
  { method: 'GET', path: '/api/petitions/report', allow: READERS },
  { method: 'GET', path: '/api/petitions/report.xlsx', allow: READERS },
  { method: 'GET', path: '/api/petitions/report.docx', allow: READERS },
  // The complaint a task is about, for whoever may work the task (the unit reads what it investigates).
  { method: 'GET', path: '/api/tasks/:id/petition', allow: ALL, scope: { resource: 'task', param: 'id' } },
  // Its evidence (佐证材料): uploaded by whoever works the task, read by whoever may see it.
  {
    method: 'POST',
    path: '/api/tasks/:id/petition/files',
    allow: ['admin', 'office', 'unit'],
    scope: { resource: 'task', param: 'id' },
    taskAction: true,
  },
  { method: 'GET', path: '/api/tasks/:id/petition/files', allow: ALL, scope: { resource: 'task', param: 'id' } },
  {
    method: 'GET',
    path: '/api/tasks/:id/petition/files/:fileId',
    allow: ALL,
    scope: { resource: 'task', param: 'id' },
  },

  // Supervision (督办): the office acts; leaders and inspectors read; a unit reads the actions addressed to it
  // and asks for an extension of its own problems.
  { method: 'GET', path: '/api/supervision/actions', allow: ALL, scope: { unitQuery: 'unit' } },
  { method: 'GET', path: '/api/supervision/actions/:id', allow: READERS, scope: { resource: 'action', param: 'id' } },
  { method: 'POST', path: '/api/supervision/actions/:id/commitment-kept', allow: OFFICE },
  { method: 'GET', path: '/api/supervision/settings', allow: READERS },
  { method: 'PUT', path: '/api/supervision/settings', allow: OFFICE },
  {
    method: 'POST',
    path: '/api/problems/:id/extension',
    allow: ['admin', 'office', 'unit'],
    scope: { resource: 'problem', param: 'id' },
  },

  // The pages' read APIs (src/web): the battle map (挂图作战), diagrams and the dashboard for those who read
  // everything; a problem's diagram for whoever may see the problem. The disclosure API is under /api/public.
  { method: 'GET', path: '/api/web/review', allow: READERS },
  { method: 'GET', path: '/api/web/review/:processKey', allow: READERS },
  { method: 'GET', path: '/api/web/review/:processKey/steps/:activityId/problems', allow: READERS },
  { method: 'GET', path: '/api/web/dashboard', allow: READERS },
  { method: 'GET', path: '/api/web/office-overdue', allow: READERS },
  { method: 'GET', path: '/api/web/instances/:id/diagram', allow: READERS },
  { method: 'GET', path: '/api/web/problems/:id', allow: ALL, scope: { resource: 'problem', param: 'id' } },
  { method: 'GET', path: '/api/web/problems/:id/diagram', allow: ALL, scope: { resource: 'problem', param: 'id' } },

  // The inbox: one's own tasks (the inbox service selects them by the signed-in account); a task by id only when it is one's own.
  { method: 'GET', path: '/api/inbox', allow: ALL },
  { method: 'GET', path: '/api/tasks/:id', allow: ALL, scope: { resource: 'task', param: 'id' } },
  {
    method: 'POST',
    path: '/api/tasks/:id/claim',
    allow: ALL,
    scope: { resource: 'task', param: 'id' },
    taskAction: true,
  },
  {
    method: 'POST',
    path: '/api/tasks/:id/unclaim',
    allow: ALL,
    scope: { resource: 'task', param: 'id' },
    taskAction: true,
  },
  { method: 'GET', path: '/api/tasks/:id/handover-candidates', allow: ALL, scope: { resource: 'task', param: 'id' } },
  {
    method: 'POST',
    path: '/api/tasks/:id/handover',
    allow: ALL,
    scope: { resource: 'task', param: 'id' },
    taskAction: true,
  },
  {
    method: 'POST',
    path: '/api/tasks/:id/complete',
    allow: ALL,
    scope: { resource: 'task', param: 'id' },
    taskAction: true,
  },
  {
    method: 'POST',
    path: '/api/tasks/:id/extension',
    allow: ['admin', 'office', 'unit'],
    scope: { resource: 'task', param: 'id' },
    taskAction: true,
  },

  // Evidence (佐证材料): the units of the problem and the office add it; everyone who may see the problem reads it.
  {
    method: 'POST',
    path: '/api/problems/:id/files',
    allow: ['admin', 'office', 'unit'],
    scope: { resource: 'problem', param: 'id' },
  },
  { method: 'GET', path: '/api/problems/:id/files', allow: ALL, scope: { resource: 'problem', param: 'id' } },
  { method: 'GET', path: '/api/problems/:id/signoff', allow: ALL, scope: { resource: 'problem', param: 'id' } },
  { method: 'GET', path: '/api/leaders', allow: READERS },
  // 一案一档: the office and the problem's own units.
  {
    method: 'GET',
    path: '/api/problems/:id/archive.zip',
    allow: ['admin', 'office', 'unit'],
    scope: { resource: 'problem', param: 'id' },
  },
  { method: 'GET', path: '/api/problems/:id/files/:fileId', allow: ALL, scope: { resource: 'problem', param: 'id' } },
  { method: 'GET', path: '/api/files/:id', allow: ALL, scope: { resource: 'file', param: 'id' } },

  // Notifications: the office runs the channels and the outbox; everyone reads and marks their own messages.
  { method: 'GET', path: '/api/notify/channels', allow: OFFICE },
  { method: 'POST', path: '/api/notify/channels', allow: OFFICE },
  { method: 'PATCH', path: '/api/notify/channels/:id', allow: OFFICE },
  { method: 'GET', path: '/api/notify/outbox', allow: OFFICE },
  { method: 'POST', path: '/api/notify/outbox/:id/retry', allow: OFFICE },
  { method: 'GET', path: '/api/notify/mine', allow: ALL },
  { method: 'POST', path: '/api/notify/mine/:id/read', allow: ALL },

  // Reports: the monthly bulletin (月通报) is read by all once published — until then (and recomputed) by the office,
  // leaders and inspectors only; the office publishes it and keeps the indicators.
  { method: 'GET', path: '/api/bulletins', allow: ALL },
  { method: 'GET', path: '/api/bulletins/:month', allow: ALL, scope: { resource: 'bulletin', param: 'month' } },
  { method: 'GET', path: '/api/bulletins/:month.xlsx', allow: ALL, scope: { resource: 'bulletin', param: 'month' } },
  { method: 'GET', path: '/api/bulletins/:month.docx', allow: ALL, scope: { resource: 'bulletin', param: 'month' } },
  { method: 'POST', path: '/api/bulletins/:month/publish', allow: OFFICE },
  { method: 'GET', path: '/api/indicators', allow: ALL },
  { method: 'PUT', path: '/api/indicators/:code/values/:month', allow: OFFICE },
  // 年度考核: the office, leaders and inspectors read the annual score; the office sets its weights.
  { method: 'GET', path: '/api/assessment/settings', allow: READERS },
  { method: 'PUT', path: '/api/assessment/settings', allow: OFFICE },
  { method: 'GET', path: '/api/assessment/current', allow: READERS },
  { method: 'GET', path: '/api/assessment/:year', allow: READERS },
  { method: 'GET', path: '/api/assessment/:year.xlsx', allow: READERS },
  // A supervision action's document (督办单, 约谈…): the office, leaders, and a unit for its own unit's actions and those copied to it (配合单位).
  {
    method: 'GET',
    path: '/api/supervision/actions/:id.docx',
    allow: ['admin', 'office', 'leader', 'unit'],
    scope: { resource: 'action', param: 'id' },
  },
  // 月度整改进展: a unit reports on its own monthly-report task; the office and readers see who has reported.
  { method: 'GET', path: '/api/monthly-reports/:month', allow: READERS },
  { method: 'GET', path: '/api/monthly-reports/tasks/:id', allow: ALL, scope: { resource: 'task', param: 'id' } },
  {
    method: 'POST',
    path: '/api/monthly-reports/tasks/:id',
    allow: ALL,
    scope: { resource: 'task', param: 'id' },
    taskAction: true,
  },

  // The working-day calendar: everyone reads it, the office changes it.
  { method: 'GET', path: '/api/calendar/workdays', allow: ALL },
  { method: 'GET', path: '/api/calendar/days/:date', allow: ALL },
  { method: 'GET', path: '/api/calendar/years', allow: ALL },
  { method: 'GET', path: '/api/calendar/status', allow: ALL },
  // Incidents (a failed step that stopped a process): the office sees and retries them.
  { method: 'GET', path: '/api/incidents', allow: OFFICE },
  { method: 'GET', path: '/api/incidents/:id', allow: OFFICE },
  { method: 'POST', path: '/api/incidents/:id/retry', allow: OFFICE },
  { method: 'GET', path: '/api/calendar/years/:year', allow: ALL },
  { method: 'PUT', path: '/api/calendar/years/:year', allow: OFFICE },
  { method: 'GET', path: '/api/calendar/changes', allow: READERS },

  // The controlled clock moves every deadline: admin only.
  { method: '*', path: '/api/admin/clock/**', allow: ['admin'] },

  // The Camunda-compatible API (Camunda Modeler, external workers): the office's tooling.
  { method: '*', path: '/engine-rest/**', allow: OFFICE, basic: true },
];

export function isReadMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

function methodMatches(rule: AccessRule, method: string): boolean {
  const m = method === 'HEAD' ? 'GET' : method;
  return rule.method === '*' || rule.method === m;
}

function pathMatches(rule: AccessRule, path: string): boolean {
  if (!rule.path.endsWith('/**')) return rule.path === path;
  const prefix = rule.path.slice(0, -3);
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** The rule for a route: an exact path first, then the first matching prefix; undefined means refused. */
export function findRule(
  method: string,
  routePath: string,
  rules: readonly AccessRule[] = ACCESS_RULES,
): AccessRule | undefined {
  const path = normalizeRoutePath(routePath);
  return (
    rules.find((r) => !r.path.endsWith('/**') && methodMatches(r, method) && pathMatches(r, path)) ??
    rules.find((r) => methodMatches(r, method) && pathMatches(r, path))
  );
}

/** `/api/problems/` and `/api/problems` are one route to express. */
export function normalizeRoutePath(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** What a role may do under a rule before any per-resource check: 'yes', 'no', or the check to make. */
export function roleDecision(
  rule: AccessRule,
  role: Role,
  method: string,
): 'allow' | 'deny' | 'unit-scope' | 'own-task' {
  if (rule.allow === 'public') return 'allow';
  if (!rule.allow.includes(role)) return 'deny';
  if (role === 'admin' || role === 'office') return 'allow';
  if (role === 'unit') return rule.scope || rule.taskAction ? 'unit-scope' : 'allow';
  // leader, inspector: read what they are let in to; act only on their own tasks where the rule is a task action.
  if (rule.taskAction && !isReadMethod(method)) return 'own-task';
  return 'allow';
}

/** The only writes without sign-in: signing in, and an objection to a sign-off on public notice (rate-limited). */
const PUBLIC_WRITES = new Set(['POST /api/auth/login', 'POST /api/public/notices/:code/objections']);

/** Rules a table must satisfy; checked by the unit spec and at start-up. */
export function ruleTableProblems(rules: readonly AccessRule[] = ACCESS_RULES): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const r of rules) {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) problems.push(`${key}: listed twice`);
    seen.add(key);
    if (r.allow === 'public' && r.method !== 'GET' && !PUBLIC_WRITES.has(key))
      problems.push(`${key}: only reads may be public`);
    if (r.taskAction && !(r.scope && 'resource' in r.scope && r.scope.resource === 'task'))
      problems.push(`${key}: a task action needs the task scope`);
    const param = r.scope && 'resource' in r.scope ? r.scope.param : null;
    // `:id` alone or with a suffix (`:id.docx`).
    if (param && !r.path.split('/').some((seg) => seg === `:${param}` || seg.startsWith(`:${param}.`))) {
      problems.push(`${key}: scope names :${param}, which is not in the path`);
    }
  }
  return problems;
}
