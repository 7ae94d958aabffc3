import { deserializeContext } from '../runtime/bpmn-runtime.js';
import { DEFAULT_TIMER_LIMITS } from '../runtime/timer-rules.js';
import { BpmnParseWorker, type ParseOptions } from './bpmn-parse-worker.js';
import { DeployError } from './deploy-error.js';

const NS = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const doc = (body: string) => `<definitions ${NS} id="d" targetNamespace="t">${body}</definitions>`;
const opts: ParseOptions = { maxBytes: 4 << 20, handlers: [], timerLimits: DEFAULT_TIMER_LIMITS, maxElements: 2000 };
const wait = (value: string, kind = 'timeDate') =>
  doc(`<process id="p" isExecutable="true"><startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="w"/>
    <intermediateCatchEvent id="w"><timerEventDefinition><${kind}>${value}</${kind}></timerEventDefinition>
    </intermediateCatchEvent></process>`);

describe('BpmnParseWorker', () => {
  const worker = new BpmnParseWorker();
  afterAll(() => worker.close());

  it('checks and serializes a file on its thread; its context loads here; literals left to the caller', async () => {
    const out = await worker.parse('ok.bpmn', Buffer.from(wait('workdays(5)')), opts);
    expect(out.problems).toEqual([]);
    expect(out.parsed).toMatchObject({ executableProcessIds: ['p'], processes: [{ id: 'p', isExecutable: true }] });
    expect(deserializeContext(out.parsed!.context)).toBeTruthy();
    expect(out.pendingLiterals).toEqual([expect.objectContaining({ element: 'w', value: 'workdays(5)' })]);
  });

  it('answers the problems of a refused file, several files at once', async () => {
    const [bad, good, huge] = await Promise.all([
      worker.parse('bad.bpmn', wait('R/PT0S', 'timeCycle'), opts),
      worker.parse('good.bpmn', wait('2026-05-01T09:00:00+08:00'), opts),
      worker.parse('huge.bpmn', doc(`<process id="h" isExecutable="true">${'<task/>'.repeat(5000)}</process>`), opts),
    ]);
    const zero = { element: 'w', reason: expect.stringMatching(/R\/PT0S' has a period of zero/) };
    expect(bad).toMatchObject({ parsed: null, problems: [zero] });
    expect(good.problems).toEqual([]);
    expect(huge.problems).toEqual([{ reason: expect.stringMatching(/more than 2000 elements/) }]);
  });

  it('stops a check that takes too long and refuses the file', async () => {
    const slow = new BpmnParseWorker(1);
    try {
      const err = await slow.parse('slow.bpmn', wait('2026-05-01T09:00:00+08:00'), opts).catch((e) => e);
      expect(err).toBeInstanceOf(DeployError);
      expect(err.message).toMatch(/^slow\.bpmn: checking the file took longer than 1 ms; it was stopped$/);
    } finally {
      await slow.close();
    }
  });
});
