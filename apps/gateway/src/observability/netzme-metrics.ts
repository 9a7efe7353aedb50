import type { NetzmeCallLog, NetzmeLogger } from '@app/netzme-client';
import { MetricsService, REQUEST_BUCKETS_SECONDS } from './metrics.service';

/** The client's outcome in on-call words: Netzme said yes, Netzme said no, or nobody knows. */
const OUTCOME: Record<NetzmeCallLog['outcome'], string> = { success: 'success', definite: 'failure', unknown: 'unknown' };

/**
 * Netzme call metrics from the client's own call log (one entry per call, retries included in it),
 * so libs/netzme-client stays free of any metrics library: this wraps the logger it is given.
 */
export function withNetzmeMetrics(metrics: MetricsService, next: NetzmeLogger): NetzmeLogger {
  const calls = metrics.counter(
    'gateway_netzme_calls_total',
    'Calls to Netzme by endpoint and outcome: success, failure (Netzme definitely refused, or nothing was sent) or unknown (timeout, 5xx: may have happened)',
    ['endpoint', 'outcome'],
  );
  const durations = metrics.histogram(
    'gateway_netzme_call_duration_seconds',
    'Duration of calls to Netzme (all attempts of one call), by endpoint and outcome',
    ['endpoint', 'outcome'],
    REQUEST_BUCKETS_SECONDS,
  );
  const record = (entry: NetzmeCallLog): void => {
    const labels = { endpoint: entry.endpoint, outcome: OUTCOME[entry.outcome] ?? entry.outcome };
    calls.inc(labels);
    durations.observe(labels, entry.durationMs / 1000);
  };
  return {
    info: (entry) => {
      record(entry);
      next.info(entry);
    },
    warn: (entry) => {
      record(entry);
      next.warn(entry);
    },
  };
}
