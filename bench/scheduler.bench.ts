/**
 * Scheduler benchmark (`npm run bench:scheduler`).
 *
 * Question: does one tick of `order-status-poll` cost what is due, not what is in the table? An
 * embedded PostgreSQL gets the real migrations; for each table size (BENCH_SIZES, default
 * 10000,50000,100000 orders) the orders table is filled with generate_series so that BENCH_DUE
 * (default 5000) orders are due and the rest are paid, expired or pending-but-not-due. Then:
 *   1. EXPLAIN (ANALYZE, BUFFERS) of the claim's SELECT (the same statement as
 *      InvoiceRepository.claimDue via database/claim-due.ts): it must use the partial index IDX_orders_next_poll_at.
 *   2. The claim alone, 30 times inside a rolled-back transaction: its median time.
 *   3. Full ticks through the real runner (JobsRunner.runNow -> the invoice module's job: claim
 *      FOR UPDATE SKIP LOCKED, one Get Invoice Transaction per order against the sandbox, state
 *      update) until nothing is due: time per tick, orders per second, heap growth.
 * The sandbox runs in its own process. The due orders carry transaction ids the sandbox does not
 * know, so each refresh is a real signed HTTP call answered "not found" and rescheduled — the
 * Netzme side is the same cost for every table size, so differences come from the database.
 *
 * Sizes run BENCH_ROUNDS times (default 2), interleaved, so that warm-up and noise do not pass
 * for a trend; each size reports the median over its rounds.
 *
 * Settings: BENCH_SIZES, BENCH_DUE, BENCH_BATCH (orders per tick, default 500),
 * BENCH_CONCURRENCY (NETZME_MAX_CONCURRENCY, default 16). NETZME_MAX_RPS is off here: the
 * benchmark measures the scheduler, not the rate limit. Results go to bench/results/scheduler.json.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from 'pg';
import { startEmbeddedDatabase } from '../scripts/lib/embedded-db';
import { netzmeEnv } from '../test/support/netzme-env';
import { serveSandbox, startRole, type SandboxInfo } from './support/roles';

const SIZES = (process.env.BENCH_SIZES ?? '10000,50000,100000').split(',').map((s) => Number(s.trim()));
const DUE = Number(process.env.BENCH_DUE ?? 5000);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const JOB = 'order-status-poll';

// A real gc() (without --expose-gc on the command line), to measure retained memory rather than garbage.
setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

function startSandboxProcess(): Promise<{ child: ChildProcess; info: SandboxInfo }> {
  return startRole<SandboxInfo>(__filename, 'sandbox', ['--sandbox']);
}

/** The claim's SELECT, as InvoiceRepository.claimDue (database/claim-due.ts) runs it (inside its UPDATE ... FROM due). */
const CLAIM_SELECT = `
  SELECT id FROM orders
  WHERE status IN ('CREATING', 'UNKNOWN', 'PENDING') AND next_poll_at IS NOT NULL AND next_poll_at <= now()
    AND (lease_until IS NULL OR lease_until < now())
  ORDER BY next_poll_at
  LIMIT $1
  FOR UPDATE SKIP LOCKED`;

/** N orders, the first DUE of them due now; the rest paid (60%), expired (20%) or pending later (20%). */
async function fill(sql: Client, total: number, merchantId: string): Promise<void> {
  await sql.query('TRUNCATE orders, order_status_history');
  await sql.query(
    `INSERT INTO orders (id, merchant_id, merchant_order_id, request_fingerprint, partner_reference_no, status, amount_minor, pay_method,
                         expires_in_seconds, netzme_invoice_id, netzme_trx_id, expires_at, paid_at, paid_amount_minor, next_poll_at, created_at, updated_at)
     SELECT gen_random_uuid(), $1, 'BENCH-' || g, md5(g::text), 'BENCHREF' || g, s.status, 100000 + g, 'QRIS',
            900, 'NETZ-INV-BENCH' || g, 'bench-trx-' || g,
            CASE WHEN s.status = 'PENDING' THEN now() + interval '10 minutes' ELSE now() - interval '1 day' END,
            CASE WHEN s.status = 'PAID' THEN now() - interval '1 day' END,
            CASE WHEN s.status = 'PAID' THEN 100000 + g END,
            CASE WHEN g <= $3 THEN now() - (g % 600) * interval '1 second'
                 WHEN s.status = 'PENDING' THEN now() + interval '1 hour' END,
            now() - (g % 86400) * interval '1 second', now()
     FROM generate_series(1, $2) AS g,
          LATERAL (SELECT CASE WHEN g <= $3 THEN 'PENDING' WHEN g % 10 < 6 THEN 'PAID' WHEN g % 10 < 8 THEN 'EXPIRED' ELSE 'PENDING' END AS status) s`,
    [merchantId, total, DUE],
  );
  await sql.query('VACUUM ANALYZE orders');
}

async function explainClaim(sql: Client): Promise<{ plan: string[]; usesIndex: boolean; executionMs: number }> {
  await sql.query('BEGIN');
  try {
    const { rows } = await sql.query(`EXPLAIN (ANALYZE, BUFFERS) ${CLAIM_SELECT}`, [BATCH]);
    const plan = rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']);
    const execution = plan.find((line) => line.startsWith('Execution Time'));
    return { plan, usesIndex: plan.some((line) => line.includes('IDX_orders_next_poll_at')), executionMs: Number(/([\d.]+) ms/.exec(execution ?? '')?.[1]) };
  } finally {
    await sql.query('ROLLBACK');
  }
}

async function timeClaim(sql: Client, repeats = 30): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    await sql.query('BEGIN');
    const t = performance.now();
    await sql.query(CLAIM_SELECT, [BATCH]);
    times.push(performance.now() - t);
    await sql.query('ROLLBACK');
  }
  return median(times);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

interface SizeResult {
  rows: number;
  due: number;
  usesIndex: boolean;
  explainExecutionMs: number;
  claimMedianMs: number;
  ticks: number;
  processed: number;
  tickMedianMs: number;
  tickMaxMs: number;
  ordersPerSecond: number;
  /** Heap still in use after a full GC, compared with before the ticks. */
  retainedHeapMb: number;
  peakRssMb: number;
}

type Runner = { runNow(name: string): Promise<{ processed: number; outcome: string; error?: string }> };

/** One size: fill, EXPLAIN, time the claim, then tick until nothing is due. */
async function measure(sql: Client, runner: Runner, size: number, merchantId: string, roundNo: number): Promise<SizeResult> {
  process.stdout.write(`\n== round ${roundNo}: ${size.toLocaleString('en')} orders, ${DUE.toLocaleString('en')} due, batch ${BATCH} ==\n`);
  await fill(sql, size, merchantId);
  const explain = await explainClaim(sql);
  if (roundNo === 1) {
    process.stdout.write(`${explain.plan.map((line) => `  ${line}`).join('\n')}\n`);
  }
  const claimMedianMs = await timeClaim(sql);

  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  let peakRss = process.memoryUsage().rss;
  const tickMs: number[] = [];
  let processed = 0;
  const started = performance.now();
  for (;;) {
    const t = performance.now();
    const report = await runner.runNow(JOB);
    if (report.outcome === 'failed') throw new Error(`tick failed: ${report.error}`);
    if (report.processed === 0) break;
    tickMs.push(performance.now() - t);
    processed += report.processed;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const elapsed = performance.now() - started;
  gc();
  const { rows } = await sql.query(`SELECT count(*)::int AS n FROM orders WHERE poll_attempts = 1`);
  if (rows[0].n !== DUE || processed !== DUE) {
    throw new Error(`expected each of the ${DUE} due orders claimed once; claimed ${processed}, polled once: ${rows[0].n}`);
  }
  const result: SizeResult = {
    rows: size,
    due: DUE,
    usesIndex: explain.usesIndex,
    explainExecutionMs: explain.executionMs,
    claimMedianMs: round(claimMedianMs, 2),
    ticks: tickMs.length,
    processed,
    tickMedianMs: round(median(tickMs)),
    tickMaxMs: round(Math.max(...tickMs)),
    ordersPerSecond: Math.round((processed / elapsed) * 1000),
    retainedHeapMb: round((process.memoryUsage().heapUsed - heapBefore) / 1_048_576),
    peakRssMb: round(peakRss / 1_048_576),
  };
  process.stdout.write(
    `  index used: ${result.usesIndex}; claim ${result.claimMedianMs} ms (median of 30); ${result.ticks} ticks, median ${result.tickMedianMs} ms, max ${result.tickMaxMs} ms; ` +
      `${result.ordersPerSecond} orders/s; heap retained after GC ${result.retainedHeapMb} MB, peak RSS ${result.peakRssMb} MB\n`,
  );
  return result;
}

async function main(): Promise<void> {
  const db = await startEmbeddedDatabase({ dataDir: join(tmpdir(), `netzme-scheduler-bench-${process.pid}`), ephemeral: true });
  const { child, info } = await startSandboxProcess();
  const admin = new Client({ connectionString: db.url });
  await admin.connect();
  await admin.query('CREATE DATABASE scheduler_bench');
  await admin.end();
  const url = db.url.replace(/\/postgres$/, '/scheduler_bench');

  const { createGatewayApp } = await import('../apps/gateway/src/app.factory');
  const { JobsRunner } = await import('../apps/gateway/src/jobs/jobs-runner');
  const c = info.credentials;
  const app = await createGatewayApp({
    logs: false,
    env: {
      NODE_ENV: 'test',
      DATABASE_URL: url,
      DATABASE_POOL_SIZE: String(Math.max(10, CONCURRENCY + 4)),
      RATE_LIMIT_PER_SECOND: '0', // a benchmark measures the gateway, not the per-key limit
      ADMIN_API_KEYS: 'bench_admin_key_0001',
      CHECKOUT_API_KEYS: 'bench_checkout_key_0001',
      ...netzmeEnv(info.url, info.credentials),
      JOBS_ENABLED: 'false', // ticks are driven below, one at a time
      JOB_ORDER_STATUS_POLL_BATCH_SIZE: String(BATCH),
      NETZME_MAX_CONCURRENCY: String(CONCURRENCY),
      NETZME_MAX_RPS: '0',
      // A refreshed order is not due again during the benchmark.
      ORDER_POLL_SCHEDULE_MS: '3600000',
    },
  });
  await app.init();
  const runner: Runner = app.get(JobsRunner);
  const sql = new Client({ connectionString: url });
  await sql.connect();

  const runs: SizeResult[] = [];
  try {
    // Warm up the token, the connection pool and the JIT on a small table first.
    await fill(sql, 1000, c.merchantId);
    while ((await runner.runNow(JOB)).processed > 0);

    for (let round = 1; round <= ROUNDS; round++) {
      for (const size of SIZES) {
        runs.push(await measure(sql, runner, size, c.merchantId, round));
      }
    }
  } finally {
    await sql.end();
    await app.close();
    child.kill();
    await db.stop();
  }

  const results: SizeResult[] = SIZES.map((size) => {
    const of = runs.filter((r) => r.rows === size);
    const med = (pick: (r: SizeResult) => number) => round(median(of.map(pick)), 2);
    return {
      rows: size,
      due: DUE,
      usesIndex: of.every((r) => r.usesIndex),
      explainExecutionMs: med((r) => r.explainExecutionMs),
      claimMedianMs: med((r) => r.claimMedianMs),
      ticks: of[0].ticks,
      processed: of[0].processed,
      tickMedianMs: med((r) => r.tickMedianMs),
      tickMaxMs: Math.max(...of.map((r) => r.tickMaxMs)),
      ordersPerSecond: Math.round(median(of.map((r) => r.ordersPerSecond))),
      retainedHeapMb: med((r) => r.retainedHeapMb),
      peakRssMb: Math.max(...of.map((r) => r.peakRssMb)),
    };
  });
  const first = results[0];
  const last = results[results.length - 1];
  const verdicts = {
    indexUsedAtEverySize: results.every((r) => r.usesIndex),
    // "Flat": the largest table's tick within 1.5x (+5 ms of noise) of the smallest's.
    tickTimeFlat: last.tickMedianMs <= first.tickMedianMs * 1.5 + 5,
    claimTimeFlat: last.claimMedianMs <= first.claimMedianMs * 1.5 + 1,
  };
  process.stdout.write(
    `\nmedians over ${ROUNDS} round(s):\n| orders in table | due | index used | claim (median) | ticks | tick median | tick max | orders/s | heap retained | peak RSS |\n|---:|---:|:-:|---:|---:|---:|---:|---:|---:|---:|\n`,
  );
  for (const r of results) {
    process.stdout.write(
      `| ${r.rows.toLocaleString('en')} | ${r.due.toLocaleString('en')} | ${r.usesIndex ? 'yes' : 'NO'} | ${r.claimMedianMs} ms | ${r.ticks} | ${r.tickMedianMs} ms | ${r.tickMaxMs} ms | ${r.ordersPerSecond} | ${r.retainedHeapMb} MB | ${r.peakRssMb} MB |\n`,
    );
  }
  process.stdout.write(`\nverdicts: ${JSON.stringify(verdicts)}\n`);
  mkdirSync(join(__dirname, '..', '..', 'bench', 'results'), { recursive: true });
  writeFileSync(
    join(__dirname, '..', '..', 'bench', 'results', 'scheduler.json'),
    `${JSON.stringify({ at: new Date().toISOString(), batch: BATCH, concurrency: CONCURRENCY, due: DUE, rounds: ROUNDS, results, runs, verdicts }, null, 2)}\n`,
  );
  if (!verdicts.indexUsedAtEverySize) {
    process.exitCode = 1;
  }
}

const entry = process.argv[2] === '--sandbox' ? serveSandbox() : main();
entry.catch((err: unknown) => {
  process.stderr.write(`scheduler bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
