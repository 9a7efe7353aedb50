import { performance } from 'node:perf_hooks';
import { requestContext } from './request-context';

/**
 * Where one API request spent its time, reported in the `Server-Timing` header of POST /orders
 * (`netzme;dur=<ms>, db;dur=<ms>`), so operators and the benchmark can tell the gateway's own
 * latency from Netzme's, and the database's share of it from the process's.
 */
export type TimedPhase = 'netzme' | 'db';
export type PhaseTimes = Record<TimedPhase, number>;

/** Run `fn` with its own phase times (in the request's context, keeping its id). */
export async function withServerTiming<T>(fn: () => Promise<T>): Promise<{ result: T; timing: PhaseTimes }> {
  const timing: PhaseTimes = { netzme: 0, db: 0 };
  const requestId = requestContext.getStore()?.requestId;
  return requestContext.run({ requestId, timing }, async () => ({ result: await fn(), timing }));
}

/** Run `fn` and add its duration to the current request's `phase` (a no-op outside a timed request). */
export async function timed<T>(phase: TimedPhase, fn: () => Promise<T>): Promise<T> {
  const timing = requestContext.getStore()?.timing;
  if (!timing) {
    return fn();
  }
  const started = performance.now();
  try {
    return await fn();
  } finally {
    timing[phase] += performance.now() - started;
  }
}

/** The header value, e.g. `netzme;dur=12.3, db;dur=1.4`. */
export function serverTimingHeader(timing: PhaseTimes): string {
  return `netzme;dur=${timing.netzme.toFixed(1)}, db;dur=${timing.db.toFixed(1)}`;
}
