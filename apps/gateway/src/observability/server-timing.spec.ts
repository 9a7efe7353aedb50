import { setTimeout as sleep } from 'node:timers/promises';
import { currentRequestId, requestContext } from './request-context';
import { serverTimingHeader, timed, withServerTiming } from './server-timing';

describe('server timing', () => {
  it('adds each timed phase to the request it ran in, and keeps the request id for log lines', async () => {
    const { result, timing } = await requestContext.run({ requestId: 'req-1' }, () =>
      withServerTiming(async () => {
        await timed('db', () => sleep(20));
        await timed('netzme', () => sleep(30));
        await timed('db', () => sleep(20));
        return currentRequestId();
      }),
    );
    expect(result).toBe('req-1');
    expect(timing.db).toBeGreaterThanOrEqual(35);
    expect(timing.netzme).toBeGreaterThanOrEqual(25);
    expect(timing.netzme).toBeLessThan(timing.db + 30);
  });

  it('keeps concurrent requests apart', async () => {
    const [slow, fast] = await Promise.all([
      withServerTiming(() => timed('netzme', () => sleep(60))),
      withServerTiming(async () => {
        await sleep(5);
        await timed('netzme', () => sleep(5));
      }),
    ]);
    expect(slow.timing.netzme).toBeGreaterThanOrEqual(55);
    expect(fast.timing.netzme).toBeLessThan(40);
    expect(fast.timing.db).toBe(0);
  });

  it('counts a phase that throws, and passes the error on', async () => {
    const { timing } = await withServerTiming(async () => {
      await expect(
        timed('netzme', async () => {
          await sleep(10);
          throw new Error('timeout');
        }),
      ).rejects.toThrow('timeout');
    });
    expect(timing.netzme).toBeGreaterThanOrEqual(8);
  });

  it('is a no-op outside a timed request (pollers, jobs)', async () => {
    await expect(timed('db', async () => 'row')).resolves.toBe('row');
    expect(serverTimingHeader({ netzme: 12.34, db: 1.06 })).toBe('netzme;dur=12.3, db;dur=1.1');
  });
});
