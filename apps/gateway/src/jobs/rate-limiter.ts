/**
 * The shared brake on Netzme calls made by background jobs: at most `maxConcurrency` calls in
 * flight and at most `maxRps` calls started per second (token bucket, burst = one second's worth).
 * Waiters are served first come, first served, so one busy job cannot starve another.
 *
 * The limits are per process (per replica): N replicas may together send N x maxRps. Set the
 * settings with the replica count in mind (docs/operations.md).
 */
export interface LimiterOptions {
  maxConcurrency: number;
  /** Calls started per second; 0 = no rate limit. */
  maxRps: number;
  /** Bucket size; defaults to max(1, maxRps). */
  burst?: number;
  /** Injectable clock (tests). */
  now?: () => number;
}

export interface LimiterStats {
  inFlight: number;
  queued: number;
  /** Calls that had to wait for a slot or a token. */
  waitedTotal: number;
  /** Calls started through the limiter. */
  startedTotal: number;
}

export class RateLimiter {
  private readonly maxConcurrency: number;
  private readonly maxRps: number;
  private readonly burst: number;
  private readonly now: () => number;
  private tokens: number;
  private refilledAt: number;
  private inFlight = 0;
  private waitedTotal = 0;
  private startedTotal = 0;
  private readonly waiters: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(options: LimiterOptions) {
    if (!Number.isInteger(options.maxConcurrency) || options.maxConcurrency < 1) {
      throw new Error('maxConcurrency must be a positive integer');
    }
    if (!(options.maxRps >= 0)) {
      throw new Error('maxRps must be zero (no limit) or positive');
    }
    this.maxConcurrency = options.maxConcurrency;
    this.maxRps = options.maxRps;
    this.burst = options.burst ?? Math.max(1, options.maxRps);
    this.now = options.now ?? Date.now;
    this.tokens = this.burst;
    this.refilledAt = this.now();
  }

  /** Run fn once a concurrency slot and a rate token are free; the slot is freed when fn settles. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.inFlight--;
      this.pump();
    }
  }

  stats(): LimiterStats {
    return { inFlight: this.inFlight, queued: this.waiters.length, waitedTotal: this.waitedTotal, startedTotal: this.startedTotal };
  }

  private acquire(): Promise<void> {
    if (this.waiters.length === 0 && this.tryTake()) {
      return Promise.resolve();
    }
    this.waitedTotal++;
    return new Promise<void>((resolve) => {
      this.waiters.push(resolve);
      this.pump();
    });
  }

  /** Take a slot and a token if both are available right now. */
  private tryTake(): boolean {
    if (this.inFlight >= this.maxConcurrency) {
      return false;
    }
    if (this.maxRps > 0) {
      this.refill();
      if (this.tokens < 1) {
        return false;
      }
      this.tokens -= 1;
    }
    this.inFlight++;
    this.startedTotal++;
    return true;
  }

  private refill(): void {
    const now = this.now();
    const elapsed = Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.maxRps) / 1000);
    this.refilledAt = now;
  }

  /** Hand free capacity to waiters in order; if only tokens are missing, wake up when one is due. */
  private pump(): void {
    while (this.waiters.length > 0 && this.tryTake()) {
      this.waiters.shift()!();
    }
    if (this.waiters.length > 0 && this.inFlight < this.maxConcurrency && this.timer === undefined) {
      const waitMs = Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.maxRps));
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, waitMs);
      this.timer.unref();
    }
  }
}
