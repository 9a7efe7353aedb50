import { RateLimiter } from './rate-limit';
import { loadRateLimitSettings } from './rate-limit.settings';

describe('RateLimiter (token bucket per key)', () => {
  it('allows a burst, then the sustained rate, and says when to retry', () => {
    let now = 0;
    const limiter = new RateLimiter(100, 200, () => now);
    for (let i = 0; i < 200; i++) expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    // Another key has its own bucket.
    expect(limiter.take('b').allowed).toBe(true);
    // 100 ms later: 10 tokens back.
    now += 100;
    for (let i = 0; i < 10; i++) expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    // Never more than the burst, however long the pause.
    now += 60_000;
    for (let i = 0; i < 200; i++) expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('gives a Retry-After of whole seconds at slow rates, and can be turned off', () => {
    let now = 0;
    const slow = new RateLimiter(1, 2, () => now);
    slow.take('k');
    slow.take('k');
    expect(slow.take('k')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now += 500;
    expect(slow.take('k')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    const off = new RateLimiter(0, 1, () => now);
    for (let i = 0; i < 1000; i++) expect(off.take('k').allowed).toBe(true);
  });

  it('defaults to 100 a second with bursts of 200, both settings', () => {
    expect(loadRateLimitSettings({})).toMatchObject({ RATE_LIMIT_PER_SECOND: 100, RATE_LIMIT_BURST: 200 });
    expect(loadRateLimitSettings({ RATE_LIMIT_PER_SECOND: '5', RATE_LIMIT_BURST: '10' })).toMatchObject({ RATE_LIMIT_PER_SECOND: 5, RATE_LIMIT_BURST: 10 });
    expect(() => loadRateLimitSettings({ RATE_LIMIT_BURST: '0' })).toThrow(/RATE_LIMIT_BURST/);
  });
});
