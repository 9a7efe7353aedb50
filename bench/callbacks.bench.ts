/**
 * Netzme callback benchmark (`npm run bench:callbacks`).
 *
 * Starts an embedded PostgreSQL and the gateway (in its own process), seeds BENCH_ORDERS pending
 * orders, then POSTs one invoice-paid callback per order to /callbacks/netzme/invoice-paid at
 * BENCH_CONNECTIONS concurrent clients, with BENCH_DUPLICATES (default 10%) of the requests being
 * repeats of a callback already sent (half of them fired at the same instant as the original).
 * Afterwards it checks that nothing happened twice: no order PAID twice (one PAID history row at
 * most), the inbox holds exactly one row per distinct callback with every repeat counted, and every
 * answer was 200 `2000000`. Target: >= 1,000 callbacks/s acknowledged with zero double effects.
 *
 * Confirm before trust: a callback no longer pays an order by itself; the gateway asks Netzme's Get
 * Invoice Transaction afterwards. This benchmark has no Netzme (nothing listens at NETZME_BASE_URL),
 * so it measures the acknowledgement path (authenticate, store, answer) and the orders stay
 * PENDING; how many were paid is printed, not required.
 *
 * BENCH_ORDERS (default 20000), BENCH_CONNECTIONS (default 64), BENCH_DUPLICATES (default 0.1).
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedDatabase } from '../scripts/lib/embedded-db';
import { profileFlags, serveGateway, startRole } from './support/roles';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 20000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const DUPLICATE_SHARE = Number(process.env.BENCH_DUPLICATES ?? 0.1);
const TARGET_PER_SECOND = 1000;
const CALLBACK_TOKEN = 'bench-callback-token-0123456789abcdef';
const MERCHANT_ID = 'M_BENCH001';

/** The gateway in its own process (BENCH_PROFILE=gateway writes its CPU profile). */
async function startGateway(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const { child, info } = await startRole<{ url: string }>(__filename, 'gateway', ['--gateway', JSON.stringify(env)], profileFlags('gateway'));
  return { child, url: info.url };
}

/** The invoice-paid callback Netzme sends for a paid order (docs/netzme-protocol.md T15). */
function paidCallback(i: number): { invoiceId: string; body: string } {
  const invoiceId = `NETZ-INV-${MERCHANT_ID}${String(i).padStart(10, '0')}bch`;
  const trxId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  return {
    invoiceId,
    body: JSON.stringify({
      originalReferenceNo: invoiceId,
      originalPartnerReferenceNo: trxId,
      latestTransactionStatus: '00',
      transactionStatusDesc: 'Success',
      amount: { value: '15000.00', currency: 'IDR' },
      netAmount: { value: '14895.00', currency: 'IDR' },
      feeAmount: { value: '105.00', currency: 'IDR' },
      additionalInfo: {
        custIdMerchant: MERCHANT_ID,
        paymentTime: '2023-11-15T05:20:01+07:00',
        paymentMethod: 'QRIS',
        paymentChannel: 'QRIS',
        transactionId: trxId,
        isSplitFee: false,
        spiltFees: [],
        qrDetail: { rrn: String(400000000000 + i), issuerName: 'GOPAY', acquirerName: 'NETZME', invoiceId, localTrasactionDate: 20231115 },
      },
    }),
  };
}

/** The slice of autocannon's programmatic API used here (the package ships no type declarations). */
interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
  onResponse?: (status: number, body: string) => void;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  amount: number;
  requests: AutocannonRequest[];
}
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number };
  duration: number;
  non2xx: number;
  errors: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: AutocannonOptions) => Promise<AutocannonResult>;

async function main(): Promise<void> {
  const db = await startEmbeddedDatabase({ dataDir: join(tmpdir(), `netzme-bench-callbacks-${process.pid}`), ephemeral: true });
  let gateway: { child: ChildProcess; url: string } | undefined;
  try {
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    await admin.query('CREATE DATABASE bench_callbacks');
    await admin.end();
    const url = new URL(db.url);
    url.pathname = '/bench_callbacks';
    gateway = await startGateway({
      NODE_ENV: 'development',
      DATABASE_URL: url.toString(),
      DATABASE_POOL_SIZE: '20',
      CHECKOUT_API_KEYS: 'bench_checkout_key_0001',
      RATE_LIMIT_PER_SECOND: '0', // a benchmark measures the gateway, not the per-key limit
      ADMIN_API_KEYS: 'bench_admin_key_00001',
      LOG_LEVEL: 'error',
      JOBS_ENABLED: 'false',
      // No Netzme: the confirmations that follow each callback fail fast and are retried later.
      NETZME_BASE_URL: 'http://127.0.0.1:9',
      NETZME_CLIENT_ID: 'BenchClient',
      NETZME_CLIENT_SECRET: '0123456789abcdef0123456789abcdef',
      NETZME_PRIVATE_KEY: (await import('node:crypto')).generateKeyPairSync('rsa', {
        modulusLength: 2048,
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      }).privateKey,
      NETZME_CALLBACK_TOKEN: CALLBACK_TOKEN,
      NETZME_MERCHANT_ID: MERCHANT_ID,
    });

    // Seed the pending orders the callbacks pay (the gateway has applied its migrations by now).
    const sql = new Client({ connectionString: url.toString() });
    await sql.connect();
    await sql.query(
      `INSERT INTO orders (id, merchant_id, merchant_order_id, request_fingerprint, partner_reference_no, status, amount_minor, pay_method, expires_in_seconds,
                           netzme_invoice_id, netzme_trx_id, expires_at)
       SELECT gen_random_uuid(), $1, 'BENCH-' || g, 'f', 'GWBENCH' || g, 'PENDING', 1500000, 'QRIS', 900,
              'NETZ-INV-' || $1 || lpad(g::text, 10, '0') || 'bch', '00000000-0000-4000-8000-' || lpad(g::text, 12, '0'), now() + interval '1 hour'
       FROM generate_series(0, $2 - 1) g`,
      [MERCHANT_ID, ORDERS],
    );
    await sql.query('ANALYZE orders');

    // The request plan: every order once, plus ~10% repeats: half right next to their original (sent
    // by another connection at the same moment), half a little later.
    const plan: string[] = [];
    const everyNth = DUPLICATE_SHARE > 0 ? Math.max(1, Math.round(1 / DUPLICATE_SHARE) - 1) : Infinity;
    let repeats = 0;
    for (let i = 0; i < ORDERS; i++) {
      plan.push(paidCallback(i).body);
      if (i % everyNth === everyNth - 1) {
        repeats++;
        plan.push(repeats % 2 === 0 ? paidCallback(i).body : paidCallback(Math.max(0, i - 50 - (i % 37))).body);
      }
    }
    const total = plan.length;

    const headers = { 'content-type': 'application/json', 'x-callback-token': CALLBACK_TOKEN };
    // Warm-up on a callback kind that touches no order (recorded only).
    await autocannon({
      url: gateway.url,
      connections: 16,
      amount: 2000,
      requests: [
        {
          method: 'POST',
          path: '/callbacks/netzme/bill-paid',
          headers,
          setupRequest: (req) => ({
            ...req,
            body: JSON.stringify({ latestTransactionStatus: '00', originalReferenceNo: `warm-${randomUUID()}`, additionalInfo: { billId: 'w' } }),
          }),
        },
      ],
    });

    process.stdout.write(
      `invoice-paid callbacks: ${ORDERS} orders, ${total} requests (${total - ORDERS} repeats = ${((100 * (total - ORDERS)) / total).toFixed(1)}%), ${CONNECTIONS} concurrent connections (autocannon)\n`,
    );
    let next = 0;
    const bad: string[] = [];
    const result = await autocannon({
      url: gateway.url,
      connections: CONNECTIONS,
      amount: total,
      requests: [
        {
          method: 'POST',
          path: '/callbacks/netzme/invoice-paid',
          headers,
          setupRequest: (req) => ({ ...req, body: plan[next++ % total] }),
          onResponse: (status: number, body: string) => {
            if (status !== 200 || !body.includes('"2000000"')) {
              bad.push(`${status} ${body.slice(0, 120)}`);
            }
          },
        },
      ],
    });
    const perSecond = Math.round(result.requests.total / result.duration);
    // Zero double effects?
    const check = (
      await sql.query(
        `
        SELECT
          (SELECT count(*)::int FROM orders WHERE merchant_id = $1 AND status = 'PAID') AS paid,
          (SELECT count(*)::int FROM orders WHERE merchant_id = $1 AND status <> 'PAID') AS not_paid,
          (SELECT count(*)::int FROM order_status_history WHERE to_status = 'PAID') AS paid_transitions,
          (SELECT count(*)::int FROM (SELECT order_id FROM order_status_history WHERE to_status = 'PAID' GROUP BY order_id HAVING count(*) > 1) x) AS paid_twice,
          (SELECT count(*)::int FROM netzme_callbacks WHERE kind = 'invoice-paid') AS inbox_rows,
          (SELECT coalesce(sum(duplicates), 0)::int FROM netzme_callbacks WHERE kind = 'invoice-paid') AS inbox_repeats,
          (SELECT count(*)::int FROM netzme_callbacks WHERE kind = 'invoice-paid' AND status <> 'applied') AS not_applied`,
        [MERCHANT_ID],
      )
    ).rows[0] as Record<string, number>;
    await sql.end();

    const doubleEffects = check.paid_transitions - check.paid + check.paid_twice;
    const ok =
      perSecond >= TARGET_PER_SECOND &&
      bad.length === 0 &&
      result.errors === 0 &&
      result.non2xx === 0 &&
      doubleEffects === 0 &&
      check.inbox_rows === ORDERS &&
      check.inbox_repeats === total - ORDERS;
    const summary = {
      at: new Date().toISOString(),
      orders: ORDERS,
      requests: total,
      repeats: total - ORDERS,
      connections: CONNECTIONS,
      seconds: result.duration,
      callbacksPerSecond: perSecond,
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      non200OrNot2000000: bad.length + result.non2xx,
      errors: result.errors,
      check,
      doubleEffects,
      pass: ok,
    };
    process.stdout.write(
      [
        `${perSecond} callbacks/s over ${summary.seconds} s (target >= ${TARGET_PER_SECOND}); latency p50 ${summary.latencyMs.p50} ms, p99 ${summary.latencyMs.p99} ms`,
        `answers not 200/2000000: ${bad.length}${bad.length ? ` (e.g. ${bad[0]})` : ''}; transport errors: ${result.errors}`,
        `orders PAID: ${check.paid}/${ORDERS} (no Netzme to confirm them in this benchmark); PAID transitions: ${check.paid_transitions}; orders paid twice: ${check.paid_twice}; double effects: ${doubleEffects}`,
        `inbox rows: ${check.inbox_rows} (expected ${ORDERS}); repeats counted: ${check.inbox_repeats} (expected ${total - ORDERS}); not yet applied (awaiting Netzme): ${check.not_applied}`,
        ok ? 'PASS' : 'FAIL',
        '',
      ].join('\n'),
    );
    mkdirSync(join(__dirname, '..', '..', 'bench', 'results'), { recursive: true });
    writeFileSync(join(__dirname, '..', '..', 'bench', 'results', 'callbacks.json'), `${JSON.stringify(summary, null, 2)}\n`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    gateway?.child.disconnect?.();
    await new Promise((r) => setTimeout(r, 500));
    gateway?.child.kill();
    await db.stop();
  }
}

const role = process.argv[2];
const entry = role === '--gateway' ? serveGateway(JSON.parse(process.argv[3]) as Record<string, string>) : main();
entry.catch((err: unknown) => {
  process.stderr.write(`callbacks bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
