/**
 * POST /orders benchmark (`npm run bench:orders`).
 *
 * Starts an embedded PostgreSQL, the Netzme sandbox, the gateway and a baseline server, each in its
 * own process (the load generator here does not share their event loops), then drives POST /orders
 * at BENCH_CONNECTIONS concurrent clients for BENCH_DURATION seconds per run:
 *   - gateway:  the real app (validation, idempotent insert + history, Create Invoice Transaction
 *               through NetzmeClient, state transition, response)
 *   - baseline: a bare node:http server doing one Postgres insert (pg) and the same sandbox call
 *               through the same NetzmeClient
 * Both report the time spent waiting for the sandbox in `Server-Timing: netzme;dur=..`; "alone" is
 * each request's latency minus that, i.e. what the server itself adds. `db;dur=..` is the part of it
 * spent in database statements (the gateway's two, the baseline's one insert). Two scenarios: QRIS (the
 * sandbox draws a PNG per invoice, so it is sandbox-bound) and BANK_TRANSFER (no drawing: the
 * server's own cost shows).
 *
 * Method, so that the figures describe the server and not the machine:
 *   - CPU pinning (Linux `taskset`, on by default when there are 2+ CPUs; BENCH_PIN=0 turns it off):
 *     the server under test (gateway or baseline, never both at once) gets the last CPU to itself;
 *     Postgres, the sandbox and the load generator share the others, as they would live on other
 *     hosts in production. Unpinned on a 2-core machine, four busy processes share two cores and the
 *     figures mostly measure the scheduler.
 *   - The sandbox runs at nice BENCH_SANDBOX_NICE (default 10): it is Netzme, whose CPU is not ours.
 *     At equal priority its invoice work sits in front of our Postgres queries on the shared CPU.
 *   - Warm-up (BENCH_WARMUP seconds per server, default 15): the JIT keeps optimising a Nest app for
 *     ~20 s; production processes run for days. Before each measured run the server also gets
 *     BENCH_SETTLE seconds (default 2) of the same load, discarded: it sat idle during the other's run.
 *   - Throughput: closed loop, BENCH_CONNECTIONS clients each with one request in flight, as fast as
 *     the server answers. Target: gateway >= 70% of the baseline.
 *   - Latency: a fixed offered rate both servers can sustain (BENCH_RATE_SHARE of the slower one's
 *     closed-loop throughput, default 0.5), sent evenly spaced, each request when due on a free or new
 *     keep-alive connection (no cap, so a sandbox stall is not turned into queueing in the load
 *     generator and charged to the server). At saturation a closed
 *     loop's latency is queueing behind the bottleneck (50 clients / throughput), not work the server
 *     adds; those figures are printed too. Target: the gateway's "alone" p99 is < 10 ms above the
 *     baseline's.
 *
 * Baseline and gateway runs alternate for BENCH_ROUNDS short rounds (samples pooled), so that other
 * load on the machine, and this VM's speed drifting by tens of percent from minute to minute, hit both alike.
 *
 * BENCH_DURATION (seconds per run, default 6), BENCH_CONNECTIONS (default 50), BENCH_ROUNDS (default 5),
 * BENCH_WARMUP (default 15), BENCH_RATE_SHARE (default 0.5; 0 = skip), BENCH_PIN (default 1),
 * BENCH_LIGHT_CONNECTIONS (default 0 = skip; e.g. 4), BENCH_SCENARIOS (default QRIS,BANK_TRANSFER),
 * BENCH_TWO_WRITES (default 0; 1 adds `bare+2w`: the baseline's bare server writing the order as the
 * gateway must, through its InvoiceRepository, to tell the cost of that database work from the
 * cost of the gateway's code; reported, not judged).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedDatabase } from '../scripts/lib/embedded-db';
import { netzmeEnv } from '../test/support/netzme-env';
import { serveBaseline } from './orders/baseline-server';
import { CPUS, measurePostgresAt, pin, renice, SERVER_CPU } from './orders/cpu';
import { load, round, toStats, type RunStats } from './orders/load';
import { profileFlags, serveGateway, serveSandbox, startRole, type SandboxInfo } from './support/roles';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 6);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SCENARIOS = (process.env.BENCH_SCENARIOS ?? 'QRIS,BANK_TRANSFER').split(',').map((s) => s.trim());
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const LIGHT_CONNECTIONS = Number(process.env.BENCH_LIGHT_CONNECTIONS ?? 0);
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 15);
const RATE_SHARE = Number(process.env.BENCH_RATE_SHARE ?? 0.5);
const SANDBOX_NICE = Number(process.env.BENCH_SANDBOX_NICE ?? 10);
const SETTLE_S = Number(process.env.BENCH_SETTLE ?? 2);
const TWO_WRITES = process.env.BENCH_TWO_WRITES === '1';
const TWO_WRITES_TARGET = 'bare+2w';
const CHECKOUT_KEY = 'bench_checkout_key_0001';
const TARGET_RATIO = 0.7;
const TARGET_ADDED_P99_MS = 10;

/** Fork this script as a child role; BENCH_PROFILE=<role> profiles it, BENCH_NODE_FLAGS tune the two servers under test. */
function startChild<T>(role: string, env?: Record<string, string>): Promise<{ child: ChildProcess; info: T }> {
  const execArgv = process.env.BENCH_PROFILE === role ? profileFlags(role) : process.env.BENCH_TRACE ? ['--trace-deprecation'] : [];
  // BENCH_NODE_FLAGS: extra V8/Node flags for the two servers under test (e.g. GC tuning to compare).
  const serverFlags = role === 'gateway' || role === 'baseline' ? (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean) : [];
  return startRole<T>(__filename, role, [`--${role}`, JSON.stringify(env ?? {})], [...execArgv, ...serverFlags]);
}

// ---- main -----------------------------------------------------------------------------------------

async function main(): Promise<void> {
  // Everything started from here on (Postgres, the sandbox, the servers) inherits these CPUs; the
  // server under test is moved to SERVER_CPU once it runs.
  const pinned = SERVER_CPU !== null && pin(process.pid, SERVER_CPU === 1 ? '0' : `0-${SERVER_CPU - 1}`);
  const postgresDataDir = join(tmpdir(), `netzme-bench-orders-${process.pid}`);
  measurePostgresAt(postgresDataDir);
  const db = await startEmbeddedDatabase({ dataDir: postgresDataDir, ephemeral: true });
  const children: ChildProcess[] = [];
  try {
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    await admin.query('CREATE DATABASE bench_gateway');
    await admin.query('CREATE DATABASE bench_baseline');
    if (TWO_WRITES) await admin.query('CREATE DATABASE bench_two_writes');
    await admin.end();
    const dbUrl = (name: string) => {
      const u = new URL(db.url);
      u.pathname = `/${name}`;
      return u.toString();
    };

    const sandbox = await startChild<SandboxInfo>('sandbox');
    children.push(sandbox.child);
    const sandboxNiced = SANDBOX_NICE > 0 && renice(sandbox.child.pid!, SANDBOX_NICE);
    const sandboxSettings = netzmeEnv(sandbox.info.url, sandbox.info.credentials);
    const gateway = await startChild<{ url: string }>('gateway', {
      NODE_ENV: 'development',
      DATABASE_URL: dbUrl('bench_gateway'),
      DATABASE_POOL_SIZE: process.env.BENCH_POOL ?? '20',
      CHECKOUT_API_KEYS: CHECKOUT_KEY,
      RATE_LIMIT_PER_SECOND: '0', // a benchmark measures the gateway, not the per-key limit
      ADMIN_API_KEYS: 'bench_admin_key_00001',
      LOG_LEVEL: 'error',
      JOBS_ENABLED: 'false',
      ...sandboxSettings,
    });
    children.push(gateway.child);
    const baseline = await startChild<{ url: string }>('baseline', { DATABASE_URL: dbUrl('bench_baseline'), ...sandboxSettings });
    children.push(baseline.child);
    // BENCH_TWO_WRITES=1: a third server, bare like the baseline but writing as the gateway must (reported, not judged).
    let twoWrites: { child: ChildProcess; info: { url: string } } | undefined;
    if (TWO_WRITES) {
      twoWrites = await startChild<{ url: string }>('baseline', { DATABASE_URL: dbUrl('bench_two_writes'), BASELINE_WRITES: 'gateway', ...sandboxSettings });
      children.push(twoWrites.child);
    }
    if (pinned) {
      for (const server of [gateway, baseline, twoWrites]) if (server) pin(server.child.pid!, String(SERVER_CPU));
    }

    const auth = `Bearer ${CHECKOUT_KEY}`;
    process.stdout.write(
      `POST /orders, ${CONNECTIONS} concurrent clients, ${DURATION_S} s per run, ${ROUNDS} rounds, ${WARMUP_S} s warm-up; ` +
        (pinned ? `server under test pinned to CPU ${SERVER_CPU}, Postgres + sandbox + load generator on the other ${CPUS - 1}` : 'no CPU pinning') +
        (sandboxNiced ? `; sandbox at nice ${SANDBOX_NICE}` : '') +
        `\ngateway ${gateway.info.url}, baseline ${baseline.info.url}, sandbox ${sandbox.info.url}\n`,
    );
    // Warm-up: tokens, connection pools, and the JIT (both request shapes).
    const warmTargets: Array<[string, string, string | undefined]> = [
      ['gateway', gateway.info.url, auth],
      ['baseline', baseline.info.url, undefined],
    ];
    if (twoWrites) warmTargets.push([TWO_WRITES_TARGET, twoWrites.info.url, undefined]);
    for (const [target, url, authorization] of warmTargets) {
      await load(target, url, 'BANK_TRANSFER', WARMUP_S, CONNECTIONS, authorization);
      if (SCENARIOS.includes('QRIS')) await load(target, url, 'QRIS', 3, CONNECTIONS, authorization);
    }

    // Baseline and gateway take turns (BENCH_ROUNDS rounds) so that other load on the machine hits
    // both alike; the samples of all rounds are pooled per target.
    const results: RunStats[] = [];
    const references: string[] = [];
    const verdicts: Array<{ scenario: string; ratio: number | null; addedP99: number; throughputPass: boolean | null; latencyPass: boolean | null }> = [];
    const pool = (runs: RunStats[]): RunStats => {
      const requests = runs.reduce((sum, r) => sum + r.requests, 0);
      const pooled = toStats(
        {
          ...runs[0],
          errors: runs.reduce((sum, r) => sum + r.errors, 0),
          cpuPerRequestMs: round(runs.reduce((sum, r) => sum + r.cpuPerRequestMs * r.requests, 0) / Math.max(1, requests)),
          pgCpuPerRequestMs: round(runs.reduce((sum, r) => sum + r.pgCpuPerRequestMs * r.requests, 0) / Math.max(1, requests)),
          otherStatuses: runs.reduce<Record<number, number>>((acc, r) => {
            for (const [k, v] of Object.entries(r.otherStatuses)) acc[Number(k)] = (acc[Number(k)] ?? 0) + v;
            return acc;
          }, {}),
        },
        runs.flatMap((r) => r.samples),
        runs.reduce((sum, r) => sum + r.seconds, 0),
      );
      return { ...pooled, samples: [] };
    };
    /**
     * One comparison: baseline and gateway alternating for ROUNDS rounds. `rate` = fixed offered
     * load (requests/s over all connections); without it, a closed loop. Closed loops at full
     * concurrency are judged on throughput; fixed-rate runs (and light closed loops) on latency.
     */
    const compare = async (scenario: string, connections: number, label: string, judge: 'throughput' | 'latency', rate?: number) => {
      const base: RunStats[] = [];
      const gw: RunStats[] = [];
      const ref: RunStats[] = [];
      const targets: Array<[string, string, string | undefined, number | undefined, RunStats[]]> = [
        ['baseline', baseline.info.url, undefined, baseline.child.pid, base],
        ['gateway', gateway.info.url, auth, gateway.child.pid, gw],
      ];
      if (twoWrites) targets.push([TWO_WRITES_TARGET, twoWrites.info.url, undefined, twoWrites.child.pid, ref]);
      for (let round = 0; round < ROUNDS; round++) {
        for (const [target, url, authorization, pid, runs] of targets) {
          // Settle first (discarded): the server sat idle during the other's run, and its first
          // requests would otherwise open connections and refill caches inside the measured window.
          if (SETTLE_S > 0) await load(target, url, scenario, SETTLE_S, connections, authorization, pid, rate);
          runs.push(await load(target, url, scenario, DURATION_S, connections, authorization, pid, rate));
        }
      }
      const [b, g] = [pool(base), pool(gw)];
      b.scenario = g.scenario = label;
      results.push(b, g);
      if (ref.length > 0) {
        const r = pool(ref);
        r.scenario = label;
        results.push(r);
        references.push(
          `${label}: ${TWO_WRITES_TARGET} (bare server, the gateway's two writes) ${Math.round((r.throughput / b.throughput) * 100)}% of the baseline's throughput, ` +
            `the gateway ${Math.round((g.throughput / r.throughput) * 100)}% of ${TWO_WRITES_TARGET}'s; alone p99 ${r.alone.p99} ms (not judged)`,
        );
      }
      const ratio = g.throughput / b.throughput;
      const addedP99 = round(g.alone.p99 - b.alone.p99);
      verdicts.push({
        scenario: label,
        ratio: judge === 'throughput' ? round(ratio * 100) / 100 : null,
        addedP99,
        throughputPass: judge === 'throughput' ? ratio >= TARGET_RATIO : null,
        latencyPass: judge === 'latency' ? addedP99 < TARGET_ADDED_P99_MS : null,
      });
      return { baseline: b, gateway: g };
    };
    for (const scenario of SCENARIOS) {
      const closed = await compare(scenario, CONNECTIONS, `${scenario}@${CONNECTIONS}`, 'throughput');
      if (RATE_SHARE > 0) {
        // A rate both can sustain: a share of the slower one's closed-loop throughput.
        const rate = Math.max(1, Math.round(Math.min(closed.baseline.throughput, closed.gateway.throughput) * RATE_SHARE));
        await compare(scenario, CONNECTIONS, `${scenario}@${CONNECTIONS} ${rate}/s`, 'latency', rate);
      }
    }
    if (LIGHT_CONNECTIONS > 0) {
      // Below saturation: what the gateway adds per request when nothing queues.
      await compare('BANK_TRANSFER', LIGHT_CONNECTIONS, `BANK_TRANSFER@${LIGHT_CONNECTIONS}`, 'latency');
    }

    const rows = results.map((r) =>
      [
        r.scenario.padEnd(26),
        r.target.padEnd(8),
        String(r.throughput).padStart(8),
        String(r.requests).padStart(7),
        String(r.errors).padStart(6),
        `${r.latency.p50}/${r.latency.p99}`.padStart(15),
        `${r.netzme.p50}/${r.netzme.p99}`.padStart(15),
        `${r.alone.p50}/${r.alone.p99}`.padStart(15),
        `${r.db.p50}/${r.db.p99}`.padStart(13),
        String(r.cpuPerRequestMs).padStart(8),
        String(r.pgCpuPerRequestMs).padStart(7),
      ].join(' '),
    );
    process.stdout.write(
      [
        '',
        `${'scenario@conns [rate]'.padEnd(26)} ${'target'.padEnd(8)} ${'req/s'.padStart(8)} ${'ok'.padStart(7)} ${'errors'.padStart(6)} ${'total p50/p99'.padStart(15)} ${'sandbox p50/99'.padStart(15)} ${'alone p50/p99'.padStart(15)} ${'db p50/p99'.padStart(13)} ${'cpu/req'.padStart(8)} ${'pg/req'.padStart(7)}`,
        ...rows,
        '',
        ...verdicts.map(
          (v) =>
            `${v.scenario}: ` +
            (v.throughputPass === null
              ? ''
              : `gateway throughput ${Math.round((v.ratio ?? 0) * 100)}% of baseline (target >= ${TARGET_RATIO * 100}%): ${v.throughputPass ? 'PASS' : 'FAIL'}; at saturation it adds ${v.addedP99} ms at p99 (queueing, not judged)`) +
            (v.latencyPass === null
              ? ''
              : `gateway adds ${v.addedP99} ms at p99 over the baseline's own work (target < ${TARGET_ADDED_P99_MS} ms): ${v.latencyPass ? 'PASS' : 'FAIL'}`),
        ),
        ...references,
        '(latencies in ms; "alone" = latency minus the time spent waiting for the sandbox, per request; db = the part of "alone" spent in database calls; cpu/req = server process CPU ms per request; pg/req = Postgres CPU ms per request, on the shared CPU)',
        ...results
          .filter((r) => Object.keys(r.otherStatuses).length > 0)
          .map((r) => `${r.scenario} ${r.target}: answers other than 201: ${JSON.stringify(r.otherStatuses)}`),
        '',
      ].join('\n'),
    );
    mkdirSync(join(__dirname, '..', '..', 'bench', 'results'), { recursive: true });
    writeFileSync(
      join(__dirname, '..', '..', 'bench', 'results', 'orders.json'),
      `${JSON.stringify({ at: new Date().toISOString(), durationSeconds: DURATION_S, rounds: ROUNDS, warmupSeconds: WARMUP_S, connections: CONNECTIONS, pinned: pinned ? { serverCpu: SERVER_CPU, cpus: CPUS } : false, references, results: results.map(({ samples: _samples, ...rest }) => rest), verdicts }, null, 2)}\n`,
    );
    process.exitCode = verdicts.every((v) => v.throughputPass !== false && v.latencyPass !== false) ? 0 : 1;
  } finally {
    for (const child of children) {
      child.disconnect?.();
    }
    await new Promise((r) => setTimeout(r, 500));
    for (const child of children) {
      child.kill();
    }
    await db.stop();
  }
}

const role = process.argv[2];
const childEnv = process.argv[3] ? (JSON.parse(process.argv[3]) as Record<string, string>) : {};
const entry = role === '--sandbox' ? serveSandbox() : role === '--gateway' ? serveGateway(childEnv) : role === '--baseline' ? serveBaseline(childEnv) : main();
entry.catch((err: unknown) => {
  process.stderr.write(`orders bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
