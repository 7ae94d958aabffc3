import { JuelError, evaluateText, parseTemplate } from './juel.js';

const NOW = Date.parse('2026-03-02T08:00:00.000Z');
const run = (text: string, variables: Record<string, unknown> = {}, local?: Record<string, unknown>) =>
  evaluateText(text, {
    variables,
    local,
    now: () => NOW,
    execution: { processInstanceId: 'pi-1', businessKey: 'BK-7' },
  });
const refusal = (text: string) => {
  try {
    parseTemplate(text);
  } catch (err) {
    expect(err).toBeInstanceOf(JuelError);
    return (err as JuelError).reason;
  }
  throw new Error(`${text} was accepted`);
};

describe('JUEL subset', () => {
  it('reads variables and their properties', () => {
    expect(run('${approved}', { approved: true })).toBe(true);
    expect(run('${order.lines[1].qty}', { order: { lines: [{ qty: 1 }, { qty: 4 }] } })).toBe(4);
    expect(run("${order['id']}", { order: { id: 'A' } })).toBe('A');
  });

  it('compares, combines and chooses as JUEL does', () => {
    const v = { a: 7, b: false, x: 'y', n: null, s: '5' };
    expect(run('${a > 5 && !b}', v)).toBe(true);
    expect(run('${a gt 5 and not b}', v)).toBe(true);
    expect(run("${x == 'y'}", v)).toBe(true);
    expect(run('${x eq "z" or a le 7}', v)).toBe(true);
    expect(run('${s == 5}', v)).toBe(true);
    expect(run('${empty n && !empty x}', v)).toBe(true);
    expect(run("${a > 10 ? 'high' : 'low'}", v)).toBe('low');
    expect(run('${(a + 3) * 2 - a % 4}', v)).toBe(17);
    expect(run('${a div 2}', v)).toBe(3.5);
  });

  it('answers execution.getVariable, with null for a variable that is not there', () => {
    expect(run("${execution.getVariable('x')}", { x: 3 })).toBe(3);
    expect(run("${execution.getVariable('nope') == null}", {})).toBe(true);
    expect(
      run('${execution.processBusinessKey == null ? 1 : 2}'.replace('processBusinessKey', 'getProcessBusinessKey()')),
    ).toBe(2);
    expect(run("${execution.hasVariable('x')}", { x: 0 })).toBe(true);
  });

  it('reads the multi-instance counters from the instance', () => {
    const local = { loopCounter: 2, nrOfInstances: 3, nrOfCompletedInstances: 2, nrOfActiveInstances: 1 };
    expect(run('${nrOfCompletedInstances / nrOfInstances >= 0.6}', {}, local)).toBe(true);
    expect(run('${loopCounter}', { loopCounter: 9 }, local)).toBe(2);
  });

  it('computes dates from the clock', () => {
    expect(run('${dateTime().plusDays(2).toDate()}')).toBe('2026-03-04T08:00:00.000Z');
    expect(run('${dateTime().plusHours(1).minusMinutes(30).toDate()}')).toBe('2026-03-02T08:30:00.000Z');
    expect(run('${now()}')).toBe('2026-03-02T08:00:00.000Z');
  });

  it('joins text and expressions into a string', () => {
    expect(run('Hello ${name}, you have ${count} tasks', { name: '王', count: 2 })).toBe('Hello 王, you have 2 tasks');
    expect(run("${status.equals('ok')}", { status: 'ok' })).toBe(true);
  });

  it('fails, naming the expression, where a variable or property is missing, rather than answering false', () => {
    expect(() => run('${approved}')).toThrow(/变量 approved 不存在.*\$\{approved\}/);
    expect(() => run('${a.b}', { a: {} })).toThrow(/属性 b 不存在/);
    expect(() => run('${a.b}', { a: null })).toThrow(/空值/);
  });

  it('refuses calls outside the allow-list and any reach to prototypes or globals, at parse', () => {
    expect(refusal("${require('fs')}")).toMatch(/不允许调用函数 require/);
    expect(refusal('${global.process.exit(1)}')).toMatch(/不允许调用方法 exit/);
    expect(refusal('${x.constructor}')).toMatch(/不允许访问 'constructor'/);
    expect(refusal("${x['__proto__']}")).toMatch(/不允许访问 '__proto__'/);
    expect(refusal('${execution.setVariable("a", 1)}')).toMatch(/不允许调用方法 setVariable/);
    expect(refusal('${a >}')).toMatch(/不完整/);
    expect(refusal('${a; b}')).toMatch(/不支持的字符/);
    expect(refusal('${a')).toMatch(/缺少结尾/);
    expect(refusal(`\${${'('.repeat(60)}1${')'.repeat(60)}}`)).toMatch(/嵌套过深/);
  });

  it('never reaches inherited properties of data', () => {
    expect(() => run('${x.toString}', { x: {} })).toThrow(/属性 toString 不存在/);
    expect(() => run('${x.length}', { x: 'abc' })).toThrow(/没有属性/);
  });
});
