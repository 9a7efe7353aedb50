import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';

/**
 * Time spent waiting for Netzme during one API request, reported in the `Server-Timing` header of
 * POST /orders (`netzme;dur=<ms>`), so operators and the benchmark can tell the gateway's own
 * latency from Netzme's.
 */
const store = new AsyncLocalStorage<{ ms: number }>();

export function withNetzmeTiming<T>(fn: () => Promise<T>): Promise<{ result: T; netzmeMs: number }> {
  const timing = { ms: 0 };
  return store.run(timing, async () => ({ result: await fn(), netzmeMs: timing.ms }));
}

/** Run a Netzme call and add its duration to the current request's timing (if any). */
export async function timedNetzmeCall<T>(fn: () => Promise<T>): Promise<T> {
  const timing = store.getStore();
  if (!timing) {
    return fn();
  }
  const started = performance.now();
  try {
    return await fn();
  } finally {
    timing.ms += performance.now() - started;
  }
}
