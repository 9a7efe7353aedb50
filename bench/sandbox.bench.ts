/**
 * Netzme sandbox benchmark (`npm run bench:sandbox`): starts the sandbox alone in a child process
 * (so the load generator does not share its event loop), configured as `npm start` runs it (state
 * kept in a state file, default retention limit), and drives it with autocannon using correctly
 * signed requests.
 *
 * 1. Throughput: Get Balance Detail and Get Invoice Transaction, BENCH_DURATION seconds each. The
 *    HMAC is deterministic for a fixed token, timestamp and body, so the headers are computed once
 *    per scenario. Fails on errors, non-2xx answers, or fewer than 2,000 req/s.
 * 2. Soak (memory): for `--soak=<duration>` (BENCH_SOAK; default 10m, e.g. `--soak=2m`, `0` skips)
 *    a steady mix of invoice creation (BENCH_SOAK_RATE per second, default 15; new partner
 *    references, QRIS, 10 s expiry), status queries of recent invoices (4x), balance inquiries (2x)
 *    and payments (half of the invoices). The sandbox process reports its memory (RSS, and heap used
 *    after a full GC) every 10 s. Fails when the memory of the last minute is more than 20 % above
 *    that of the minute after the first one (medians of the samples, as RSS is noisy): the retention
 *    limit must hold it flat.
 *
 * BENCH_DURATION (seconds, default 10), BENCH_CONNECTIONS (default 50), BENCH_SOAK (default 10m),
 * SANDBOX_RETENTION_MAX_SETTLED (the sandbox's retention limit: 500 here unless set, see BENCH_RETENTION).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jakartaTimestamp, signAccessTokenRequest } from '@app/snap';
import { testCredentials, type SandboxCredentials } from '../apps/netzme-sandbox/src/sandbox';
import { BENCH_RETENTION, serve, startChild } from './sandbox/process';
import { autocannon, post, printFigures, signedHeaders } from './sandbox/requests';
import { MEMORY_TOLERANCE, parseDuration, SAMPLE_EVERY_MS, soak } from './sandbox/soak';

const TARGET_RPS = 2000;

interface Scenario {
  name: string;
  path: string;
  body: string;
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
  const soakArg = process.argv.find((a) => a.startsWith('--soak='))?.slice('--soak='.length);
  const soakSeconds = parseDuration(soakArg ?? process.env.BENCH_SOAK ?? '10m');
  const createRate = Number(process.env.BENCH_SOAK_RATE ?? 15);
  const throughput = !process.argv.includes('--soak-only');
  const credentials = testCredentials();
  const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-bench-'));
  const { child, url } = await startChild(__filename, dataDir);
  try {
    const timestamp = jakartaTimestamp();
    const tokenAnswer = await post(
      `${url}/api/v1/access-token/b2b`,
      {
        'Content-Type': 'application/json',
        'X-TIMESTAMP': timestamp,
        'X-CLIENT-KEY': credentials.clientId,
        'X-SIGNATURE': signAccessTokenRequest(credentials.privateKey, credentials.clientId, timestamp),
      },
      '{"grantType":"client_credentials"}',
    );
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
    for (const scenario of throughput ? scenarios : []) {
      const r = await run(url, credentials, token, scenario, duration, connections);
      results.push(r);
      printFigures(r);
    }
    let soakReport: Awaited<ReturnType<typeof soak>> | undefined;
    if (soakSeconds > 0) {
      process.stdout.write(
        `soak: ${soakSeconds} s of mixed load (${createRate} invoices/s, ${createRate * 4} status queries/s, ${createRate * 2} balance inquiries/s), retention limit ${process.env.SANDBOX_RETENTION_MAX_SETTLED ?? BENCH_RETENTION} (memory sampled in the sandbox process every ${SAMPLE_EVERY_MS / 1000} s)\n`,
      );
      soakReport = await soak(url, child, credentials, token, soakSeconds, trxId, createRate);
    }
    const dir = join(process.cwd(), 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'sandbox.json'),
      `${JSON.stringify({ at: new Date().toISOString(), duration, connections, results, soak: soakReport }, null, 2)}\n`,
    );
    const failed = results.filter((r) => r.non2xx > 0 || r.errors > 0 || r.requestsPerSecond < TARGET_RPS);
    if (failed.length > 0) {
      process.stderr.write(`below target (${TARGET_RPS} req/s, no errors): ${failed.map((r) => r.scenario).join(', ')}\n`);
      process.exitCode = 1;
    }
    if (soakReport && !soakReport.withinTolerance) {
      process.stderr.write(`memory grew more than ${MEMORY_TOLERANCE * 100} % between the first minute and the end of the soak\n`);
      process.exitCode = 1;
    }
    const soakErrors = soakReport?.results.filter((r) => r.errors > 0 || r.non2xx > 0) ?? [];
    if (soakErrors.length > 0) {
      process.stderr.write(`soak errors or non-2xx answers: ${soakErrors.map((r) => r.scenario).join(', ')}\n`);
      process.exitCode = 1;
    }
  } finally {
    const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r));
    child.disconnect();
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
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
