import { handlerName } from '../runtime/durable-service.js';
import { isEngineLookup } from '../runtime/expressions.js';
import { JuelError, compileTemplate, hasExpression } from '../runtime/juel.js';
import { TASK_EXPRESSION_ATTRIBUTES } from '../runtime/task-attributes.js';
import {
  DEFAULT_TIMER_LIMITS,
  TimerSyntaxError,
  TimerValueError,
  nextExpiry,
  parseTimer,
  type TimerLimits,
  type TimerType,
} from '../runtime/timer-rules.js';
import { FORM_CONSTRAINTS, datePatternProblem } from '../../engine-rest/form-fields.js';
import type { DeployProblem } from './deploy-error.js';
import { forbiddenProperty } from './xml-safety.js';

// moddle elements are untyped trees.
type El = any;

export interface RuleOptions {
  handlers: ReadonlySet<string>;
  timerLiteral?: (value: string) => string | null;
  /** What a timer may ask for; the defaults otherwise. */
  timerLimits?: TimerLimits;
  /**
   * Where timer values that are not ISO 8601 go instead of `timerLiteral`, for a caller that asks the calendar
   * itself (the parse runs on a worker thread, the calendar on the main one).
   */
  pendingLiterals?: PendingLiteral[];
}

/** A timer value that is not ISO 8601: refused with `reason` unless the calendar knows it as a literal. */
export interface PendingLiteral {
  element: string;
  value: string;
  reason: string;
}

// What bpmn-engine runs and we have tested; anything else is refused rather than half-run.
const FLOW_TYPES = new Set(
  [
    'StartEvent',
    'EndEvent',
    'IntermediateCatchEvent',
    'IntermediateThrowEvent',
    'BoundaryEvent',
    'UserTask',
    'ManualTask',
    'Task',
    'ServiceTask',
    'SendTask',
    'BusinessRuleTask',
    'ReceiveTask',
    'CallActivity',
    'SubProcess',
    'Transaction',
    'ExclusiveGateway',
    'ParallelGateway',
    'InclusiveGateway',
    'EventBasedGateway',
    'SequenceFlow',
    'DataObject',
    'DataObjectReference',
    'DataStoreReference',
    'TextAnnotation',
    'Association',
    'Group',
  ].map((t) => `bpmn:${t}`),
);
const CONTAINERS = new Set(['bpmn:Process', 'bpmn:SubProcess', 'bpmn:Transaction', 'bpmn:AdHocSubProcess']);
// moddle-context-serializer loads every other root element as an activity and throws "Unknown activity type".
const ROOT_TYPES = new Set(
  ['Process', 'Collaboration', 'Message', 'Signal', 'Error', 'Escalation', 'DataStore', 'Category'].map(
    (t) => `bpmn:${t}`,
  ),
);
const SERVICE_TYPES: Record<string, string> = {
  'bpmn:ServiceTask': 'service task',
  'bpmn:SendTask': 'send task',
  'bpmn:BusinessRuleTask': 'business rule task',
};
const CODE_ATTRS = ['class', 'delegateExpression', 'expression'] as const;
const TIMER_KINDS: readonly TimerType[] = ['timeDuration', 'timeDate', 'timeCycle'];
const ONLY_LOOKUPS = 'only ${...} lookup expressions such as ${environment.variables.approved} are supported';

// The subset of bpmn-elements' `${...}` syntax untrusted BPMN may use: property lookups, numeric indexes,
// literals, and calls only on environment.services (getPropertyValue calls any function it reaches).
const IDENT = '[A-Za-z_$][\\w$]*';
const PATH = `${IDENT}(?:\\.${IDENT}|\\[-?\\d+\\])*`;
// getPropertyValue cuts call arguments at the first ')', so string literals may not hold parentheses.
const LITERAL = `'[^'()]*'|"[^"()]*"|-?\\d+(?:\\.\\d+)?|true|false|null`;
const ARG = `(?:${LITERAL}|${PATH})`;
const CALL = `environment\\.services\\.[A-Za-z_]\\w*\\(\\s*(?:${ARG}(?:\\s*,\\s*${ARG})*)?\\s*\\)`;
const LOOKUP = new RegExp(`^\\$\\{\\s*(?:${CALL}|${PATH}|${LITERAL})\\s*\\}$`);

/** Whether `value` is exactly one `${...}` lookup the engine resolves without running code. */
export function isLookup(value: string): boolean {
  const v = value.trim();
  return LOOKUP.test(v) && forbiddenProperty(v.slice(2, -1)) === null;
}

/** Null when `text` is JUEL our evaluator runs, else why not (in Chinese, naming the expression). */
export function juelProblem(text: string, what = '表达式'): string | null {
  try {
    compileTemplate(text);
    return null;
  } catch (err) {
    if (err instanceof JuelError) return `${what} ${text} 无法求值：${err.reason}`;
    throw err;
  }
}

function tagName(type: string): string {
  const [prefix, local = ''] = String(type).split(':');
  return `${prefix}:${local.charAt(0).toLowerCase()}${local.slice(1)}`;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

/** The element rules over a parsed bpmn:Definitions; returns every problem found. */
export function checkDefinitions(defs: El, opts: RuleOptions): DeployProblem[] {
  const problems: DeployProblem[] = [];
  const checkedExpressions = new WeakSet<object>();
  const roots: El[] = defs?.rootElements ?? [];

  for (const root of roots) {
    if (!ROOT_TYPES.has(root.$type))
      add(root, undefined, `${root.$type} at the top level is not supported: the engine cannot load it`);
  }
  const processes = roots.filter((r) => r.$type === 'bpmn:Process');
  if (!processes.some((p) => p.isExecutable === true))
    problems.push({ reason: 'no executable process (no process has isExecutable="true")' });
  for (const p of processes) {
    if (!p.id) add(p, undefined, 'process without id');
    checkContainer(p);
  }
  for (const c of roots.filter((r) => r.$type === 'bpmn:Collaboration'))
    for (const f of c.messageFlows ?? []) checkMessageFlow(f);
  walk(defs, undefined);
  return problems;

  function add(el: El, ctx: string | undefined, reason: string) {
    problems.push({ element: el?.id || ctx || tagName(el?.$type), reason });
  }

  function checkContainer(container: El) {
    for (const el of [...(container.flowElements ?? []), ...(container.artifacts ?? [])]) {
      if (!el.id) {
        const where = `in ${container.id ?? 'a process'}`;
        if (el.$type === 'bpmn:SequenceFlow') {
          add(
            el,
            undefined,
            `sequence flow without id (from ${el.sourceRef?.id ?? '?'} to ${el.targetRef?.id ?? '?'} ${where})`,
          );
        } else add(el, undefined, `${tagName(el.$type)} without id ${where}`);
      }
      if (el.$type === 'bpmn:ScriptTask')
        add(el, container.id, 'script tasks are not allowed: they would run code on the server');
      else if (!FLOW_TYPES.has(el.$type)) add(el, container.id, `unsupported element type ${el.$type}`);
      if (el.$type === 'bpmn:SubProcess' && el.triggeredByEvent) checkEventSubProcess(el);
      if (CONTAINERS.has(el.$type)) checkContainer(el);
    }
    for (const laneSet of container.laneSets ?? []) {
      // The serializer iterates laneSet.lanes unguarded.
      if (!laneSet.lanes?.length) add(laneSet, container.id, 'lane set without lanes');
    }
  }

  /** bpmn-elements never triggers an event sub-process by a message or a signal: refused rather than silently deaf. */
  function checkEventSubProcess(sub: El) {
    for (const start of (sub.flowElements ?? []).filter((e: El) => e.$type === 'bpmn:StartEvent')) {
      for (const ed of start.eventDefinitions ?? []) {
        if (ed.$type === 'bpmn:MessageEventDefinition' || ed.$type === 'bpmn:SignalEventDefinition') {
          const kind = ed.$type === 'bpmn:MessageEventDefinition' ? '消息' : '信号';
          add(
            start,
            sub.id,
            `事件子流程 ${sub.id ?? ''} 由${kind}开始：本引擎不会触发它，因此拒绝部署；请改用挂在活动上的${kind}边界事件`,
          );
        }
      }
    }
  }

  function checkMessageFlow(flow: El) {
    if (!flow.id) add(flow, undefined, 'message flow without id');
    if (!flow.sourceRef || !flow.targetRef) add(flow, undefined, 'message flow without sourceRef or targetRef');
    for (const end of [flow.sourceRef, flow.targetRef]) {
      if (!end) continue;
      if (end.$type === 'bpmn:Participant') {
        if (!end.processRef)
          add(
            flow,
            undefined,
            `message flow connects pool ${end.id}, which has no process (a black-box pool); the engine cannot load it`,
          );
      } else if (end.$type !== 'bpmn:Process') {
        // Mirrors moddle-context-serializer: it looks the element up among each process's direct flowElements.
        let found = false;
        for (const p of processes) {
          if (!p.flowElements) {
            add(flow, undefined, `message flow ${flow.id} cannot be loaded while process ${p.id} is empty`);
            found = true;
            break;
          }
          if (p.flowElements.some((e: El) => e.id === end.id)) {
            found = true;
            break;
          }
        }
        if (!found)
          add(
            flow,
            undefined,
            `message flow connects ${end.id}, which is not a top-level element of a process (e.g. nested in a sub-process); the engine cannot load it`,
          );
      }
    }
  }

  /** Visits every contained element (not references, not diagrams), with the nearest enclosing id. */
  function walk(el: El, ctx: string | undefined) {
    if (!el || typeof el !== 'object' || typeof el.$type !== 'string') return;
    checkElement(el, ctx);
    const here = el.id || ctx;
    for (const p of el.$descriptor?.properties ?? []) {
      if (p.isReference || p.name === 'diagrams') continue;
      const v = el[p.name];
      if (Array.isArray(v)) for (const c of v) walk(c, here);
      else if (v && typeof v === 'object') walk(v, here);
    }
    for (const c of el.$children ?? []) walk(c, here);
  }

  function checkElement(el: El, ctx: string | undefined) {
    const say = (reason: string) => add(el, ctx, reason);
    const type: string = el.$type;
    if (SERVICE_TYPES[type]) checkService(el, SERVICE_TYPES[type], say);
    if (type === 'bpmn:UserTask') {
      for (const a of TASK_EXPRESSION_ATTRIBUTES) {
        const v = el[a];
        if (typeof v === 'string' && hasExpression(v) && !isEngineLookup(v)) {
          const bad = juelProblem(v, `camunda:${a}`);
          if (bad) say(bad);
        }
      }
    }
    if (el.$instanceOf?.('bpmn:ResourceRole') && !el.resourceAssignmentExpression) {
      say(
        `${tagName(type)} without resourceAssignmentExpression is not supported (the engine crashes on it); use camunda:assignee or camunda:candidateGroups`,
      );
    }
    switch (type) {
      case 'bpmn:SequenceFlow':
      case 'bpmn:Association':
        if (!el.sourceRef || !el.targetRef) say(`${tagName(type)} without sourceRef or targetRef`);
        if (el.conditionExpression) checkCondition(el.conditionExpression, say);
        break;
      case 'bpmn:BoundaryEvent':
        if (!el.attachedToRef) say('boundary event is not attached to an activity');
        break;
      case 'bpmn:ConditionalEventDefinition':
        if (!el.condition) say('conditional event without a condition');
        else checkCondition(el.condition, say);
        break;
      case 'bpmn:TimerEventDefinition':
        checkTimer(el, say, el?.id || ctx || tagName(type));
        break;
      case 'bpmn:MultiInstanceLoopCharacteristics':
        checkMultiInstance(el, say);
        break;
      case 'bpmn:StandardLoopCharacteristics':
        // bpmn-elements runs it as a parallel loop without cardinality and fails at run time.
        say('standard loops are not supported; use a sequential multi-instance');
        break;
      case 'bpmn:FormalExpression':
        if (el.language && !checkedExpressions.has(el))
          say(`expressions in language '${el.language}' are not supported (scripts are not allowed); ${ONLY_LOOKUPS}`);
        break;
      case 'camunda:Script':
        say(
          `scripts are not allowed: camunda:script${el.scriptFormat ? ` (${el.scriptFormat})` : ''} would run code on the server`,
        );
        break;
      case 'camunda:ExecutionListener':
      case 'camunda:TaskListener':
        for (const a of CODE_ATTRS)
          if (el[a]) say(`${tagName(type)} with camunda:${a} is not allowed: it would run code on the server`);
        break;
      case 'camunda:Connector':
        say('camunda connectors are not supported; name a handler with implementation="${environment.services.NAME}"');
        break;
      case 'camunda:InputOutput':
        say(
          'camunda:inputOutput（输入/输出参数映射）不受支持：本引擎不执行这些映射，部署后只会被忽略；请删除映射，活动直接读写流程变量',
        );
        break;
      case 'camunda:FailedJobRetryTimeCycle':
        say(
          `camunda:failedJobRetryTimeCycle（失败重试周期 ${text(el.body) || '空'}）不受支持：本引擎不按周期重试，失败的步骤立即成为事故（用 PUT /engine-rest/job/{id}/retries 重试），外部任务的重试次数由 worker 在 failure 中给出；请删除它`,
        );
        break;
      case 'camunda:In':
      case 'camunda:Out':
        checkCallMapping(el, type === 'camunda:In' ? 'camunda:in' : 'camunda:out', say);
        break;
      case 'camunda:FormField': {
        if (typeof el.defaultValue === 'string' && hasExpression(el.defaultValue)) {
          const bad = juelProblem(el.defaultValue, `表单字段 ${el.id} 的 defaultValue`);
          if (bad) say(bad);
        }
        const pattern = typeof el.datePattern === 'string' ? datePatternProblem(el.datePattern) : null;
        if (pattern) say(`表单字段 ${el.id}：${pattern}`);
        break;
      }
      case 'camunda:Constraint':
        if (el.name === 'validator')
          say(
            `表单校验 validator（${el.config ?? ''}）不受支持：它会在服务器上运行 Java 类；可用的校验为 ${FORM_CONSTRAINTS.join('、')}`,
          );
        else if (!(FORM_CONSTRAINTS as readonly string[]).includes(el.name))
          say(`表单校验 ${el.name} 不受支持：可用的校验为 ${FORM_CONSTRAINTS.join('、')}`);
        else if (
          ['minlength', 'maxlength', 'min', 'max'].includes(el.name) &&
          !(typeof el.config === 'string' && el.config.trim() !== '' && Number.isFinite(Number(el.config)))
        )
          say(`表单校验 ${el.name} 需要一个数字 config，而不是 '${el.config ?? ''}'`);
        break;
    }
  }

  /**
   * A call activity hands all its variables to the called process and takes all of the called process's back,
   * with the business key: Camunda's `variables="all"`. Narrower mappings would deploy and be ignored.
   */
  function checkCallMapping(el: El, tag: string, say: (reason: string) => void) {
    const all = el.variables === 'all' && !el.local && !el.source && !el.sourceExpression && !el.target;
    const businessKey =
      tag === 'camunda:in' &&
      /^[#$]\{\s*execution\.processBusinessKey\s*\}$/.test(String(el.businessKey ?? '')) &&
      !el.variables &&
      !el.source &&
      !el.sourceExpression &&
      !el.target;
    if (all || businessKey) return;
    say(
      `${tag} 的变量映射不受支持：调用活动总是把全部变量（和业务键）交给被调流程，并把它的全部变量带回，即 <${tag} variables="all"/>；请改成这样或删除它`,
    );
  }

  /** A lookup that calls `environment.services.NAME(...)` names a handler like a service task does. */
  function checkCalls(value: string, say: (reason: string) => void) {
    const name = /^\$\{\s*environment\.services\.([A-Za-z_]\w*)\(/.exec(value.trim())?.[1];
    if (name && !opts.handlers.has(name)) say(`unknown handler ${name} in '${value.trim()}'`);
  }

  function checkCondition(expr: El, say: (reason: string) => void) {
    checkedExpressions.add(expr);
    const body = text(expr.body);
    if (expr.language)
      say(`condition in language '${expr.language}' is a script: scripts are not allowed; ${ONLY_LOOKUPS}`);
    else if (!body) say('condition is empty');
    else if (isEngineLookup(body)) {
      if (!isLookup(body)) say(`condition '${body}' is not a \${...} lookup: scripts are not allowed; ${ONLY_LOOKUPS}`);
      else checkCalls(body, say);
    } else if (!hasExpression(body)) say(`条件 '${body}' 不是表达式：请写成 \${...}，例如 \${approved}`);
    else {
      const bad = juelProblem(body, '条件表达式');
      if (bad) say(bad);
      else if (!('whole' in compileTemplate(body)))
        say(`条件 '${body}' 必须是一个完整的 \${...} 表达式（文字与表达式混排的结果是字符串，不是真假值）`);
    }
  }

  function checkService(el: El, kind: string, say: (reason: string) => void) {
    let named = false;
    for (const a of CODE_ATTRS) {
      if (el[a] === undefined) continue;
      named = true;
      say(
        `camunda:${a} is not supported: it would run code on the server; use implementation="\${environment.services.NAME}" or camunda:type="external"`,
      );
    }
    if (el.decisionRef !== undefined) {
      named = true;
      say('DMN decisions (camunda:decisionRef) are not supported');
    }
    if (el.type !== undefined) {
      named = true;
      if (el.type !== 'external') say(`camunda:type '${el.type}' is not supported; only "external" is`);
      else if (!text(el.topic)) say('external task without camunda:topic');
    }
    if (el.implementation !== undefined) {
      named = true;
      const name = handlerName(el.implementation);
      if (name) {
        if (!opts.handlers.has(name)) say(`unknown handler ${name}`);
      } else if (/web\s*service/i.test(String(el.implementation))) {
        say(
          'web service implementations are not supported; use implementation="${environment.services.NAME}" or camunda:type="external"',
        );
      } else
        say(
          `implementation '${el.implementation}' is not supported; use implementation="\${environment.services.NAME}"`,
        );
    }
    if (!named)
      say(
        `${kind} names no handler: set implementation="\${environment.services.NAME}" or camunda:type="external" with a camunda:topic`,
      );
  }

  function checkTimer(ed: El, say: (reason: string) => void, element: string) {
    const kinds = TIMER_KINDS.filter((k) => ed[k]);
    if (!kinds.length) return say('timer without timeDuration, timeDate or timeCycle');
    for (const k of kinds) {
      const value = text(ed[k].body);
      if (!value) {
        say(`timer ${k} is empty`);
        continue;
      }
      if (isLookup(value) && isEngineLookup(value)) {
        checkCalls(value, say);
        continue; // resolved at run time, under the same limits
      }
      if (hasExpression(value) && !isEngineLookup(value)) {
        const bad = juelProblem(value, `定时器 ${k} 表达式`);
        if (bad) say(bad);
        continue; // resolved at run time, under the same limits
      }
      const refused = timerProblem(k, value, opts.timerLimits ?? DEFAULT_TIMER_LIMITS);
      if (!refused) continue;
      if (!refused.syntax) say(refused.reason);
      else if (opts.pendingLiterals) opts.pendingLiterals.push({ element, value, reason: refused.reason });
      else {
        const literal = opts.timerLiteral?.(value);
        if (literal !== null) say(`${refused.reason}${literal ? `; ${literal}` : ''}`);
      }
    }
  }

  function checkMultiInstance(mi: El, say: (reason: string) => void) {
    const cardinality = text(mi.loopCardinality?.body);
    const collection = text(mi.collection);
    const completion = text(mi.completionCondition?.body);
    const juel = (value: string, what: string) => {
      const bad = juelProblem(value, what);
      if (bad) say(bad);
    };
    if (cardinality && hasExpression(cardinality) && !isEngineLookup(cardinality))
      juel(cardinality, 'loopCardinality 表达式');
    else if (cardinality && !/^\d+$/.test(cardinality) && !isLookup(cardinality))
      say(`loop cardinality '${cardinality}' is neither a whole number nor a \${...} lookup`);
    else if (cardinality) checkCalls(cardinality, say);
    if (collection && hasExpression(collection) && !isEngineLookup(collection))
      juel(collection, 'camunda:collection 表达式');
    else if (collection && !isLookup(collection))
      say(`camunda:collection '${collection}' 不是表达式：请写成 \${${collection}}`);
    else if (collection) checkCalls(collection, say);
    if (mi.completionCondition) checkCondition(mi.completionCondition, say);
    if (!mi.isSequential && !cardinality && !collection)
      say('parallel multi-instance needs a loopCardinality or a camunda:collection');
    if (mi.isSequential && !cardinality && !collection && !completion)
      say('sequential multi-instance needs a loopCardinality, a camunda:collection or a completionCondition');
  }
}

/** A timer value checked as the runtime's timer checks it: null when it runs, else why not. */
function timerProblem(kind: TimerType, value: string, limits: TimerLimits): { reason: string; syntax: boolean } | null {
  try {
    nextExpiry(parseTimer(kind, value, limits), Date.now());
    return null;
  } catch (err) {
    if (!(err instanceof TimerValueError)) throw err;
    return { reason: `timer ${err.message}`, syntax: err instanceof TimerSyntaxError };
  }
}
