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
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Pool } from 'pg';
import { Pool as UndiciPool } from 'undici';
import { NetzmeClient } from '@app/netzme-client';
import { startEmbeddedDatabase } from '../scripts/lib/embedded-db';

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

interface SandboxInfo {
  url: string;
  credentials: { clientId: string; clientSecret: string; privateKey: string; callbackToken: string; merchantId: string; netzmePublicKey: string };
}

// ---- child processes -----------------------------------------------------------------------------

async function serveSandbox(): Promise<void> {
  const { startSandbox, testCredentials } = await import('../apps/netzme-sandbox/src/sandbox');
  const sandbox = await startSandbox({ port: 0, quiet: true, credentials: testCredentials() });
  process.send?.({ url: sandbox.url, credentials: sandbox.credentials });
  process.on('disconnect', () => void sandbox.close().then(() => process.exit(0)));
}

async function serveGateway(env: Record<string, string>): Promise<void> {
  const { createGatewayApp } = await import('../apps/gateway/src/app.factory');
  const app = await createGatewayApp({ env, logs: false });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  process.send?.({ url: `http://127.0.0.1:${port}` });
  process.on('disconnect', () => void app.close().then(() => process.exit(0)));
}

type BaselineBody = { merchantOrderId: string; amount: string; payMethod?: string };
type BaselineHandler = (body: BaselineBody, res: ServerResponse) => Promise<void>;

/** The baseline: the least an order endpoint can do (one insert, one Netzme call), without a framework. */
async function serveBaseline(env: Record<string, string>): Promise<void> {
  const netzme = new NetzmeClient({
    baseUrl: env.NETZME_BASE_URL,
    clientId: env.NETZME_CLIENT_ID,
    clientSecret: env.NETZME_CLIENT_SECRET,
    privateKey: env.NETZME_PRIVATE_KEY,
    merchantId: env.NETZME_MERCHANT_ID,
    logger: false,
  });
  // BASELINE_WRITES=gateway (BENCH_TWO_WRITES=1): the same bare server, but writing the order as the
  // gateway must, to tell the cost of that database work from the cost of the gateway's code.
  const handle = env.BASELINE_WRITES === 'gateway' ? await gatewayWrites(env, netzme) : await oneInsert(env, netzme);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      Promise.resolve()
        .then(() => handle(JSON.parse(Buffer.concat(chunks).toString('utf8')) as BaselineBody, res))
        .catch((err: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: String(err) }));
        });
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => {
    process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  });
  process.on('disconnect', () => {
    server.close();
    process.exit(0);
  });
}

/** One insert into a five-column table, then the Netzme call. */
async function oneInsert(env: Record<string, string>, netzme: NetzmeClient): Promise<BaselineHandler> {
  const pool = new Pool({ connectionString: env.DATABASE_URL, max: 20 });
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_orders (
    id uuid PRIMARY KEY, merchant_order_id text UNIQUE NOT NULL, partner_reference_no text UNIQUE NOT NULL,
    amount text NOT NULL, pay_method text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
  return async (body, res) => {
    const partnerReferenceNo = `BL${Date.now()}${Math.random().toString(36).slice(2, 10)}`;
    const dbStarted = performance.now();
    await pool.query('INSERT INTO bench_orders (id, merchant_order_id, partner_reference_no, amount, pay_method) VALUES ($1, $2, $3, $4, $5)', [
      randomUUID(),
      body.merchantOrderId,
      partnerReferenceNo,
      body.amount,
      body.payMethod ?? 'QRIS',
    ]);
    const dbMs = performance.now() - dbStarted;
    const started = performance.now();
    const answer = await netzme.createInvoiceTransaction({ partnerReferenceNo, amount: body.amount, payMethod: body.payMethod ?? 'QRIS', expireInSecond: '900' });
    const netzmeMs = performance.now() - started;
    res.writeHead(201, { 'content-type': 'application/json', 'server-timing': `netzme;dur=${netzmeMs.toFixed(1)}, db;dur=${dbMs.toFixed(1)}` });
    res.end(JSON.stringify({ status: 'PENDING', partnerReferenceNo, qrImage: answer.additionalInfo.qrImage ?? null, trxId: answer.additionalInfo.trxId }));
  };
}

/**
 * The gateway's two writes through its own InvoiceRepository: the order in CREATING (with its history
 * row) before the Netzme call, the compare-and-set to PENDING (with its history row) after.
 */
async function gatewayWrites(env: Record<string, string>, netzme: NetzmeClient): Promise<BaselineHandler> {
  const { DataSource } = await import('typeorm');
  const { buildDataSourceOptions } = await import('../apps/gateway/src/database/database.options');
  const { InvoiceRepository } = await import('../apps/gateway/src/invoice/invoice.repository');
  const { readCreateAnswer } = await import('../apps/gateway/src/invoice/netzme-invoice.mapper');
  const { newPartnerReference } = await import('../apps/gateway/src/invoice/orders.service');
  const { toMinor } = await import('@app/snap');
  const db = new DataSource(buildDataSourceOptions(env.DATABASE_URL, 20));
  await db.initialize();
  await db.runMigrations();
  const state = new InvoiceRepository(db);
  return async (body, res) => {
    let dbMs = 0;
    let started = performance.now();
    const order = await state.insertCreating({
      id: randomUUID(),
      merchantId: env.NETZME_MERCHANT_ID,
      merchantOrderId: body.merchantOrderId,
      idempotencyKey: null,
      requestFingerprint: body.merchantOrderId,
      partnerReferenceNo: newPartnerReference(),
      amountMinor: toMinor(body.amount),
      currency: 'IDR',
      payMethod: body.payMethod ?? 'QRIS',
      expiresInSeconds: 900,
      feeType: 'on_seller',
      description: null,
      customer: null,
      leaseMs: 15_000,
    });
    if (!order) throw new Error(`duplicate merchantOrderId ${body.merchantOrderId}`);
    dbMs += performance.now() - started;
    started = performance.now();
    const answer = readCreateAnswer(
      await netzme.createInvoiceTransaction({ partnerReferenceNo: order.partnerReferenceNo, amount: order.amountMinor, payMethod: order.payMethod, expireInSecond: '900' }),
      order,
    );
    const netzmeMs = performance.now() - started;
    if (answer.kind !== 'created') throw new Error(answer.message);
    started = performance.now();
    const moved = await state.transition(
      order.id,
      'PENDING',
      { source: 'create', reason: 'Netzme created the invoice', patch: { ...answer.patch, statusReason: null, leaseUntil: null, nextPollAt: new Date(Date.now() + 30_000) } },
      { copy: order },
    );
    dbMs += performance.now() - started;
    if (!moved.order) throw new Error(`order ${order.id} did not move to PENDING`);
    res.writeHead(201, { 'content-type': 'application/json', 'server-timing': `netzme;dur=${netzmeMs.toFixed(1)}, db;dur=${dbMs.toFixed(1)}` });
    res.end(JSON.stringify({ id: moved.order.id, status: moved.order.status, partnerReferenceNo: moved.order.partnerReferenceNo, qrImage: moved.order.qrImage }));
  };
}

function startChild<T>(role: string, env?: Record<string, string>): Promise<{ child: ChildProcess; info: T }> {
  return new Promise((resolve, reject) => {
    // BENCH_PROFILE=gateway (or sandbox, baseline) writes a V8 CPU profile of that process to BENCH_PROFILE_DIR.
    const execArgv = process.env.BENCH_PROFILE === role ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR ?? join(tmpdir(), 'bench-profiles')}`] : process.env.BENCH_TRACE ? ['--trace-deprecation'] : [];
    // BENCH_NODE_FLAGS: extra V8/Node flags for the two servers under test (e.g. GC tuning to compare).
    const serverFlags = role === 'gateway' || role === 'baseline' ? (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean) : [];
    const child = fork(__filename, [`--${role}`, JSON.stringify(env ?? {})], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [...execArgv, ...serverFlags] });
    child.once('message', (info: T) => resolve({ child, info }));
    child.once('exit', (code) => reject(new Error(`${role} exited early (${code})`)));
  });
}

// ---- CPU pinning ----------------------------------------------------------------------------------

const CPUS = availableParallelism();
/** The CPU the server under test gets to itself; null when pinning is off or impossible. */
const SERVER_CPU: number | null = process.env.BENCH_PIN !== '0' && CPUS >= 2 && process.platform === 'linux' ? CPUS - 1 : null;

/**
 * Lower the priority of every thread of a process (Linux; false when it cannot). The sandbox stands
 * in for Netzme, whose CPU is not ours: at default priority its invoice work (a QR PNG takes
 * milliseconds) sits in front of our Postgres queries on the shared CPU and lands in the servers'
 * "alone" latency. Niced, Postgres and the load generator run first, as they would if Netzme were on
 * its own hosts; the sandbox's own time is still measured and subtracted per request.
 */
function renice(pid: number, nice: number): boolean {
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      setPriority(Number(tid), nice);
    }
    return true;
  } catch {
    return false;
  }
}

/** Pin a process and all its threads (V8 workers, libuv pool) to a CPU list; false if taskset is missing. */
function pin(pid: number, cpus: string): boolean {
  try {
    execFileSync('taskset', ['-a', '-cp', cpus, String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// ---- load -----------------------------------------------------------------------------------------

interface RunStats {
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

type Sample = [latency: number, netzme: number, db: number];

/** Durations from a `Server-Timing` header such as `netzme;dur=12.3, db;dur=1.4`. */
function serverTiming(value: unknown): { netzme: number; db: number } {
  const text = String(value ?? '');
  const dur = (name: string) => Number(new RegExp(`${name};dur=([\\d.]+)`).exec(text)?.[1] ?? NaN);
  return { netzme: dur('netzme'), db: dur('db') };
}

/** CPU time (user + system, ms) a child process has used so far, from /proc (Linux). */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
  } catch {
    return NaN;
  }
}

/** The embedded Postgres' data directory, to find its postmaster (set in main). */
let postgresDataDir: string | undefined;

/**
 * CPU time (ms) all of Postgres has used so far: the postmaster with the children it has reaped
 * (cutime + cstime: backends and autovacuum workers that exited) plus every child still running.
 * Only one server is under load at a time, so the difference over a run is that server's cost.
 */
function postgresCpuMs(): number {
  try {
    const postmaster = Number(readFileSync(join(postgresDataDir ?? '', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const stat = (pid: number | string) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const own = stat(postmaster);
    let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const fields = stat(entry);
        if (Number(fields[1]) === postmaster) ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        // exited while we looked
      }
    }
    return (ticks * 1000) / 100;
  } catch {
    return NaN;
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Percentiles of a run (or of pooled runs) from its per-request [latency, sandbox time] samples. */
function toStats(base: Pick<RunStats, 'target' | 'scenario' | 'otherStatuses' | 'cpuPerRequestMs' | 'pgCpuPerRequestMs' | 'errors'>, samples: Sample[], seconds: number): RunStats {
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
const autocannon = require('autocannon') as (options: { url: string; connections: number; duration: number; requests: AutocannonRequest[] }) => Promise<AutocannonResult>;

/**
 * Closed-loop load with autocannon (one request in flight per connection, keep-alive), each request
 * a new order. Latency is measured per request, and paired with that request's Server-Timing.
 */
async function load(target: string, url: string, scenario: string, seconds: number, connections: number, authorization?: string, pid?: number, rate?: number): Promise<RunStats> {
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
async function paced(target: string, url: string, scenario: string, seconds: number, connections: number, rate: number, authorization?: string, pid?: number): Promise<RunStats> {
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
      const res = await pool.request({ method: 'POST', path: '/orders', headers, body: JSON.stringify({ merchantOrderId: `P-${tag}-${n}`, amount: '15000.00', payMethod: scenario }) });
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

// ---- main -----------------------------------------------------------------------------------------

async function main(): Promise<void> {
  // Everything started from here on (Postgres, the sandbox, the servers) inherits these CPUs; the
  // server under test is moved to SERVER_CPU once it runs.
  const pinned = SERVER_CPU !== null && pin(process.pid, SERVER_CPU === 1 ? '0' : `0-${SERVER_CPU - 1}`);
  postgresDataDir = join(tmpdir(), `netzme-bench-orders-${process.pid}`);
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
    const c = sandbox.info.credentials;
    const netzmeEnv = {
      NETZME_BASE_URL: sandbox.info.url,
      NETZME_CLIENT_ID: c.clientId,
      NETZME_CLIENT_SECRET: c.clientSecret,
      NETZME_PRIVATE_KEY: c.privateKey,
      NETZME_CALLBACK_TOKEN: c.callbackToken,
      NETZME_MERCHANT_ID: c.merchantId,
      NETZME_PUBLIC_KEY: c.netzmePublicKey,
    };
    const gateway = await startChild<{ url: string }>('gateway', {
      NODE_ENV: 'development',
      DATABASE_URL: dbUrl('bench_gateway'),
      DATABASE_POOL_SIZE: process.env.BENCH_POOL ?? '20',
      CHECKOUT_API_KEYS: CHECKOUT_KEY,
      RATE_LIMIT_PER_SECOND: '0', // a benchmark measures the gateway, not the per-key limit
      ADMIN_API_KEYS: 'bench_admin_key_00001',
      LOG_LEVEL: 'error',
      JOBS_ENABLED: 'false',
      ...netzmeEnv,
    });
    children.push(gateway.child);
    const baseline = await startChild<{ url: string }>('baseline', { DATABASE_URL: dbUrl('bench_baseline'), ...netzmeEnv });
    children.push(baseline.child);
    // BENCH_TWO_WRITES=1: a third server, bare like the baseline but writing as the gateway must (reported, not judged).
    let twoWrites: { child: ChildProcess; info: { url: string } } | undefined;
    if (TWO_WRITES) {
      twoWrites = await startChild<{ url: string }>('baseline', { DATABASE_URL: dbUrl('bench_two_writes'), BASELINE_WRITES: 'gateway', ...netzmeEnv });
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
      [r.scenario.padEnd(26), r.target.padEnd(8), String(r.throughput).padStart(8), String(r.requests).padStart(7), String(r.errors).padStart(6), `${r.latency.p50}/${r.latency.p99}`.padStart(15), `${r.netzme.p50}/${r.netzme.p99}`.padStart(15), `${r.alone.p50}/${r.alone.p99}`.padStart(15), `${r.db.p50}/${r.db.p99}`.padStart(13), String(r.cpuPerRequestMs).padStart(8), String(r.pgCpuPerRequestMs).padStart(7)].join(' '),
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
            (v.latencyPass === null ? '' : `gateway adds ${v.addedP99} ms at p99 over the baseline's own work (target < ${TARGET_ADDED_P99_MS} ms): ${v.latencyPass ? 'PASS' : 'FAIL'}`),
        ),
        ...references,
        '(latencies in ms; "alone" = latency minus the time spent waiting for the sandbox, per request; db = the part of "alone" spent in database calls; cpu/req = server process CPU ms per request; pg/req = Postgres CPU ms per request, on the shared CPU)',
        ...results.filter((r) => Object.keys(r.otherStatuses).length > 0).map((r) => `${r.scenario} ${r.target}: answers other than 201: ${JSON.stringify(r.otherStatuses)}`),
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
