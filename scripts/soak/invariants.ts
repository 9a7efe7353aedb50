import { sleep } from './processes';
import { Prng } from './prng';
import type { RequestRecord } from './recorder';
import { fromMinor, jakartaDay, toMinor } from './money';
import type { Gateway, SoakContext } from './soak';

/** One checked invariant: its name, what was counted, and the records that break it (empty: held). */
export interface InvariantResult {
  name: string;
  ok: boolean;
  skipped?: boolean;
  /** How many things were checked (must be > 0 for the check to mean anything). */
  n: number;
  counts: string;
  records: unknown[];
}

interface Snapshot {
  orders: any[];
  withdrawals: any[];
  depositWithdrawals: any[];
  topups: any[];
  splitFees: any[];
  sandbox: any;
}

const FINAL_ORDER = new Set(['PENDING', 'PAID', 'EXPIRED', 'FAILED']);
/** Past an expiry time by more than the gateways' grace and a poll or two. */
const pastExpiry = (iso: string | null | undefined) => !!iso && Date.parse(iso) < Date.now() - 60_000;
const UNSETTLED_PAYOUT = new Set(['PENDING_SUBMIT', 'UNKNOWN', 'PROCESSING']);

async function admin(
  ctx: SoakContext,
  path: string,
  init: { method?: string; body?: unknown; idempotencyKey?: string } = {},
): Promise<{ status: number; json: any }> {
  const gw = ctx.gateways[0];
  for (let attempt = 0; ; attempt++) {
    try {
      const headers: Record<string, string> = { Authorization: `Bearer ${ctx.adminKey}` };
      if (init.body !== undefined) headers['Content-Type'] = 'application/json';
      if (init.idempotencyKey) headers['Idempotency-Key'] = init.idempotencyKey;
      const res = await fetch(`${gw.url}${path}`, {
        method: init.method ?? 'GET',
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(60_000),
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : null };
    } catch (error) {
      if (attempt >= 5) throw error;
      await sleep(1000);
    }
  }
}

async function sandboxState(ctx: SoakContext): Promise<any> {
  return (await fetch(`${ctx.sandboxUrl}/sandbox/state`, { signal: AbortSignal.timeout(60_000) })).json();
}

async function listOrders(ctx: SoakContext): Promise<any[]> {
  const out: any[] = [];
  let cursor: string | null = null;
  do {
    const res = await admin(ctx, `/orders?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (res.status !== 200) throw new Error(`GET /orders answered ${res.status}: ${JSON.stringify(res.json)}`);
    out.push(...res.json.items);
    cursor = res.json.nextCursor;
  } while (cursor);
  return out;
}

async function listPaged(ctx: SoakContext, path: string): Promise<any[]> {
  const out: any[] = [];
  for (let page = 1; ; page++) {
    const res = await admin(ctx, `${path}?page=${page}&pageSize=100`);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.json)}`);
    out.push(...res.json.items);
    if (res.json.items.length < 100) return out;
  }
}

/** Ids answered on 2xx for a create path (top-ups and split fees have no list route). */
function answeredIds(ctx: SoakContext, path: string): string[] {
  return [...new Set(ctx.rec.requests.filter((r) => r.path === path && r.answeredId).map((r) => r.answeredId!))];
}

async function snapshot(ctx: SoakContext): Promise<Snapshot> {
  const topups = await Promise.all(answeredIds(ctx, '/deposit/topups').map(async (id) => (await admin(ctx, `/deposit/topups/${id}`)).json));
  const splitFees = await Promise.all(answeredIds(ctx, '/deposit/split-fees').map(async (id) => (await admin(ctx, `/deposit/split-fees/${id}`)).json));
  return {
    orders: await listOrders(ctx),
    withdrawals: await listPaged(ctx, '/withdrawals'),
    depositWithdrawals: await listPaged(ctx, '/deposit/withdrawals'),
    topups,
    splitFees,
    sandbox: await sandboxState(ctx),
  };
}

/** Things still moving: the settle phase waits until this list is empty (or its time is up). */
function unsettled(s: Snapshot): string[] {
  const out: string[] = [];
  const invoices = new Map<string, any>((s.sandbox.invoices as any[]).map((i) => [i.partnerReferenceNo, i]));
  for (const o of s.orders) {
    if (!FINAL_ORDER.has(o.status) && !o.needsReview) out.push(`order ${o.id} ${o.status}`);
    const inv = invoices.get(o.partnerReferenceNo);
    // A paid invoice must reach the order (callback, confirmation or poll). An invoice the buyer let
    // the sandbox close early stays PENDING with us until the order's own expiry (Netzme sends no
    // expiry notification); only past that, plus the grace, must it have moved.
    if (o.status === 'PENDING' && inv?.status === 'SUCCESS') out.push(`order ${o.id} PENDING, invoice paid`);
    if (o.status === 'PENDING' && inv && inv.status !== 'INIT' && pastExpiry(o.expiresAt)) out.push(`order ${o.id} PENDING past expiry, invoice ${inv.status}`);
  }
  for (const w of [...s.withdrawals, ...s.depositWithdrawals]) {
    if (UNSETTLED_PAYOUT.has(w.status) && !w.needsReview) out.push(`withdrawal ${w.id} ${w.status}`);
  }
  for (const t of s.topups) {
    if (t.status === 'PENDING_CREATE' || (t.status === 'UNKNOWN' && pastExpiry(t.expiresAt))) out.push(`top-up ${t.id} ${t.status}`);
    const inv = invoices.get(t.partnerReferenceNo);
    if (t.status === 'PENDING' && inv?.status === 'SUCCESS') out.push(`top-up ${t.id} PENDING, invoice paid`);
  }
  for (const f of s.splitFees) {
    if (f.status === 'PENDING_SUBMIT' || f.status === 'UNKNOWN') out.push(`split fee ${f.id} ${f.status}`);
  }
  if ((s.sandbox.transfers as any[]).some((t) => t.status === 'PROCESSING')) out.push('sandbox transfers PROCESSING');
  return out;
}

/**
 * Settle, then check. Settling: faults are off and both gateways up (done by the caller); every keyed
 * create is sent once more with its key (the answer a crash or fault lost is learnt, and a replay must
 * answer the same record); the bank finishes every transfer; the schedulers run until nothing moves.
 */
export async function checkInvariants(
  ctx: SoakContext,
  opts: { settleMs: number; say: (line: string) => void; sandboxReadyAt: number },
): Promise<InvariantResult[]> {
  const { say } = opts;
  const replayStart = ctx.rec.requests.length;
  // 1. Replays of every keyed money-moving create (first body sent with that key).
  const firstByKey = new Map<string, RequestRecord>();
  for (const r of ctx.rec.requests) {
    if (r.replayable && r.idempotencyKey && !firstByKey.has(r.idempotencyKey)) firstByKey.set(r.idempotencyKey, r);
  }
  const gw = ctx.gateways[0];
  for (const r of firstByKey.values()) {
    await ctx.rec.call(gw, r.method, r.path, { key: ctx.adminKey, body: r.body, idempotencyKey: r.idempotencyKey, identity: r.identity });
  }
  say(`replayed ${firstByKey.size} keyed creates`);

  // 2. Let the bank finish transfers and the schedulers settle.
  const rng = new Prng(ctx.options.seed ^ 0x5eed);
  const deadline = Date.now() + opts.settleMs;
  let s = await snapshot(ctx);
  let left = unsettled(s);
  while (left.length > 0 && Date.now() < deadline) {
    for (const t of (s.sandbox.transfers as any[]).filter((x) => x.status === 'PROCESSING')) {
      await fetch(`${ctx.sandboxUrl}/sandbox/withdrawals/${encodeURIComponent(t.partnerReferenceNo)}/complete`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ status: rng.chance(0.85) ? 'success' : 'failed' }),
      });
    }
    await fetch(`${ctx.sandboxUrl}/sandbox/callbacks/flush`, { method: 'POST', signal: AbortSignal.timeout(120_000) });
    await sleep(2000);
    s = await snapshot(ctx);
    left = unsettled(s);
  }
  say(left.length === 0 ? 'settled' : `settle time over with ${left.length} things still moving: ${left.slice(0, 5).join('; ')}`);

  // 3. A reconciliation report of every soak day, made now.
  const days = [...new Set([jakartaDay(ctx.runStart), jakartaDay(Date.now())])];
  const reports: any[] = [];
  for (const day of days) {
    let created = await admin(ctx, '/reconciliation/reports', { method: 'POST', body: { date: day } });
    for (let i = 0; created.status === 409 && i < 30; i++) {
      await sleep(2000);
      created = await admin(ctx, '/reconciliation/reports', { method: 'POST', body: { date: day } });
    }
    if (created.status !== 202) {
      reports.push({ day, error: `POST /reconciliation/reports answered ${created.status}`, body: created.json });
      continue;
    }
    let report = created.json;
    for (let i = 0; report.status === 'RUNNING' && i < 120; i++) {
      await sleep(1000);
      report = (await admin(ctx, `/reconciliation/reports/${report.id}?limit=1000`)).json;
    }
    report = (await admin(ctx, `/reconciliation/reports/${report.id}?limit=1000`)).json;
    reports.push(report);
  }
  const final = await snapshot(ctx);

  return [
    paidInvoicesMatchOrders(final),
    paidTopupsMatch(final),
    nothingStuckUnflagged(final),
    noTransferTwice(final),
    finalStatesEqual(final),
    balancesAdd(ctx, final),
    idempotentAnswersAgree(ctx, final, replayStart),
    no5xx(ctx),
    reconciliationMatched(reports, final),
    noSecretsInLogs(ctx, opts.sandboxReadyAt),
    {
      name: 'shop notifications: each status change delivered once per event id',
      ok: true,
      skipped: true,
      n: 0,
      counts: 'not checked yet: shop notifications are not built (add the check here when they are)',
      records: [],
    },
    harnessClean(ctx),
  ];
}

const result = (name: string, n: number, counts: string, records: unknown[]): InvariantResult => ({ name, ok: records.length === 0, n, counts, records });

function paidInvoicesMatchOrders(s: Snapshot): InvariantResult {
  const bad: unknown[] = [];
  const ordersByRef = new Map<string, any[]>();
  for (const o of s.orders) ordersByRef.set(o.partnerReferenceNo, [...(ordersByRef.get(o.partnerReferenceNo) ?? []), o]);
  const sales = (s.sandbox.invoices as any[]).filter((i) => i.apiSource !== 'topup_deposit');
  const paid = sales.filter((i) => i.status === 'SUCCESS');
  for (const inv of paid) {
    const orders = ordersByRef.get(inv.partnerReferenceNo) ?? [];
    if (orders.length !== 1) {
      bad.push({ problem: `paid invoice belongs to ${orders.length} orders`, invoice: inv, orders });
      continue;
    }
    const o = orders[0];
    if (o.status !== 'PAID') bad.push({ problem: `paid invoice, order ${o.status}`, invoice: inv, order: o });
    else if (o.payment?.paidAmount?.value !== inv.totalAmount)
      bad.push({ problem: `wrong amount: order paid ${o.payment?.paidAmount?.value}, sandbox paid ${inv.totalAmount}`, invoice: inv, order: o });
  }
  const byRef = new Map<string, any>(sales.map((i) => [i.partnerReferenceNo, i]));
  const paidOrders = s.orders.filter((o) => o.status === 'PAID');
  for (const o of paidOrders) {
    const inv = byRef.get(o.partnerReferenceNo);
    if (!inv || inv.status !== 'SUCCESS')
      bad.push({
        problem: `order PAID (${o.payment?.paidAmount?.value}), sandbox invoice ${inv?.status ?? 'missing'} (${inv?.totalAmount})`,
        order: o,
        invoice: inv,
      });
  }
  return result(
    'paid invoices <-> PAID orders, with the sandbox amount',
    paid.length,
    `${paid.length} paid invoices, ${paidOrders.length} PAID orders of ${s.orders.length}`,
    bad,
  );
}

function paidTopupsMatch(s: Snapshot): InvariantResult {
  const bad: unknown[] = [];
  const topupsByRef = new Map<string, any>(s.topups.map((t) => [t.partnerReferenceNo, t]));
  const paid = (s.sandbox.invoices as any[]).filter((i) => i.apiSource === 'topup_deposit' && i.status === 'SUCCESS');
  for (const inv of paid) {
    const t = topupsByRef.get(inv.partnerReferenceNo);
    // Only top-ups whose create was answered are known here; the buyer only pays those.
    if (!t) bad.push({ problem: 'paid top-up invoice with no top-up answered to the soak', invoice: inv });
    else if (t.status !== 'PAID' || t.amount?.value !== inv.amount)
      bad.push({ problem: `top-up ${t.status} ${t.amount?.value}, sandbox paid ${inv.amount}`, topup: t, invoice: inv });
  }
  for (const t of s.topups.filter((x) => x.status === 'PAID')) {
    const inv = (s.sandbox.invoices as any[]).find((i) => i.partnerReferenceNo === t.partnerReferenceNo);
    if (!inv || inv.status !== 'SUCCESS') bad.push({ problem: 'top-up PAID, not paid at the sandbox', topup: t, invoice: inv });
  }
  return result('paid top-up invoices <-> PAID top-ups', paid.length, `${paid.length} paid top-up invoices, ${s.topups.length} top-ups`, bad);
}

function nothingStuckUnflagged(s: Snapshot): InvariantResult {
  const bad: unknown[] = [];
  let flagged = 0;
  for (const o of s.orders) {
    if ((o.status === 'CREATING' || o.status === 'UNKNOWN') && !o.needsReview) bad.push({ problem: `order ${o.status}, not flagged`, order: o });
    if (o.needsReview) {
      flagged++;
      if (!o.message && !o.failure?.message) bad.push({ problem: 'order flagged without a reason', order: o });
    }
  }
  for (const w of [...s.withdrawals, ...s.depositWithdrawals]) {
    if ((w.status === 'PENDING_SUBMIT' || w.status === 'UNKNOWN') && !w.needsReview)
      bad.push({ problem: `withdrawal ${w.status}, not flagged`, withdrawal: w });
    if (w.needsReview) {
      flagged++;
      if (!w.lastError && !w.anomaly && !w.failureReason) bad.push({ problem: 'withdrawal flagged without a reason', withdrawal: w });
    }
  }
  // A top-up whose create answer was lost cannot be looked up at Netzme (no trxId): by design it stays
  // UNKNOWN until its payment instructions expire unseen, then becomes EXPIRED. Only past that is it stuck.
  let topupsAwaitingExpiry = 0;
  for (const t of s.topups) {
    if (t.status === 'PENDING_CREATE' || (t.status === 'UNKNOWN' && pastExpiry(t.expiresAt))) bad.push({ problem: `top-up left ${t.status}`, topup: t });
    else if (t.status === 'UNKNOWN') topupsAwaitingExpiry++;
  }
  for (const f of s.splitFees) if (f.status === 'PENDING_SUBMIT' || f.status === 'UNKNOWN') bad.push({ problem: `split fee left ${f.status}`, splitFee: f });
  const n = s.orders.length + s.withdrawals.length + s.depositWithdrawals.length + s.topups.length + s.splitFees.length;
  return result(
    'nothing left CREATING/PENDING_SUBMIT/UNKNOWN unflagged; no flag without reason',
    n,
    `${n} records, ${flagged} flagged for review (all with a reason), ${topupsAwaitingExpiry} top-ups UNKNOWN until their expiry`,
    bad,
  );
}

function transfersOf(s: Snapshot) {
  const transfers = s.sandbox.transfers as any[];
  return { merchant: transfers.filter((t) => t.kind === 'merchant'), deposit: transfers.filter((t) => t.kind !== 'merchant') };
}

function noTransferTwice(s: Snapshot): InvariantResult {
  const bad: unknown[] = [];
  for (const [ref, count] of Object.entries(s.sandbox.acceptedByPartnerReferenceNo as Record<string, number>)) {
    if (count !== 1) bad.push({ problem: `partnerReferenceNo accepted ${count} times`, partnerReferenceNo: ref });
  }
  const t = transfersOf(s);
  const check = (ours: any[], theirs: any[], what: string) => {
    const refs = new Map<string, number>();
    for (const w of ours) refs.set(w.partnerReferenceNo, (refs.get(w.partnerReferenceNo) ?? 0) + 1);
    for (const [ref, n] of refs) if (n > 1) bad.push({ problem: `${n} ${what}s share one partnerReferenceNo`, partnerReferenceNo: ref });
    // A transfer at Netzme that none of our withdrawals owns is money paid out that we do not know of:
    // what a second submit under a new reference looks like (a double payout).
    for (const tr of theirs)
      if (!refs.has(tr.partnerReferenceNo)) bad.push({ problem: `double payout: a ${what} transfer at Netzme that no ${what} of ours owns`, transfer: tr });
  };
  check(s.withdrawals, t.merchant, 'withdrawal');
  check(s.depositWithdrawals, t.deposit, 'deposit withdrawal');
  const refused = (s.sandbox.transfers as any[]).reduce((sum, x) => sum + (x.duplicatesRefused ?? 0), 0);
  const n = (s.sandbox.transfers as any[]).length;
  return result(
    'no transfer partnerReferenceNo accepted twice; every transfer is one of ours',
    n,
    `${n} transfers accepted once each, ${refused} repeats refused by the sandbox`,
    bad,
  );
}

function finalStatesEqual(s: Snapshot): InvariantResult {
  const bad: unknown[] = [];
  const t = transfersOf(s);
  let compared = 0;
  let inReview = 0;
  const map: Record<string, string> = { SUCCESS: 'SUCCEEDED', FAILED: 'FAILED', PROCESSING: 'PROCESSING' };
  const check = (ours: any[], theirs: any[]) => {
    const byRef = new Map<string, any>(theirs.map((x) => [x.partnerReferenceNo, x]));
    for (const w of ours) {
      const tr = byRef.get(w.partnerReferenceNo);
      if (w.status === 'UNKNOWN' || w.status === 'PENDING_SUBMIT') {
        inReview++;
        continue;
      }
      compared++;
      const expected = tr ? map[tr.status] : 'FAILED';
      if (w.status !== expected) bad.push({ problem: `ours ${w.status}, sandbox ${tr ? tr.status : 'has no such transfer'}`, withdrawal: w, transfer: tr });
    }
  };
  check(s.withdrawals, t.merchant);
  check(s.depositWithdrawals, t.deposit);
  // Split fees: DEDUCTED exactly when the sandbox's deposit ledger has the deduction.
  const deductions = new Map<string, number>();
  for (const e of s.sandbox.depositTransactions as any[]) if (e.type === 'SPLIT_FEE') deductions.set(e.reference, (deductions.get(e.reference) ?? 0) + 1);
  for (const f of s.splitFees) {
    const n = deductions.get(f.partnerReferenceNo) ?? 0;
    compared++;
    if (n > 1) bad.push({ problem: `split fee deducted ${n} times`, splitFee: f });
    if ((f.status === 'DEDUCTED') !== (n === 1)) bad.push({ problem: `split fee ${f.status}, sandbox deductions ${n}`, splitFee: f });
  }
  return result("withdrawal / deposit withdrawal / split fee final state = the sandbox's", compared, `${compared} compared, ${inReview} left for review`, bad);
}

function balancesAdd(ctx: SoakContext, s: Snapshot): InvariantResult {
  const bad: unknown[] = [];
  const bal = s.sandbox.balances[ctx.creds.merchantId];
  const minor = (v: string | undefined) => (v ? toMinor(v) : 0n);
  // Settled: seed + net of PAID orders - withdrawals the bank has not refused.
  let settled = ctx.seedBalances.settled;
  for (const o of s.orders) if (o.status === 'PAID') settled += minor(o.payment?.netAmount?.value ?? o.payment?.paidAmount?.value);
  let settledOpen = 0n;
  for (const w of s.withdrawals) {
    if (w.status === 'SUCCEEDED' || w.status === 'PROCESSING') settled -= minor(w.amount.value);
    else if (w.status === 'UNKNOWN' || w.status === 'PENDING_SUBMIT') settledOpen += minor(w.amount.value);
  }
  // Deposit: seed + PAID top-ups - DEDUCTED split fees - deposit withdrawals not refused.
  let deposit = ctx.seedBalances.deposit;
  let depositOpen = 0n;
  for (const t of s.topups) if (t.status === 'PAID') deposit += minor(t.amount.value);
  for (const f of s.splitFees) {
    if (f.status === 'DEDUCTED') deposit -= minor(f.feeAmount.value);
    else if (f.status === 'UNKNOWN' || f.status === 'PENDING_SUBMIT') depositOpen += minor(f.feeAmount.value);
  }
  for (const w of s.depositWithdrawals) {
    if (w.status === 'SUCCEEDED' || w.status === 'PROCESSING') deposit -= minor(w.amount.value);
    else if (w.status === 'UNKNOWN' || w.status === 'PENDING_SUBMIT') depositOpen += minor(w.amount.value);
  }
  const within = (actual: bigint, implied: bigint, open: bigint) => actual <= implied && actual >= implied - open;
  const actualSettled = toMinor(bal.settledBalance);
  const actualDeposit = toMinor(bal.depositBalance);
  if (!within(actualSettled, settled, settledOpen))
    bad.push({
      problem: 'settled balance differs from our records',
      sandbox: bal.settledBalance,
      implied: fromMinor(settled),
      inReview: fromMinor(settledOpen),
      difference: fromMinor(actualSettled - settled),
    });
  if (!within(actualDeposit, deposit, depositOpen))
    bad.push({
      problem: 'deposit balance differs from our records',
      sandbox: bal.depositBalance,
      implied: fromMinor(deposit),
      inReview: fromMinor(depositOpen),
      difference: fromMinor(actualDeposit - deposit),
    });
  return result(
    'sandbox balances = what our records imply',
    2,
    `settled ${bal.settledBalance} (implied ${fromMinor(settled)}${settledOpen ? `, minus up to ${fromMinor(settledOpen)} in review` : ''}), deposit ${bal.depositBalance} (implied ${fromMinor(deposit)}${depositOpen ? `, minus up to ${fromMinor(depositOpen)} in review` : ''})`,
    bad,
  );
}

function idempotentAnswersAgree(ctx: SoakContext, s: Snapshot, replayStart: number): InvariantResult {
  const bad: unknown[] = [];
  const groups = new Map<string, RequestRecord[]>();
  for (const r of ctx.rec.requests) {
    if (!r.identity) continue;
    const k = `${r.identity.kind} ${r.identity.id}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  let answered = 0;
  for (const [k, rs] of groups) {
    const ok = rs.filter((r) => r.status >= 200 && r.status < 300);
    answered += ok.length;
    const ids = new Set(ok.map((r) => r.answeredId));
    if (ids.size > 1)
      bad.push({
        problem: `${k} answered with ${ids.size} different records`,
        answers: ok.map((r) => ({ n: r.n, gateway: r.gateway, status: r.status, id: r.answeredId, replay: r.n > replayStart })),
      });
    const bodies = new Set(ok.map((r) => r.identity!.bodyHash));
    if (bodies.size > 1)
      bad.push({
        problem: `${k} accepted two different bodies (the second must be 409)`,
        answers: ok.map((r) => ({ n: r.n, status: r.status, id: r.answeredId, body: r.body })),
      });
  }
  // The database side of it: one order per merchantOrderId.
  const perId = new Map<string, number>();
  for (const o of s.orders) perId.set(o.merchantOrderId, (perId.get(o.merchantOrderId) ?? 0) + 1);
  for (const [id, n] of perId)
    if (n > 1) bad.push({ problem: `${n} orders for merchantOrderId ${id}`, orders: s.orders.filter((o) => o.merchantOrderId === id) });
  const conflicts = ctx.rec.requests.filter((r) => r.status === 409).length;
  return result(
    'no idempotent request answered two different ways',
    groups.size,
    `${groups.size} identities, ${answered} 2xx answers, ${conflicts} answered 409`,
    bad,
  );
}

function wasDown(gw: Gateway | undefined, from: number, to: number): boolean {
  return !!gw && gw.down.some(([a, b]) => a <= to + 1000 && b >= from - 1000);
}

function no5xx(ctx: SoakContext): InvariantResult {
  const bad: unknown[] = [];
  const counts = { outage503: 0, upstream5xx: 0, noAnswerDuringKill: 0, noAnswerDuringDbRestart: 0, other5xx: 0 };
  const inDbOutage = (r: RequestRecord) => ctx.dbOutages.some(([a, b]) => a <= r.endedAt && b >= r.startedAt);
  for (const r of ctx.rec.requests) {
    const gw = ctx.gateways.find((g) => g.name === r.gateway);
    if (r.status === 0) {
      if (wasDown(gw, r.startedAt, r.endedAt)) counts.noAnswerDuringKill++;
      else if (inDbOutage(r)) counts.noAnswerDuringDbRestart++;
      else bad.push({ problem: 'no answer from a gateway that was up', request: r });
    } else if (r.status === 503 && inDbOutage(r)) {
      counts.outage503++;
    } else if ((r.status === 502 || r.status === 504) && /^NETZME_/.test(r.code ?? '')) {
      // Netzme (the sandbox, under a fault) failed or did not answer: an honest 502/504 with the reason.
      counts.upstream5xx++;
    } else if (r.status >= 500) {
      counts.other5xx++;
      bad.push({ problem: `${r.status} to a well-formed request`, request: r });
    }
  }
  return result(
    'no 5xx to a well-formed request (503 only while the database restarts)',
    ctx.rec.requests.length,
    `${ctx.rec.requests.length} requests: ${counts.outage503} 503 during database restarts, ${counts.upstream5xx} 502/504 NETZME_* under sandbox faults, ${counts.noAnswerDuringKill + counts.noAnswerDuringDbRestart} unanswered during kills/restarts`,
    bad,
  );
}

function reconciliationMatched(reports: any[], s: Snapshot): InvariantResult {
  const bad: unknown[] = [];
  let matched = 0;
  let inFlight = 0;
  const ours = new Map<string, string>();
  for (const o of s.orders) ours.set(o.id, o.status);
  for (const w of [...s.withdrawals, ...s.depositWithdrawals]) ours.set(w.id, w.status);
  for (const r of reports) {
    if (r.error || r.status !== 'COMPLETED') {
      bad.push({ problem: `report for ${r.day ?? r.date} not completed`, report: { ...r, items: undefined } });
      continue;
    }
    for (const item of r.items as any[]) {
      if (item.kind === 'MATCHED') matched++;
      else if (item.inFlight) {
        inFlight++;
        // "Names exactly the in-flight items": the item is something still moving on one side.
        const ourStatus = item.ours?.id ? ours.get(item.ours.id) : undefined;
        if (ourStatus && !UNSETTLED_PAYOUT.has(ourStatus) && ourStatus !== 'PENDING' && item.netzme?.status !== 'PROCESSING')
          bad.push({ problem: 'in-flight item that is settled on both sides', item });
      } else bad.push({ problem: `report ${r.id} (${r.date}): ${item.kind}`, item });
    }
    if (r.nextCursor) bad.push({ problem: `report ${r.id} has more than 1000 items; read them all`, report: r.id });
  }
  return result(
    'reconciliation reports of the soak days: matched, or in-flight items named',
    reports.length,
    `${reports.length} reports, ${matched} items matched, ${inFlight} in flight`,
    bad,
  );
}

function noSecretsInLogs(ctx: SoakContext, sandboxReadyAt: number): InvariantResult {
  const bad: unknown[] = [];
  const c = ctx.creds;
  const keyBody = c.privateKey.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const secrets: Array<[string, string]> = [
    ['client secret', c.clientSecret],
    ['callback token', c.callbackToken],
    ['admin API key', ctx.adminKey],
    ['checkout API key', ctx.checkoutKey],
    // Any 40-character piece of the private key's base64 (a log line may hold part of it).
    ...[0, 1, 2, 3].map((i) => ['private key', keyBody.slice(200 + i * 200, 240 + i * 200)] as [string, string]),
  ];
  const pin = c.merchantPin;
  // A six-digit PIN alone would match amounts and timestamps: look for it next to the word pin.
  const pinPattern = pin ? new RegExp(`pin\\W{0,12}${pin}(?!\\d)`, 'i') : undefined;
  let scanned = 0;
  for (const l of ctx.logs) {
    // The sandbox stands in for Netzme and prints its development credentials once at start-up
    // (documented); everything it logs after that is checked like any other process.
    if (l.source.startsWith('sandbox') && l.at <= sandboxReadyAt) continue;
    scanned++;
    for (const [what, secret] of secrets) {
      if (secret && l.line.includes(secret)) bad.push({ problem: `${what} in a log line of ${l.source}`, line: l.line.slice(0, 300) });
    }
    if (pinPattern?.test(l.line)) bad.push({ problem: `withdrawal PIN in a log line of ${l.source}`, line: l.line.slice(0, 300) });
  }
  const sources = new Set(ctx.logs.map((l) => l.source));
  return result(
    'no secret (client secret, private key, callback token, API keys, PIN) in any log line',
    scanned,
    `${scanned} lines of ${sources.size} process lives scanned`,
    bad,
  );
}

function harnessClean(ctx: SoakContext): InvariantResult {
  return result(
    'the soak itself ran cleanly (no harness errors)',
    ctx.stats.operations ?? 0,
    `${ctx.rec.harnessErrors.length} harness errors`,
    ctx.rec.harnessErrors.slice(0, 5),
  );
}
