import { Injectable, OnApplicationShutdown } from '@nestjs/common';

/**
 * Every timer the sandbox starts (invoice expiry, held responses, callback back-off, auto-complete)
 * goes through here, so `close()` and `/sandbox/reset` can cancel them all and tests never leak
 * handles.
 */
@Injectable()
export class TimersService implements OnApplicationShutdown {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sleepers = new Set<() => void>();
  private closed = false;

  get isClosed(): boolean {
    return this.closed;
  }

  /** Run `fn` after `ms`; the returned cancel function is safe to call twice. */
  schedule(ms: number, fn: () => void): () => void {
    if (this.closed) {
      return () => undefined;
    }
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        fn();
      },
      Math.max(0, ms),
    );
    timer.unref();
    this.timers.add(timer);
    return () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    };
  }

  /** Resolves after `ms`, or at once when the sandbox shuts down (callers then see `isClosed`). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.closed) {
        resolve();
        return;
      }
      const done = () => {
        this.sleepers.delete(done);
        cancel();
        resolve();
      };
      const cancel = this.schedule(ms, done);
      this.sleepers.add(done);
    });
  }

  onApplicationShutdown(): void {
    this.closed = true;
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
    for (const wake of [...this.sleepers]) {
      wake();
    }
  }
}
