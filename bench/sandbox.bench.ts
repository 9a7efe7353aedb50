/**
 * Netzme sandbox benchmark (`npm run bench:sandbox`): starts the sandbox alone in a child process
 * (so the load generator does not share its event loop) and drives it with autocannon using
 * correctly signed requests. The HMAC is deterministic for a fixed token, timestamp and body, so
 * the headers are computed once per scenario. Prints req/s and latency percentiles per scenario;
 * exits non-zero on errors, non-2xx answers, or fewer than 2,000 req/s.
 *
 * BENCH_DURATION (seconds, default 10), BENCH_CONNECTIONS (default 50).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jakartaTimestamp, signAccessTokenRequest, signSymmetric } from '@app/snap';
import { startSandbox, testCredentials, type SandboxCredentials } from '../apps/netzme-sandbox/src/sandbox';

const TARGET_RPS = 2000;

/** The slice of autocannon's programmatic API used here (the package ships no type declarations). */
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  duration: number;
}) => Promise<AutocannonResult>;

interface Scenario {
  name: string;
  path: string;
  body: string;
}

/** Child mode: run the sandbox and report its URL to the parent. */
async function serve(): Promise<void> {
  const sandbox = await startSandbox({ port: 0, quiet: true, credentials: testCredentials() });
  process.send?.({ url: sandbox.url });
  process.on('disconnect', () => void sandbox.close().then(() => process.exit(0)));
}

function startChild(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (message: { url: string }) => resolve({ child, url: message.url }));
    child.once('exit', (code) => reject(new Error(`sandbox exited early (${code})`)));
  });
}

async function post(url: string, headers: Record<string, string>, body: string): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers, body });
  return response.json();
}

function signedHeaders(credentials: SandboxCredentials, token: string, path: string, body: string): Record<string, string> {
  const timestamp = jakartaTimestamp();
  return {
    'Content-Type': 'application/json',
    Authorization: `Bearer ${token}`,
    'X-TIMESTAMP': timestamp,
    'X-SIGNATURE': signSymmetric(credentials.clientSecret, { method: 'POST', path, accessToken: token, body, timestamp }),
    'X-PARTNER-ID': credentials.clientId,
    'X-EXTERNAL-ID': '41807553358950093184162180797837',
    'CHANNEL-ID': '95221',
  };
}

async function run(url: string, credentials: SandboxCredentials, token: string, scenario: Scenario, duration: number, connections: number) {
  const headers = signedHeaders(credentials, token, scenario.path, scenario.body);
  // Sanity check: the precomputed request really is accepted.
  const probe = await post(url + scenario.path, headers, scenario.body);
  if (typeof probe.responseCode !== 'string' || !probe.responseCode.startsWith('200')) {
    throw new Error(`${scenario.name}: probe answered ${JSON.stringify(probe)}`);
  }
  const result = await autocannon({
    url: url + scenario.path,
    method: 'POST',
    headers,
    body: scenario.body,
    connections,
    duration,
  });
  return {
    scenario: scenario.name,
    path: scenario.path,
    requestsPerSecond: Math.round(result.requests.average),
    totalRequests: result.requests.total,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

async function main(): Promise<void> {
  const duration = Number(process.env.BENCH_DURATION ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
  const credentials = testCredentials();
  const { child, url } = await startChild();
  try {
    const timestamp = jakartaTimestamp();
    const tokenAnswer = await post(`${url}/api/v1/access-token/b2b`, {
      'Content-Type': 'application/json',
      'X-TIMESTAMP': timestamp,
      'X-CLIENT-KEY': credentials.clientId,
      'X-SIGNATURE': signAccessTokenRequest(credentials.privateKey, credentials.clientId, timestamp),
    }, '{"grantType":"client_credentials"}');
    const token = tokenAnswer.accessToken as string;

    // One invoice to poll, as a gateway's status scheduler would.
    const createPath = '/api/v1.0/invoice/create-transaction';
    const createBody = JSON.stringify({
      custIdMerchant: credentials.merchantId,
      partnerReferenceNo: `BENCH-${Date.now()}`,
      amount: { value: '15000.00', currency: 'IDR' },
      payMethod: 'QRIS',
      expireInSecond: '3600',
    });
    const created = await post(url + createPath, signedHeaders(credentials, token, createPath, createBody), createBody);
    const trxId = created.additionalInfo.trxId as string;

    const scenarios: Scenario[] = [
      {
        name: 'Get Balance Detail (T5)',
        path: '/api/v1.0/payment/balance-inquiry',
        body: JSON.stringify({ partnerReferenceNo: 'BENCH-BAL', accountNo: credentials.merchantId }),
      },
      {
        name: 'Get Invoice Transaction (T14)',
        path: '/api-invoice/v1.0/transaction-history-detail',
        body: JSON.stringify({ originalPartnerReferenceNo: trxId, additionalInfo: { partnerReferenceNo: 'BENCH-Q' } }),
      },
    ];
    const results = [];
    for (const scenario of scenarios) {
      const r = await run(url, credentials, token, scenario, duration, connections);
      results.push(r);
      process.stdout.write(
        `${r.scenario.padEnd(32)} ${String(r.requestsPerSecond).padStart(6)} req/s   p50 ${r.latencyMs.p50} ms   p90 ${r.latencyMs.p90} ms   p99 ${r.latencyMs.p99} ms   max ${r.latencyMs.max} ms   non-2xx ${r.non2xx}   errors ${r.errors}\n`,
      );
    }
    const dir = join(process.cwd(), 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'sandbox.json'), `${JSON.stringify({ at: new Date().toISOString(), duration, connections, results }, null, 2)}\n`);
    const failed = results.filter((r) => r.non2xx > 0 || r.errors > 0 || r.requestsPerSecond < TARGET_RPS);
    if (failed.length > 0) {
      process.stderr.write(`below target (${TARGET_RPS} req/s, no errors): ${failed.map((r) => r.scenario).join(', ')}\n`);
      process.exitCode = 1;
    }
  } finally {
    child.disconnect();
  }
}

if (process.argv.includes('--serve')) {
  void serve();
} else {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
