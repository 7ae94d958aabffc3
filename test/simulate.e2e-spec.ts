import { parseSimulateArgs, runSimulate, simulate, type SimulateIo } from '../src/demo/simulate.command.js';

function capture(): SimulateIo & { lines: string[]; errors: string[]; bar: number[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  const bar: number[] = [];
  return {
    lines,
    errors,
    bar,
    out: (l) => lines.push(l),
    err: (l) => errors.push(l),
    progress: (done) => bar.push(done),
  };
}

const months = (lines: string[]) => lines.filter((l) => /^\d{4}-\d{2} \|/.test(l));

/** `npm run cli -- simulate`: the demo on a virtual clock in a throw-away database, month by month. */
describe('simulate', () => {
  it("with the units doing nothing: 催报 for every report, the late problem turns red, the month's bulletin names the units, notices follow", async () => {
    const io = capture();
    // To the first day of the next cycle: its bulletin and its 督办单 are issued on 1 September.
    const res = await simulate({ from: '2017-08-03', until: '2017-09-01', act: 'none' }, io);
    expect(io.lines[0]).toBe('demo loaded at 2017-08-03: 25 units, 30 problems, 30 processes started');
    expect(months(io.lines).map((l) => l.slice(0, 7))).toEqual(['2017-08', '2017-09']);
    const [aug, sep] = res.months;
    // 加油站油气回收 was due on 2017-06-30, before the plan: red at once, one action at the highest rung it
    // reached (约谈, 23 working days late), not 提醒, 督办单 and 通报 in the same minute; 专项督察 follows on its day.
    expect(aug.newRed).toEqual(['TM2017-01']);
    expect(aug.actions.notice ?? 0).toBe(0);
    expect(aug.actions.reminder ?? 0).toBe(0);
    expect(aug.actions.interview).toBe(1);
    expect(aug.actions.inspection).toBe(1);
    expect(aug.reports).toEqual({ asked: 30, missing: 30 });
    expect(aug.actions.urge).toBe(30);
    expect(sep.bulletins).toEqual([{ month: '2017-08', documentNo: '督改通〔2017〕1号', named: 18 }]);
    // One 督办单 per unit the bulletin names.
    expect(sep.actions.notice).toBe(18);
    expect(io.lines.some((l) => /^专项督察　+ +\d+ {2}2017-08-14/.test(l))).toBe(true);
    expect(months(io.lines)[1]).toContain('通报 督改通〔2017〕1号(2017-08) 点名18');
    expect(io.bar.at(-1)).toBe(res.days);
    expect(res.days).toBe(30);
  }, 600_000);

  it('with the units acting on time: reports in, problems signed off before their deadlines, nobody named', async () => {
    const io = capture();
    const res = await simulate({ from: '2017-08-03', until: '2017-11-02', act: 'on-time' }, io);
    expect(months(io.lines).map((l) => l.slice(0, 7))).toEqual(['2017-08', '2017-09', '2017-10', '2017-11']);
    const [aug, sep, oct] = res.months;
    expect(aug.reports.missing).toBe(0);
    expect(aug.actions.urge ?? 0).toBe(0);
    // The one already late at the plan's date is done within the month; 黄标车 (due 2017-10-31) is signed off in October.
    expect(aug.closed).toBe(1);
    expect(oct.closed).toBeGreaterThanOrEqual(3);
    expect(sep.bulletins).toEqual([{ month: '2017-08', documentNo: '督改通〔2017〕1号', named: 0 }]);
    expect(res.months.every((m) => m.lights.red === 0)).toBe(true);
  }, 600_000);

  it('with the units acting each as its role: an extension granted and one refused, a 公示 objection upheld, every rung', async () => {
    const io = capture();
    const res = await simulate({ from: '2017-08-03', until: '2017-12-31', act: 'mixed' }, io);
    const total = (k: string) => res.months.reduce((n, m) => n + (m.actions[k] ?? 0), 0);
    // One asked for ten days before its deadline and granted, one refused (the refused unit then climbs the ladder).
    expect(total('extension')).toBe(2);
    expect(res.months.reduce((n, m) => n + m.notices.objections, 0)).toBe(1);
    expect(res.months.reduce((n, m) => n + m.notices.upheld, 0)).toBe(1);
    const rungs = ['reminder', 'notice', 'bulletin', 'interview', 'inspection', 'accountability'];
    expect(rungs.filter((k) => !total(k))).toEqual([]);
    expect(io.lines.some((l) => /^延期　+ +2 {2}2017-09-20 {2}2017-10-21$/.test(l))).toBe(true);
    // Co-units late on their parts, and the year's scores.
    expect(io.lines.some((l) => l.startsWith('配合单位分工'))).toBe(true);
    expect(io.lines.some((l) => l.startsWith('2017年度考核'))).toBe(true);
  }, 600_000);

  it('checks its arguments', async () => {
    expect(parseSimulateArgs(['--until', '2018-06-30'])).toEqual({
      from: '2017-08-03',
      until: '2018-06-30',
      act: 'none',
      importFile: undefined,
    });
    expect(parseSimulateArgs(['--until=2018-06-30', '--act', 'on-time', '--from', '2017-09-01'])).toMatchObject({
      from: '2017-09-01',
      act: 'on-time',
    });
    for (const bad of [
      [],
      ['--until', '2018-02-30'],
      ['--until', '2018-06-30', '--act', 'late'],
      ['--until', '2017-01-01'],
      ['--until', '2018-06-30', '--until', '2018-07-01'],
      ['--bogus', '1'],
      ['--until', '2018-06-30', '--problems', '0'],
      ['--until', '2018-06-30', '--problems', '20001'],
      ['--until', '2018-06-30', '--problems', '1e3'],
      ['--until', '2018-06-30', '--problems', '10', '--import', 'x.xlsx'],
    ]) {
      const io = capture();
      expect([bad, await runSimulate(bad, io)]).toEqual([bad, 2]);
      expect(io.errors.join('\n')).toContain('usage');
    }
  });
});
