import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import { NetzmeClient } from '@app/netzme-client';

/**
 * The `--baseline` role of the orders benchmark: a bare node:http server doing what an order
 * endpoint cannot do without (one insert, the Netzme call), the yardstick the gateway is judged by.
 */

type BaselineBody = { merchantOrderId: string; amount: string; payMethod?: string };
type BaselineHandler = (body: BaselineBody, res: ServerResponse) => Promise<void>;

/** The baseline: the least an order endpoint can do (one insert, one Netzme call), without a framework. */
export async function serveBaseline(env: Record<string, string>): Promise<void> {
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
    const answer = await netzme.createInvoiceTransaction({
      partnerReferenceNo,
      amount: body.amount,
      payMethod: body.payMethod ?? 'QRIS',
      expireInSecond: '900',
    });
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
  const { buildDataSourceOptions } = await import('../../apps/gateway/src/database/database.options');
  const { InvoiceRepository } = await import('../../apps/gateway/src/invoice/invoice.repository');
  const { readCreateAnswer } = await import('../../apps/gateway/src/invoice/netzme-invoice.mapper');
  const { newPartnerReference } = await import('../../apps/gateway/src/invoice/orders.service');
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
      await netzme.createInvoiceTransaction({
        partnerReferenceNo: order.partnerReferenceNo,
        amount: order.amountMinor,
        payMethod: order.payMethod,
        expireInSecond: '900',
      }),
      order,
    );
    const netzmeMs = performance.now() - started;
    if (answer.kind !== 'created') throw new Error(answer.message);
    started = performance.now();
    const moved = await state.transition(
      order.id,
      'PENDING',
      {
        source: 'create',
        reason: 'Netzme created the invoice',
        patch: { ...answer.patch, statusReason: null, leaseUntil: null, nextPollAt: new Date(Date.now() + 30_000) },
      },
      { copy: order },
    );
    dbMs += performance.now() - started;
    if (!moved.order) throw new Error(`order ${order.id} did not move to PENDING`);
    res.writeHead(201, { 'content-type': 'application/json', 'server-timing': `netzme;dur=${netzmeMs.toFixed(1)}, db;dur=${dbMs.toFixed(1)}` });
    res.end(
      JSON.stringify({ id: moved.order.id, status: moved.order.status, partnerReferenceNo: moved.order.partnerReferenceNo, qrImage: moved.order.qrImage }),
    );
  };
}
