import { RateLimiter } from './rate-limiter';

/** A call that stays in flight until the test resolves it. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe(RateLimiter.name, () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('should never run more than maxConcurrency calls at once and start waiters in arrival order', async () => {
    const limiter = new RateLimiter({ maxConcurrency: 2, maxRps: 0 });
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((gate, i) =>
      limiter.run(async () => {
        started.push(i);
        await gate.promise;
        return i;
      }),
    );
    await flush();
    expect(started).toEqual([0, 1]);
    expect(limiter.stats()).toMatchObject({ inFlight: 2, queued: 2 });

    gates[1].resolve();
    await flush();
    expect(started).toEqual([0, 1, 2]);
    gates[0].resolve();
    gates[2].resolve();
    gates[3].resolve();
    await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2, 3]);
    expect(limiter.stats()).toMatchObject({ inFlight: 0, queued: 0, startedTotal: 4, waitedTotal: 2 });
  });

  it('should free the slot when the call throws, and pass the error through', async () => {
    const limiter = new RateLimiter({ maxConcurrency: 1, maxRps: 0 });
    await expect(limiter.run(async () => Promise.reject(new Error('netzme down')))).rejects.toThrow('netzme down');
    await expect(limiter.run(async () => 'next')).resolves.toBe('next');
    expect(limiter.stats().inFlight).toBe(0);
  });

  it('should start at most maxRps calls per second after the initial burst', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const limiter = new RateLimiter({ maxConcurrency: 100, maxRps: 5, now: () => Date.now() });
    const startedAt: number[] = [];
    const runs = Array.from({ length: 15 }, () =>
      limiter.run(async () => {
        startedAt.push(Date.now() - 1_000_000);
      }),
    );
    await flush();
    expect(startedAt).toHaveLength(5); // the burst: one second's worth

    await jest.advanceTimersByTimeAsync(1000);
    expect(startedAt).toHaveLength(10);
    await jest.advanceTimersByTimeAsync(1000);
    expect(startedAt).toHaveLength(15);
    await Promise.all(runs);
    // After the burst, calls are spaced 200 ms apart: 5 per second, never faster.
    const afterBurst = startedAt.slice(5);
    for (let i = 1; i < afterBurst.length; i++) {
      expect(afterBurst[i] - afterBurst[i - 1]).toBeGreaterThanOrEqual(200);
    }
  });

  it('should apply both limits together: tokens do not bypass the concurrency cap', async () => {
    jest.useFakeTimers({ now: 0 });
    const limiter = new RateLimiter({ maxConcurrency: 1, maxRps: 100, now: () => Date.now() });
    const gate = deferred();
    const first = limiter.run(() => gate.promise);
    let secondStarted = false;
    const second = limiter.run(async () => {
      secondStarted = true;
    });
    await jest.advanceTimersByTimeAsync(5000);
    expect(secondStarted).toBe(false);
    gate.resolve();
    await first;
    await second;
    expect(secondStarted).toBe(true);
  });

  it('should refuse nonsensical settings', () => {
    expect(() => new RateLimiter({ maxConcurrency: 0, maxRps: 1 })).toThrow(/maxConcurrency/);
    expect(() => new RateLimiter({ maxConcurrency: 1, maxRps: -1 })).toThrow(/maxRps/);
  });
});
