import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Pool as UndiciPool } from 'undici';
import { cpuMs, postgresCpuMs } from './cpu';

/** Driving POST /orders: the closed loop (autocannon), the paced open loop, and their statistics. */

export interface RunStats {
  target: string;
  scenario: string;
  /** CPU time of the server process per answered request (ms). */
  cpuPerRequestMs: number;
  /** CPU time of all of Postgres (backends, autovacuum, WAL writer) per answered request (ms). */
  pgCpuPerRequestMs: number;
  /** Answers other than 201 by HTTP status (e.g. 202 when Netzme timed out under load). */
  otherStatuses: Record<number, number>;
  /** [latency, sandbox time, database time] per request, for pooling rounds. */
  samples: Sample[];
  seconds: number;
  requests: number;
  errors: number;
  throughput: number;
  latency: { p50: number; p99: number };
  netzme: { p50: number; p99: number };
  alone: { p50: number; p99: number };
  /** Time in database calls (the gateway's Server-Timing `db`; the baseline's one insert). */
  db: { p50: number; p99: number };
}

export type Sample = [latency: number, netzme: number, db: number];

/** Durations from a `Server-Timing` header such as `netzme;dur=12.3, db;dur=1.4`. */
function serverTiming(value: unknown): { netzme: number; db: number } {
  const text = String(value ?? '');
  const dur = (name: string) => Number(new RegExp(`${name};dur=([\\d.]+)`).exec(text)?.[1] ?? NaN);
  return { netzme: dur('netzme'), db: dur('db') };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const round = (n: number) => Math.round(n * 10) / 10;

/** Percentiles of a run (or of pooled runs) from its per-request [latency, sandbox time] samples. */
export function toStats(
  base: Pick<RunStats, 'target' | 'scenario' | 'otherStatuses' | 'cpuPerRequestMs' | 'pgCpuPerRequestMs' | 'errors'>,
  samples: Sample[],
  seconds: number,
): RunStats {
  const sort = (a: number[]) => [...a].sort((x, y) => x - y);
  const [l, z, a, d] = [sort(samples.map((x) => x[0])), sort(samples.map((x) => x[1])), sort(samples.map((x) => x[0] - x[1])), sort(samples.map((x) => x[2]))];
  return {
    ...base,
    samples,
    seconds: round(seconds),
    requests: samples.length,
    throughput: round(samples.length / seconds),
    latency: { p50: round(percentile(l, 50)), p99: round(percentile(l, 99)) },
    netzme: { p50: round(percentile(z, 50)), p99: round(percentile(z, 99)) },
    alone: { p50: round(percentile(a, 50)), p99: round(percentile(a, 99)) },
    db: { p50: round(percentile(d, 50)), p99: round(percentile(d, 99)) },
  };
}

/** The slice of autocannon's programmatic API used here (the package ships no type declarations). */
interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  setupRequest?: (req: AutocannonRequest, context: Record<string, number>) => AutocannonRequest;
  onResponse?: (status: number, body: string, context: Record<string, number>, headers: Record<string, string | string[]>) => void;
}
interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: {
  url: string;
  connections: number;
  duration: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;

/**
 * Closed-loop load with autocannon (one request in flight per connection, keep-alive), each request
 * a new order. Latency is measured per request, and paired with that request's Server-Timing.
 */
export async function load(
  target: string,
  url: string,
  scenario: string,
  seconds: number,
  connections: number,
  authorization?: string,
  pid?: number,
  rate?: number,
): Promise<RunStats> {
  if (rate) {
    return paced(target, url, scenario, seconds, connections, rate, authorization, pid);
  }
  const cpuBefore = cpuMs(pid);
  const pgCpuBefore = postgresCpuMs();
  const samples: Sample[] = [];
  let errors = 0;
  const otherStatuses: Record<number, number> = {};
  let n = 0;
  const tag = randomUUID().slice(0, 8);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) };
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/orders',
        headers,
        setupRequest: (req, context) => {
          context.started = performance.now();
          return { ...req, body: JSON.stringify({ merchantOrderId: `B-${tag}-${n++}`, amount: '15000.00', payMethod: scenario }) };
        },
        onResponse: (status, _body, context, responseHeaders) => {
          const ms = performance.now() - context.started;
          if (status !== 201) {
            errors++;
            otherStatuses[status] = (otherStatuses[status] ?? 0) + 1;
            return;
          }
          const key = Object.keys(responseHeaders).find((h) => h.toLowerCase() === 'server-timing');
          const timing = serverTiming(key ? responseHeaders[key] : '');
          samples.push([ms, timing.netzme, timing.db]);
        },
      },
    ],
  });
  errors += result.errors + result.timeouts;
  const answered = Math.max(1, samples.length + errors);
  const cpuPerRequestMs = round((cpuMs(pid) - cpuBefore) / answered);
  const pgCpuPerRequestMs = round((postgresCpuMs() - pgCpuBefore) / answered);
  return toStats({ target, scenario, otherStatuses, cpuPerRequestMs, pgCpuPerRequestMs, errors }, samples, result.duration);
}

/**
 * Open-loop load at a fixed rate: request i is due at start + i / rate, spread evenly (autocannon's
 * own rate limit sends each second's budget in a burst), over at most `connections` keep-alive
 * connections. Latency counts from the due time, so a request that waited for a free connection
 * is charged its wait (no coordinated omission).
 */
async function paced(
  target: string,
  url: string,
  scenario: string,
  seconds: number,
  connections: number,
  rate: number,
  authorization?: string,
  pid?: number,
): Promise<RunStats> {
  const cpuBefore = cpuMs(pid);
  const pgCpuBefore = postgresCpuMs();
  // No cap on connections: each request goes out when due, on a free keep-alive connection or a new
  // one. With a cap, a stall downstream (the sandbox, i.e. Netzme) would hold every connection and
  // the next requests would queue here, in the load generator, and be charged to the server.
  void connections;
  const pool = new UndiciPool(url, { connections: null, pipelining: 1 });
  const tag = randomUUID().slice(0, 8);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) };
  const samples: Sample[] = [];
  const otherStatuses: Record<number, number> = {};
  let errors = 0;
  const one = async (n: number, due: number): Promise<void> => {
    try {
      const res = await pool.request({
        method: 'POST',
        path: '/orders',
        headers,
        body: JSON.stringify({ merchantOrderId: `P-${tag}-${n}`, amount: '15000.00', payMethod: scenario }),
      });
      await res.body.text();
      const ms = performance.now() - due;
      if (res.statusCode !== 201) {
        errors++;
        otherStatuses[res.statusCode] = (otherStatuses[res.statusCode] ?? 0) + 1;
        return;
      }
      const timing = serverTiming(res.headers['server-timing']);
      samples.push([ms, timing.netzme, timing.db]);
    } catch {
      errors++;
    }
  };
  const interval = 1000 / rate;
  const started = performance.now();
  const inFlight: Array<Promise<void>> = [];
  let sent = 0;
  while (performance.now() - started < seconds * 1000) {
    const due = Math.floor((performance.now() - started) / interval);
    for (; sent <= due; sent++) {
      inFlight.push(one(sent, started + sent * interval));
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  const answered = Math.max(1, samples.length + errors);
  const cpuPerRequestMs = round((cpuMs(pid) - cpuBefore) / answered);
  const pgCpuPerRequestMs = round((postgresCpuMs() - pgCpuBefore) / answered);
  return toStats({ target, scenario, otherStatuses, cpuPerRequestMs, pgCpuPerRequestMs, errors }, samples, elapsed);
}
