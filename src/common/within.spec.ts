import { setTimeout as sleep } from 'node:timers/promises';
import { within } from './within.js';

describe('within', () => {
  it('gives the result or the failure of work that settles in time', async () => {
    await expect(within(Promise.resolve(7), 50)).resolves.toBe(7);
    await expect(within(Promise.reject(new Error('refused')), 50)).rejects.toThrow('refused');
  });

  it('gives up on work that does not settle in time, naming it, and a later failure of it is not left unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const slow = sleep(200).then(() => Promise.reject(new Error('too late')));
      const t0 = Date.now();
      await expect(within(slow, 30, 'the queue')).rejects.toThrow('the queue did not finish within 30 ms');
      expect(Date.now() - t0).toBeLessThan(150);
      await sleep(250);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
