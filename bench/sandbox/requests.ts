import { jakartaTimestamp, signSymmetric } from '@app/snap';
import type { SandboxCredentials } from '../../apps/netzme-sandbox/src/sandbox';

/** Signed requests to the sandbox and autocannon's figures of a run. */

/** The slice of autocannon's programmatic API used here (the package ships no type declarations). */
export interface AutocannonResult {
  requests: { average: number; total: number };
  duration: number;
  latency: { p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const autocannon = require('autocannon') as (options: {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  duration: number;
  /** Requests per second across all connections (a steady load, whatever the machine's speed). */
  overallRate?: number;
  requests?: {
    method: string;
    path: string;
    setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
    onResponse?: (status: number, body: string) => void;
  }[];
}) => Promise<AutocannonResult>;
export interface AutocannonRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export async function post(url: string, headers: Record<string, string>, body: string): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers, body });
  return response.json();
}

export function signedHeaders(
  credentials: SandboxCredentials,
  token: string,
  path: string,
  body: string,
  externalId = '41807553358950093184162180797837',
): Record<string, string> {
  const timestamp = jakartaTimestamp();
  return {
    'Content-Type': 'application/json',
    Authorization: `Bearer ${token}`,
    'X-TIMESTAMP': timestamp,
    'X-SIGNATURE': signSymmetric(credentials.clientSecret, { method: 'POST', path, accessToken: token, body, timestamp }),
    'X-PARTNER-ID': credentials.clientId,
    'X-EXTERNAL-ID': externalId,
    'CHANNEL-ID': '95221',
  };
}

export interface ScenarioFigures {
  scenario: string;
  requestsPerSecond: number;
  totalRequests: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
}

export function figures(scenario: string, result: AutocannonResult): ScenarioFigures {
  return {
    scenario,
    requestsPerSecond: Math.round(result.requests.average),
    totalRequests: result.requests.total,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

export function printFigures(r: ScenarioFigures): void {
  process.stdout.write(
    `${r.scenario.padEnd(32)} ${String(r.requestsPerSecond).padStart(6)} req/s   p50 ${r.latencyMs.p50} ms   p90 ${r.latencyMs.p90} ms   p99 ${r.latencyMs.p99} ms   max ${r.latencyMs.max} ms   non-2xx ${r.non2xx}   errors ${r.errors}\n`,
  );
}
