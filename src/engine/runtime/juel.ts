/**
 * The subset of JUEL (the expression language of Camunda 7) that models from Camunda Modeler use: variables and
 * their properties, literals, comparisons, `&& || ! and or not empty`, `?:`, arithmetic, `execution.getVariable`,
 * the multi-instance counters and a few date functions. Parsed to a tree and evaluated by walking it: nothing is
 * ever handed to eval, Function or vm; calls reach only the functions and methods listed here, and property
 * access only own properties of plain data (never prototypes, constructors or globals).
 */

export class JuelError extends Error {
  constructor(
    readonly expression: string,
    readonly reason: string,
  ) {
    super(`${reason}（表达式 ${expression}）`);
    this.name = 'JuelError';
  }
}

export type Node =
  | { k: 'lit'; v: unknown }
  | { k: 'id'; name: string }
  | { k: 'member'; obj: Node; prop: Node }
  | { k: 'call'; name: string; target: Node | null; args: Node[] }
  | { k: 'unary'; op: '!' | '-' | 'empty'; arg: Node }
  | { k: 'binary'; op: string; left: Node; right: Node }
  | { k: 'cond'; test: Node; then: Node; else: Node };

/** A parsed `${…}` text: one expression (its value kept as is) or text with expressions (a string). */
export type Template = { whole: Node } | { parts: (string | Node)[] };

// Own properties only: the tables below are plain objects, and `constructor` or `toString` must not match them.
const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const MAX_LENGTH = 2000;
const MAX_DEPTH = 40;
const KEYWORDS: Record<string, string> = {
  and: '&&',
  or: '||',
  not: '!',
  eq: '==',
  ne: '!=',
  lt: '<',
  gt: '>',
  le: '<=',
  ge: '>=',
  div: '/',
  mod: '%',
};
const FORBIDDEN = /^(?:constructor|prototype|__\w*|\$.*)$/;
const MI_NAMES = new Set(['loopCounter', 'nrOfInstances', 'nrOfCompletedInstances', 'nrOfActiveInstances']);

/** Functions a model may call by name (Camunda's built-in JUEL functions). */
const FUNCTIONS: Record<string, number> = { dateTime: 0, now: 0 };
/** Methods of `execution` a model may call, with their argument counts. */
const EXECUTION_METHODS: Record<string, number[]> = {
  getVariable: [1],
  hasVariable: [1],
  getVariableLocal: [1],
  getProcessInstanceId: [0],
  getProcessBusinessKey: [0],
  getBusinessKey: [0],
  getCurrentActivityId: [0],
  getActivityId: [0],
  getId: [0],
  getProcessDefinitionId: [0],
};
const DATE_UNITS = ['Years', 'Months', 'Weeks', 'Days', 'Hours', 'Minutes', 'Seconds', 'Millis'];
/** Methods on values (strings, lists, dates): pure, bounded, named here one by one. */
const VALUE_METHODS: Record<string, number[]> = {
  equals: [1],
  equalsIgnoreCase: [1],
  contains: [1],
  startsWith: [1],
  endsWith: [1],
  isEmpty: [0],
  size: [0],
  length: [0],
  toUpperCase: [0],
  toLowerCase: [0],
  trim: [0],
  toString: [0],
  toDate: [0],
  getTime: [0],
  ...Object.fromEntries(
    DATE_UNITS.flatMap((u) => [
      [`plus${u}`, [1]],
      [`minus${u}`, [1]],
    ]),
  ),
};

type Tok = { t: 'num' | 'str' | 'id' | 'op' | 'end'; v: string | number; at: number };

function tokenize(src: string, expr: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/\d/.test(c) || (c === '.' && /\d/.test(src[i + 1] ?? ''))) {
      const m = /^(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i))!;
      out.push({ t: 'num', v: Number(m[0]), at: i });
      i += m[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      let s = '';
      let j = i + 1;
      for (; j < src.length && src[j] !== c; j++) {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        s += src[j];
      }
      if (j >= src.length) throw new JuelError(expr, '字符串没有结束引号');
      out.push({ t: 'str', v: s, at: i });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][\w$]*/.exec(src.slice(i))!;
      const word = m[0];
      out.push(has(KEYWORDS, word) ? { t: 'op', v: KEYWORDS[word], at: i } : { t: 'id', v: word, at: i });
      i += word.length;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['==', '!=', '<=', '>=', '&&', '||'].includes(two)) {
      out.push({ t: 'op', v: two, at: i });
      i += 2;
      continue;
    }
    if ('<>!?:.[](),+-*/%'.includes(c)) {
      out.push({ t: 'op', v: c, at: i });
      i++;
      continue;
    }
    throw new JuelError(expr, `不支持的字符 '${c}'`);
  }
  out.push({ t: 'end', v: '', at: src.length });
  return out;
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly expr: string,
  ) {}

  parse(): Node {
    const n = this.ternary();
    if (this.peek().t !== 'end') this.fail(`多余的内容 '${this.peek().v}'`);
    return n;
  }

  private fail(reason: string): never {
    throw new JuelError(this.expr, reason);
  }
  private peek(): Tok {
    return this.toks[this.i];
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }
  private eat(v: string): void {
    if (!this.isOp(v)) this.fail(`此处应为 '${v}'`);
    this.i++;
  }
  private nest<T>(f: () => T): T {
    if (++this.depth > MAX_DEPTH) this.fail('嵌套过深');
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private ternary(): Node {
    return this.nest(() => {
      const test = this.binary(0);
      if (!this.isOp('?')) return test;
      this.i++;
      const then = this.ternary();
      this.eat(':');
      return { k: 'cond', test, then, else: this.ternary() };
    });
  }

  private static LEVELS = [['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];

  private binary(level: number): Node {
    if (level >= Parser.LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    while (this.peek().t === 'op' && Parser.LEVELS[level].includes(this.peek().v as string)) {
      const op = this.toks[this.i++].v as string;
      left = { k: 'binary', op, left, right: this.binary(level + 1) };
    }
    return left;
  }

  private unary(): Node {
    return this.nest(() => {
      if (this.isOp('!') || this.isOp('-')) {
        const op = this.toks[this.i++].v as '!' | '-';
        return { k: 'unary', op, arg: this.unary() };
      }
      const t = this.peek();
      if (t.t === 'id' && t.v === 'empty') {
        this.i++;
        return { k: 'unary', op: 'empty', arg: this.unary() };
      }
      return this.suffixes(this.primary());
    });
  }

  private primary(): Node {
    const t = this.toks[this.i++];
    if (t.t === 'num' || t.t === 'str') return { k: 'lit', v: t.v };
    if (t.t === 'op' && t.v === '(') {
      const n = this.ternary();
      this.eat(')');
      return n;
    }
    if (t.t === 'id') {
      const name = t.v as string;
      if (name === 'true' || name === 'false') return { k: 'lit', v: name === 'true' };
      if (name === 'null') return { k: 'lit', v: null };
      if (this.isOp('(')) {
        if (!has(FUNCTIONS, name))
          this.fail(`不允许调用函数 ${name}()：只允许 ${Object.keys(FUNCTIONS).join('()、')}()`);
        const args = this.args();
        if (args.length !== FUNCTIONS[name]) this.fail(`函数 ${name}() 的参数个数不对`);
        return { k: 'call', name, target: null, args };
      }
      if (FORBIDDEN.test(name)) this.fail(`不允许访问 '${name}'`);
      return { k: 'id', name };
    }
    this.fail(t.t === 'end' ? '表达式不完整' : `此处不能是 '${t.v}'`);
  }

  private args(): Node[] {
    this.eat('(');
    const args: Node[] = [];
    if (!this.isOp(')')) {
      do args.push(this.ternary());
      while (this.isOp(',') && ++this.i);
    }
    this.eat(')');
    return args;
  }

  private suffixes(node: Node): Node {
    for (;;) {
      if (this.isOp('.')) {
        this.i++;
        const t = this.toks[this.i++];
        if (t.t !== 'id') this.fail(`'.' 之后应为属性名`);
        const name = t.v as string;
        if (FORBIDDEN.test(name)) this.fail(`不允许访问 '${name}'`);
        if (this.isOp('(')) {
          const args = this.args();
          const onExecution = node.k === 'id' && node.name === 'execution';
          const table = onExecution ? EXECUTION_METHODS : VALUE_METHODS;
          const allowed = has(table, name) ? table[name] : undefined;
          if (!allowed) this.fail(`不允许调用方法 ${name}()`);
          if (!allowed.includes(args.length)) this.fail(`方法 ${name}() 的参数个数不对`);
          node = { k: 'call', name, target: node, args };
        } else node = { k: 'member', obj: node, prop: { k: 'lit', v: name } };
      } else if (this.isOp('[')) {
        this.i++;
        const prop = this.ternary();
        this.eat(']');
        if (prop.k === 'lit' && typeof prop.v === 'string' && FORBIDDEN.test(prop.v))
          this.fail(`不允许访问 '${prop.v}'`);
        node = { k: 'member', obj: node, prop };
      } else return node;
    }
  }
}

/** Parses one expression body (the text inside `${…}`); throws JuelError naming what is not supported. */
export function parseExpression(body: string, whole = `\${${body}}`): Node {
  if (body.length > MAX_LENGTH) throw new JuelError(whole.slice(0, 60) + '…', `表达式超过 ${MAX_LENGTH} 个字符`);
  return new Parser(tokenize(body, whole), whole).parse();
}

/** Splits a text into literal parts and `${…}` / `#{…}` expressions, honouring quotes inside an expression. */
export function parseTemplate(text: string): Template {
  const parts: (string | Node)[] = [];
  let i = 0;
  let lit = '';
  while (i < text.length) {
    if ((text[i] === '$' || text[i] === '#') && text[i + 1] === '{') {
      let j = i + 2;
      let quote: string | null = null;
      for (; j < text.length; j++) {
        const c = text[j];
        if (quote) {
          if (c === '\\') j++;
          else if (c === quote) quote = null;
        } else if (c === "'" || c === '"') quote = c;
        else if (c === '}') break;
      }
      if (j >= text.length) throw new JuelError(text, '表达式缺少结尾的 }');
      if (lit) parts.push(lit);
      lit = '';
      parts.push(parseExpression(text.slice(i + 2, j), text.slice(i, j + 1)));
      i = j + 1;
    } else lit += text[i++];
  }
  if (lit) parts.push(lit);
  if (parts.length === 1 && typeof parts[0] !== 'string') return { whole: parts[0] };
  return { parts };
}

export function hasExpression(text: unknown): boolean {
  return typeof text === 'string' && /[$#]\{/.test(text);
}

/** What an expression can read: the variables, the execution, and the multi-instance counters where in a loop. */
export interface JuelScope {
  variables: Record<string, unknown>;
  /** Variables of the current multi-instance iteration or activity (the element variable, loopCounter…). */
  local?: Record<string, unknown>;
  execution?: {
    processInstanceId?: string;
    businessKey?: string | null;
    activityId?: string;
    executionId?: string;
    definitionId?: string;
  };
  now: () => number;
}

/** Camunda's `dateTime()`: a point in time that the plus…/minus… methods move; toDate() gives the Date. */
export class JuelDateTime {
  constructor(readonly ms: number) {}
  toJSON(): string {
    return new Date(this.ms).toISOString();
  }
}

function evaluate(node: Node, scope: JuelScope, expr: string): unknown {
  const fail = (reason: string): never => {
    throw new JuelError(expr, reason);
  };
  const ev = (n: Node): unknown => evaluate(n, scope, expr);
  const variable = (name: string, strict: boolean): unknown => {
    if (scope.local && has(scope.local, name)) return scope.local[name];
    if (has(scope.variables, name)) return scope.variables[name];
    if (MI_NAMES.has(name) && !strict) return null;
    if (strict) fail(`变量 ${name} 不存在`);
    return null;
  };
  switch (node.k) {
    case 'lit':
      return node.v;
    case 'id':
      if (node.name === 'execution' && !has(scope.variables, 'execution')) return EXECUTION;
      return variable(node.name, true);
    case 'member': {
      const obj = ev(node.obj);
      const key = ev(node.prop);
      if (obj === null || obj === undefined) fail(`不能读取空值的属性 ${String(key)}`);
      if (obj === EXECUTION) fail('execution 只能调用 getVariable 等方法');
      if (Array.isArray(obj)) {
        const idx = Number(key);
        if (!Number.isInteger(idx)) fail(`列表的下标 ${String(key)} 不是整数`);
        if (idx < 0 || idx >= obj.length) fail(`列表下标 ${idx} 越界`);
        return obj[idx];
      }
      if (typeof obj !== 'object' || obj instanceof JuelDateTime || obj instanceof Date)
        fail(`${typeof obj} 值没有属性 ${String(key)}`);
      const k = String(key);
      if (FORBIDDEN.test(k)) fail(`不允许访问 '${k}'`);
      if (!has(obj as object, k)) fail(`属性 ${k} 不存在`);
      return (obj as Record<string, unknown>)[k];
    }
    case 'call':
      return call(node, scope, expr, ev, variable);
    case 'unary': {
      if (node.op === 'empty') {
        const v = ev(node.arg);
        return (
          v === null ||
          v === undefined ||
          v === '' ||
          (Array.isArray(v) && !v.length) ||
          (typeof v === 'object' &&
            !(v instanceof Date) &&
            !(v instanceof JuelDateTime) &&
            !Array.isArray(v) &&
            !Object.keys(v as object).length)
        );
      }
      if (node.op === '!') return !toBool(ev(node.arg), fail);
      return -toNumber(ev(node.arg), fail);
    }
    case 'cond':
      return toBool(ev(node.test), fail) ? ev(node.then) : ev(node.else);
    case 'binary': {
      if (node.op === '&&') return toBool(ev(node.left), fail) && toBool(ev(node.right), fail);
      if (node.op === '||') return toBool(ev(node.left), fail) || toBool(ev(node.right), fail);
      const a = ev(node.left);
      const b = ev(node.right);
      switch (node.op) {
        case '==':
          return equals(a, b);
        case '!=':
          return !equals(a, b);
        case '<':
        case '>':
        case '<=':
        case '>=':
          return compare(node.op, a, b, fail);
        case '+':
          return toNumber(a, fail) + toNumber(b, fail);
        case '-':
          return toNumber(a, fail) - toNumber(b, fail);
        case '*':
          return toNumber(a, fail) * toNumber(b, fail);
        case '/': {
          const d = toNumber(b, fail);
          if (d === 0) fail('除数为 0');
          return toNumber(a, fail) / d;
        }
        case '%': {
          const d = toNumber(b, fail);
          if (d === 0) fail('除数为 0');
          return toNumber(a, fail) % d;
        }
      }
      return fail(`不支持的运算 ${node.op}`);
    }
  }
}

const EXECUTION = Object.freeze({ execution: true });

function call(
  node: Extract<Node, { k: 'call' }>,
  scope: JuelScope,
  expr: string,
  ev: (n: Node) => unknown,
  variable: (name: string, strict: boolean) => unknown,
): unknown {
  const fail = (reason: string): never => {
    throw new JuelError(expr, reason);
  };
  const args = node.args.map(ev);
  if (!node.target) {
    if (node.name === 'now') return new Date(scope.now());
    return new JuelDateTime(scope.now());
  }
  const target = ev(node.target);
  const ex = scope.execution ?? {};
  if (target === EXECUTION) {
    switch (node.name) {
      case 'getVariable':
      case 'getVariableLocal':
        return variable(String(args[0]), false);
      case 'hasVariable':
        return (
          (scope.local !== undefined && has(scope.local, String(args[0]))) || has(scope.variables, String(args[0]))
        );
      case 'getProcessInstanceId':
        return ex.processInstanceId ?? null;
      case 'getProcessBusinessKey':
      case 'getBusinessKey':
        return ex.businessKey ?? null;
      case 'getCurrentActivityId':
      case 'getActivityId':
        return ex.activityId ?? null;
      case 'getId':
        return ex.executionId ?? null;
      case 'getProcessDefinitionId':
        return ex.definitionId ?? null;
    }
  }
  const dateMethod = /^(plus|minus)(\w+)$/.exec(node.name);
  if (dateMethod) {
    if (!(target instanceof JuelDateTime)) fail(`${node.name}() 只能用于 dateTime()`);
    const n = toNumber(args[0], fail);
    if (!Number.isInteger(n) || Math.abs(n) > 100_000) fail(`${node.name}() 的参数 ${n} 不是合理的整数`);
    return shift(target as JuelDateTime, dateMethod[2], dateMethod[1] === 'plus' ? n : -n);
  }
  switch (node.name) {
    case 'toDate':
      if (target instanceof JuelDateTime) return new Date(target.ms);
      break;
    case 'getTime':
      if (target instanceof Date) return target.getTime();
      break;
    case 'equals':
      return equals(target, args[0]) && typeof target === typeof args[0];
    case 'equalsIgnoreCase':
      return (
        typeof target === 'string' && typeof args[0] === 'string' && target.toLowerCase() === args[0].toLowerCase()
      );
    case 'contains':
      if (typeof target === 'string') return target.includes(String(args[0]));
      if (Array.isArray(target)) return target.some((x) => equals(x, args[0]));
      break;
    case 'startsWith':
      if (typeof target === 'string') return target.startsWith(String(args[0]));
      break;
    case 'endsWith':
      if (typeof target === 'string') return target.endsWith(String(args[0]));
      break;
    case 'isEmpty':
    case 'size':
    case 'length':
      if (typeof target === 'string' || Array.isArray(target))
        return node.name === 'isEmpty' ? target.length === 0 : target.length;
      if (target && typeof target === 'object' && !(target instanceof Date) && !(target instanceof JuelDateTime)) {
        const n = Object.keys(target).length;
        return node.name === 'isEmpty' ? n === 0 : n;
      }
      break;
    case 'toUpperCase':
    case 'toLowerCase':
    case 'trim':
      if (typeof target === 'string')
        return node.name === 'trim'
          ? target.trim()
          : node.name === 'toUpperCase'
            ? target.toUpperCase()
            : target.toLowerCase();
      break;
    case 'toString':
      return toText(target);
  }
  return fail(`${describe(target)} 没有方法 ${node.name}()`);
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return '空值';
  if (Array.isArray(v)) return '列表';
  if (v instanceof JuelDateTime) return 'dateTime()';
  if (v instanceof Date) return '日期';
  return `${typeof v} 值`;
}

function shift(d: JuelDateTime, unit: string, n: number): JuelDateTime {
  const date = new Date(d.ms);
  switch (unit) {
    case 'Years':
      date.setUTCFullYear(date.getUTCFullYear() + n);
      break;
    case 'Months':
      date.setUTCMonth(date.getUTCMonth() + n);
      break;
    case 'Weeks':
      return new JuelDateTime(d.ms + n * 7 * 86_400_000);
    case 'Days':
      return new JuelDateTime(d.ms + n * 86_400_000);
    case 'Hours':
      return new JuelDateTime(d.ms + n * 3_600_000);
    case 'Minutes':
      return new JuelDateTime(d.ms + n * 60_000);
    case 'Seconds':
      return new JuelDateTime(d.ms + n * 1000);
    case 'Millis':
      return new JuelDateTime(d.ms + n);
  }
  return new JuelDateTime(date.getTime());
}

function toBool(v: unknown, fail: (r: string) => never): boolean {
  if (typeof v === 'boolean') return v;
  if (v === null || v === undefined || v === '') return false;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return fail(`${JSON.stringify(v)} 不是布尔值`);
}

function toNumber(v: unknown, fail: (r: string) => never): number {
  if (typeof v === 'number') return v;
  if (v === null || v === undefined || v === '') return 0;
  if (typeof v === 'string' && v.trim() !== '' && !isNaN(Number(v))) return Number(v);
  if (v instanceof Date) return v.getTime();
  return fail(`${JSON.stringify(v)} 不是数字`);
}

function equals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  if (typeof a === 'boolean' || typeof b === 'boolean') return String(a) === String(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (typeof a === 'string' || typeof b === 'string') return toText(a) === toText(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

function compare(op: string, a: unknown, b: unknown, fail: (r: string) => never): boolean {
  let x: number | string;
  let y: number | string;
  if (typeof a === 'string' && typeof b === 'string') [x, y] = [a, b];
  else [x, y] = [toNumber(a, fail), toNumber(b, fail)];
  if (a === null || b === null) return false;
  return op === '<' ? x < y : op === '>' ? x > y : op === '<=' ? x <= y : x >= y;
}

function toText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (v instanceof JuelDateTime) return v.toJSON();
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The value of a parsed template: a whole expression keeps its type (dates as ISO text); a mixed text is a string. */
export function evaluateTemplate(template: Template, scope: JuelScope, source: string): unknown {
  if ('whole' in template) {
    const v = evaluate(template.whole, scope, source);
    if (v instanceof JuelDateTime) return new Date(v.ms).toISOString();
    if (v instanceof Date) return v.toISOString();
    return v;
  }
  return template.parts.map((p) => (typeof p === 'string' ? p : toText(evaluate(p, scope, source)))).join('');
}

const cache = new Map<string, Template>();

/** Parse once per distinct text (the same definitions' expressions come back every step). */
export function compileTemplate(text: string): Template {
  let t = cache.get(text);
  if (!t) {
    t = parseTemplate(text);
    if (cache.size > 5000) cache.clear();
    cache.set(text, t);
  }
  return t;
}

export function evaluateText(text: string, scope: JuelScope): unknown {
  return evaluateTemplate(compileTemplate(text), scope, text);
}
