import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../apps/gateway/src/database/database.options';
import { requestFingerprint } from '../../apps/gateway/src/idempotency/idempotency';
import { createTestDatabase, TestDatabase } from '../support/database';
import { ADMIN_KEY, startTestGateway, TestGateway } from '../support/gateway';

/** The last migration that existed before the redesign (issue 19): the schema a live database has today. */
const LAST_OLD_MIGRATION = 1795400000002;
const MIGRATIONS = join(__dirname, '..', '..', 'migrations');
const MERCHANT = 'M_OFFLINE1'; // OFFLINE_NETZME's merchant: the gateway lists its rows

const ids = {
  paidOrder: '11111111-1111-4111-8111-000000000001',
  pendingOrder: '11111111-1111-4111-8111-000000000002',
  failedOrder: '11111111-1111-4111-8111-000000000003',
  unknownOrder: '11111111-1111-4111-8111-000000000004',
  paidTopup: '22222222-2222-4222-8222-000000000001',
  creatingTopup: '22222222-2222-4222-8222-000000000002',
  failedTopup: '22222222-2222-4222-8222-000000000003',
  pendingTopup: '22222222-2222-4222-8222-000000000004',
  expiredTopup: '22222222-2222-4222-8222-000000000005',
  unknownTopup: '22222222-2222-4222-8222-000000000006',
  withdrawal: '33333333-3333-4333-8333-000000000001',
  depositWithdrawal: '33333333-3333-4333-8333-000000000002',
  splitFee: '44444444-4444-4444-8444-000000000001',
  callback: '55555555-5555-4555-8555-000000000001',
};

/** The same key on an order and on a top-up: legal before (two tables), still legal after (unique per purpose). */
const SHARED_KEY = 'key-used-by-an-order-and-a-top-up';
const topupFingerprint = requestFingerprint({ amount: '25000.00', payMethod: 'QRIS', expiresInSeconds: 3600 });

/**
 * Existing data survives the redesign's migrations: a database is built with the migrations that
 * existed before it, filled by literal SQL in the OLD schema (orders in several statuses, deposit
 * top-ups in every status, a withdrawal, a deposit withdrawal, a split fee, a stored callback), then
 * the gateway starts on it (running every migration since) and each row is read back through the
 * public API. A migration that drops, duplicates or mangles a row fails here.
 */
describe('Migrations keep existing data (old schema -> every migration -> public API)', () => {
  let db: TestDatabase;
  let gw: TestGateway;

  const get = async (path: string): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${gw.url}${path}`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
    return { status: res.status, body: await res.json() };
  };

  beforeAll(async () => {
    db = await createTestDatabase('olddata');
    const old = readdirSync(MIGRATIONS)
      .filter((file) => /^\d+-.*\.ts$/.test(file) && Number(file.split('-')[0]) <= LAST_OLD_MIGRATION)
      .map((file) => join(MIGRATIONS, file));
    expect(old).toHaveLength(10);
    const ds = await new DataSource({ ...buildDataSourceOptions(db.url, 2), entities: [], migrations: old }).initialize();
    try {
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await ds.destroy();
    }
    const sql = new Client({ connectionString: db.url });
    await sql.connect();
    try {
      await sql.query(OLD_ROWS);
    } finally {
      await sql.end();
    }
    gw = await startTestGateway({ db, env: { JOBS_ENABLED: 'false' } });
  }, 120_000);

  afterAll(async () => {
    await gw?.close();
    await db?.drop();
  });

  it('orders: every field of a PAID order, other statuses, the history and the list', async () => {
    const paid = await get(`/orders/${ids.paidOrder}`);
    expect(paid.status).toBe(200);
    expect(paid.body).toEqual({
      id: ids.paidOrder,
      merchantOrderId: 'OLD-PAID-1',
      status: 'PAID',
      amount: { value: '15000.00', currency: 'IDR' },
      payMethod: 'QRIS',
      qrImage: 'data:image/png;base64,AAAA',
      qrContent: '00020101021226',
      paymentUrl: 'https://pay.example/1',
      virtualAccounts: null,
      expiresAt: '2026-11-20T01:17:03.000Z',
      paidAt: '2026-11-20T01:05:00.000Z',
      createdAt: '2026-11-20T01:02:03.456Z',
      updatedAt: '2026-11-20T01:05:01.000Z',
      description: 'Order #1',
      customer: { fullname: 'Budi Santoso', email: 'budi@example.com' },
      partnerReferenceNo: 'GW1700000000000aaaaaaaaaa',
      netzme: { invoiceId: 'NETZ-INV-OLD-1', trxId: 'trx-old-1' },
      payment: {
        paidAmount: { value: '15000.00', currency: 'IDR' },
        fee: { value: '105.00', currency: 'IDR' },
        netAmount: { value: '14895.00', currency: 'IDR' },
        method: 'QRIS',
        rrn: '123456789012',
        issuerName: 'Bank Contoh',
      },
      failure: null,
      message: 'Paid.',
      needsReview: false,
    });
    expect((await get(`/orders/${ids.failedOrder}`)).body).toMatchObject({
      status: 'FAILED',
      merchantOrderId: 'OLD-FAILED-1',
      failure: { code: 'NETZME_4044713', message: 'Netzme refused the invoice (4044713 Invalid Amount)' },
    });
    expect((await get(`/orders/${ids.pendingOrder}`)).body).toMatchObject({
      status: 'PENDING',
      amount: { value: '99999999.99', currency: 'IDR' },
      virtualAccounts: [{ bankCode: 'BCA', virtualAccountNo: '8860000001' }],
    });
    expect((await get(`/orders/${ids.unknownOrder}`)).body).toMatchObject({
      status: 'UNKNOWN',
      needsReview: true,
      message: expect.stringContaining('(Netzme did not answer)'),
    });
    const history = await get(`/orders/${ids.paidOrder}/history`);
    expect(history.body.map((h: any) => [h.from, h.to, h.source, h.at])).toEqual([
      [null, 'CREATING', 'create', '2026-11-20T01:02:03.456Z'],
      ['CREATING', 'PENDING', 'create', '2026-11-20T01:02:04.000Z'],
      ['PENDING', 'PAID', 'callback', '2026-11-20T01:05:01.000Z'],
    ]);
    // GET /orders lists the orders only, never the top-ups that now share the table.
    const list = await get('/orders?limit=100');
    expect(list.body.items.map((o: any) => o.id).sort()).toEqual([ids.paidOrder, ids.pendingOrder, ids.failedOrder, ids.unknownOrder].sort());
    expect((await get(`/orders/${ids.paidTopup}`)).status).toBe(404);
  });

  it('deposit top-ups: the same bodies under the same ids, in every status', async () => {
    const common = {
      payMethod: 'QRIS',
      paymentUrl: null,
      qrContent: null,
      qrImage: null,
      virtualAccounts: null,
      paidAt: null,
      failureReason: null,
      anomaly: null,
      invoiceId: null,
      trxId: null,
    };
    const expectTopup = async (id: string, body: Record<string, unknown>) => {
      const res = await get(`/deposit/topups/${id}`);
      expect({ id, status: res.status }).toEqual({ id, status: 200 });
      expect(res.body).toEqual({ ...common, id, ...body });
    };
    await expectTopup(ids.paidTopup, {
      status: 'PAID',
      amount: { value: '25000.00', currency: 'IDR' },
      partnerReferenceNo: 'TU20261120080203A1B2C3D4E5',
      invoiceId: 'NETZ-INV-TOPUP-1',
      trxId: 'trx-topup-1',
      paymentUrl: 'https://pay.example/t1',
      qrContent: '00020101021226TOPUP',
      qrImage: 'data:image/png;base64,BBBB',
      expiresAt: '2026-11-20T02:02:03.000Z',
      paidAt: '2026-11-20T01:10:00.000Z',
      createdAt: '2026-11-20T01:02:03.000Z',
      updatedAt: '2026-11-20T01:10:01.000Z',
    });
    await expectTopup(ids.creatingTopup, {
      status: 'PENDING_CREATE',
      amount: { value: '10000.00', currency: 'IDR' },
      partnerReferenceNo: 'TU20261120090000A1B2C3D4E6',
      expiresAt: '2026-11-20T03:00:00.000Z',
      createdAt: '2026-11-20T02:00:00.000Z',
      updatedAt: '2026-11-20T02:00:00.000Z',
    });
    await expectTopup(ids.failedTopup, {
      status: 'FAILED',
      amount: { value: '10000.50', currency: 'IDR' },
      partnerReferenceNo: 'TU20261120090000A1B2C3D4E7',
      failureReason: 'Netzme refused the top-up: Invalid Amount',
      expiresAt: '2026-11-20T03:00:00.000Z',
      createdAt: '2026-11-20T02:00:00.000Z',
      updatedAt: '2026-11-20T02:00:01.000Z',
    });
    await expectTopup(ids.pendingTopup, {
      status: 'PENDING',
      amount: { value: '70000.00', currency: 'IDR' },
      payMethod: 'BANK_TRANSFER',
      partnerReferenceNo: 'TU20261120090000A1B2C3D4E8',
      invoiceId: 'NETZ-INV-TOPUP-4',
      trxId: 'trx-topup-4',
      virtualAccounts: [{ bankCode: 'MANDIRI', virtualAccountNo: '8860832146006' }],
      anomaly: 'the notification says 1500 sen was paid, the top-up is for 7000000 sen',
      expiresAt: '2026-11-21T02:00:00.000Z',
      createdAt: '2026-11-20T02:00:00.000Z',
      updatedAt: '2026-11-20T02:30:00.000Z',
    });
    await expectTopup(ids.expiredTopup, {
      status: 'EXPIRED',
      amount: { value: '12345.67', currency: 'IDR' },
      partnerReferenceNo: 'TU20261120090000A1B2C3D4E9',
      invoiceId: 'NETZ-INV-TOPUP-5',
      trxId: 'trx-topup-5',
      expiresAt: '2026-11-20T03:00:00.000Z',
      createdAt: '2026-11-20T02:00:00.000Z',
      updatedAt: '2026-11-20T03:00:05.000Z',
    });
    await expectTopup(ids.unknownTopup, {
      status: 'UNKNOWN',
      amount: { value: '30000.00', currency: 'IDR' },
      partnerReferenceNo: 'TU20261120090000A1B2C3D4F0',
      expiresAt: '2026-11-20T02:01:00.000Z',
      createdAt: '2026-11-20T02:00:00.000Z',
      updatedAt: '2026-11-20T02:00:06.000Z',
    });
  });

  it('a top-up made before the upgrade is replayed by its Idempotency-Key (key and fingerprint kept), a different body is refused', async () => {
    const post = (body: unknown) =>
      fetch(`${gw.url}/deposit/topups`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json', 'Idempotency-Key': SHARED_KEY },
        body: JSON.stringify(body),
      });
    const replay = await post({ amount: '25000.00' });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ id: ids.paidTopup, status: 'PAID' });
    const other = await post({ amount: '25001.00' });
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('withdrawals, deposit withdrawals, split fees and stored callbacks are still there', async () => {
    expect((await get(`/withdrawals/${ids.withdrawal}`)).body).toMatchObject({
      id: ids.withdrawal,
      status: 'SUCCEEDED',
      amount: { value: '60000.00', currency: 'IDR' },
      partnerReferenceNo: 'WD20261120000000000001',
      referenceNo: 'NZ-REF-1',
      beneficiary: { accountName: 'Toko Contoh', accountNumber: '1234567890', bankName: 'BCA', bankCode: '014' },
      resolvedAt: '2026-11-20T04:00:00.000Z',
    });
    expect((await get(`/deposit/withdrawals/${ids.depositWithdrawal}`)).body).toMatchObject({
      id: ids.depositWithdrawal,
      status: 'FAILED',
      amount: { value: '75000.00', currency: 'IDR' },
      failureReason: 'Insufficient deposit',
    });
    expect((await get(`/deposit/split-fees/${ids.splitFee}`)).body).toMatchObject({
      id: ids.splitFee,
      status: 'DEDUCTED',
      partnerReferenceNo: 'SALE-0001',
      amount: { value: '150000.00', currency: 'IDR' },
      feeAmount: { value: '1050.00', currency: 'IDR' },
      referenceNo: 'SF-REF-1',
    });
    expect((await get(`/callbacks/${ids.callback}`)).body).toMatchObject({
      id: ids.callback,
      kind: 'invoice-paid',
      status: 'applied',
      reference: 'NETZ-INV-OLD-1',
      owner: 'invoice',
      subjectId: ids.paidOrder,
      body: { originalReferenceNo: 'NETZ-INV-OLD-1', latestTransactionStatus: '00' },
    });
  });
});

/** Rows exactly as the gateway wrote them before the redesign (the schema of migrations up to CreateAuditLog). */
const OLD_ROWS = `
INSERT INTO orders (id, merchant_id, merchant_order_id, idempotency_key, request_fingerprint, partner_reference_no, status, amount_minor, currency, pay_method,
                    expires_in_seconds, fee_type, description, customer, netzme_invoice_id, netzme_trx_id, qr_image, qr_content, payment_url, virtual_accounts,
                    expires_at, paid_at, paid_amount_minor, fee_minor, net_amount_minor, payment_details, failure_code, failure_message, status_reason,
                    netzme_has_reference, needs_review, create_attempts, poll_attempts, next_poll_at, created_at, updated_at)
VALUES
  ('${ids.paidOrder}', '${MERCHANT}', 'OLD-PAID-1', '${SHARED_KEY}', 'fp-order-1', 'GW1700000000000aaaaaaaaaa', 'PAID', 1500000, 'IDR', 'QRIS',
   900, 'on_seller', 'Order #1', '{"fullname":"Budi Santoso","email":"budi@example.com"}', 'NETZ-INV-OLD-1', 'trx-old-1', 'data:image/png;base64,AAAA', '00020101021226', 'https://pay.example/1', NULL,
   '2026-11-20T01:17:03Z', '2026-11-20T01:05:00Z', 1500000, 10500, 1489500, '{"method":"QRIS","rrn":"123456789012","issuerName":"Bank Contoh","evidence":"cb-1"}', NULL, NULL, NULL,
   false, false, 1, 2, NULL, '2026-11-20T01:02:03.456Z', '2026-11-20T01:05:01Z'),
  ('${ids.pendingOrder}', '${MERCHANT}', 'OLD-PENDING-1', NULL, 'fp-order-2', 'GW1700000000000bbbbbbbbbb', 'PENDING', 9999999999, 'IDR', 'BANK_TRANSFER',
   3600, 'on_buyer', NULL, NULL, 'NETZ-INV-OLD-2', 'trx-old-2', NULL, NULL, NULL, '[{"bankCode":"BCA","virtualAccountNo":"8860000001"}]',
   '2026-11-20T03:00:00Z', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false, false, 1, 0, '2026-11-20T02:01:00Z', '2026-11-20T02:00:00Z', '2026-11-20T02:00:01Z'),
  ('${ids.failedOrder}', '${MERCHANT}', 'OLD-FAILED-1', NULL, 'fp-order-3', 'GW1700000000000cccccccccc', 'FAILED', 100, 'IDR', 'QRIS',
   900, 'on_seller', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'NETZME_4044713', 'Netzme refused the invoice (4044713 Invalid Amount)', NULL,
   false, false, 1, 0, NULL, '2026-11-20T02:00:00Z', '2026-11-20T02:00:01Z'),
  ('${ids.unknownOrder}', '${MERCHANT}', 'OLD-UNKNOWN-1', 'order-only-key', 'fp-order-4', 'GW1700000000000dddddddddd', 'UNKNOWN', 500000, 'IDR', 'QRIS',
   900, 'on_seller', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'Netzme did not answer',
   true, true, 3, 5, NULL, '2026-11-20T02:00:00Z', '2026-11-20T02:30:00Z');

INSERT INTO order_status_history (order_id, from_status, to_status, source, source_ref, reason, amount_minor, created_at) VALUES
  ('${ids.paidOrder}', NULL, 'CREATING', 'create', NULL, 'order written before calling Netzme', 1500000, '2026-11-20T01:02:03.456Z'),
  ('${ids.paidOrder}', 'CREATING', 'PENDING', 'create', NULL, 'Netzme created the invoice', NULL, '2026-11-20T01:02:04Z'),
  ('${ids.paidOrder}', 'PENDING', 'PAID', 'callback', 'cb-1', 'payment notification', 1500000, '2026-11-20T01:05:01Z');

INSERT INTO deposit_topups (id, status, merchant_id, amount_minor, currency, pay_method, partner_reference_no, idempotency_key, request_fingerprint, invoice_id, trx_id,
                            payment_url, qr_content, qr_image, virtual_accounts, expires_at, paid_at, fee_minor, failure_reason, anomaly, next_check_at, check_attempts,
                            created_at, updated_at)
VALUES
  ('${ids.paidTopup}', 'PAID', '${MERCHANT}', 2500000, 'IDR', 'QRIS', 'TU20261120080203A1B2C3D4E5', '${SHARED_KEY}', '${topupFingerprint}', 'NETZ-INV-TOPUP-1', 'trx-topup-1',
   'https://pay.example/t1', '00020101021226TOPUP', 'data:image/png;base64,BBBB', NULL, '2026-11-20T02:02:03Z', '2026-11-20T01:10:00Z', 17500, NULL, NULL, '2026-11-20T01:10:01Z', 3,
   '2026-11-20T01:02:03Z', '2026-11-20T01:10:01Z'),
  ('${ids.creatingTopup}', 'PENDING_CREATE', '${MERCHANT}', 1000000, 'IDR', 'QRIS', 'TU20261120090000A1B2C3D4E6', NULL, 'fp-t2', NULL, NULL,
   NULL, NULL, NULL, NULL, '2026-11-20T03:00:00Z', NULL, NULL, NULL, NULL, '2026-11-20T02:01:00Z', 0, '2026-11-20T02:00:00Z', '2026-11-20T02:00:00Z'),
  ('${ids.failedTopup}', 'FAILED', '${MERCHANT}', 1000050, 'IDR', 'QRIS', 'TU20261120090000A1B2C3D4E7', 'topup-key-3', 'fp-t3', NULL, NULL,
   NULL, NULL, NULL, NULL, '2026-11-20T03:00:00Z', NULL, NULL, 'Netzme refused the top-up: Invalid Amount', NULL, '2026-11-20T02:00:01Z', 0, '2026-11-20T02:00:00Z', '2026-11-20T02:00:01Z'),
  ('${ids.pendingTopup}', 'PENDING', '${MERCHANT}', 7000000, 'IDR', 'BANK_TRANSFER', 'TU20261120090000A1B2C3D4E8', NULL, 'fp-t4', 'NETZ-INV-TOPUP-4', 'trx-topup-4',
   NULL, NULL, NULL, '[{"bankCode":"MANDIRI","virtualAccountNo":"8860832146006"}]', '2026-11-21T02:00:00Z', NULL, NULL, NULL,
   'the notification says 1500 sen was paid, the top-up is for 7000000 sen', '2026-11-20T02:45:00Z', 4, '2026-11-20T02:00:00Z', '2026-11-20T02:30:00Z'),
  ('${ids.expiredTopup}', 'EXPIRED', '${MERCHANT}', 1234567, 'IDR', 'QRIS', 'TU20261120090000A1B2C3D4E9', NULL, 'fp-t5', 'NETZ-INV-TOPUP-5', 'trx-topup-5',
   NULL, NULL, NULL, NULL, '2026-11-20T03:00:00Z', NULL, NULL, NULL, NULL, '2026-11-20T03:00:05Z', 7, '2026-11-20T02:00:00Z', '2026-11-20T03:00:05Z'),
  ('${ids.unknownTopup}', 'UNKNOWN', '${MERCHANT}', 3000000, 'IDR', 'QRIS', 'TU20261120090000A1B2C3D4F0', NULL, 'fp-t6', NULL, NULL,
   NULL, NULL, NULL, NULL, '2026-11-20T02:01:00Z', NULL, NULL, NULL, NULL, '2026-11-20T02:00:36Z', 1, '2026-11-20T02:00:00Z', '2026-11-20T02:00:06Z');

INSERT INTO withdrawals (id, kind, merchant_id, status, amount_minor, currency, partner_reference_no, reference_no, idempotency_key, request_fingerprint,
                         beneficiary_account_name, beneficiary_account_number, beneficiary_bank_name, beneficiary_bank_code, submit_attempts, netzme_status,
                         failure_reason, submitted_at, resolved_at, created_at, updated_at)
VALUES
  ('${ids.withdrawal}', 'MERCHANT', '${MERCHANT}', 'SUCCEEDED', 6000000, 'IDR', 'WD20261120000000000001', 'NZ-REF-1', 'wd-key-1', 'fp-wd-1',
   'Toko Contoh', '1234567890', 'BCA', '014', 1, 'SUCCESS', NULL, '2026-11-20T03:59:00Z', '2026-11-20T04:00:00Z', '2026-11-20T03:58:00Z', '2026-11-20T04:00:00Z'),
  ('${ids.depositWithdrawal}', 'DEPOSIT', '${MERCHANT}', 'FAILED', 7500000, 'IDR', 'WD20261120000000000002', NULL, 'wd-key-2', 'fp-wd-2',
   'Toko Contoh', '1234567890', 'BCA', '014', 1, 'FAILED', 'Insufficient deposit', '2026-11-20T03:59:00Z', '2026-11-20T04:00:00Z', '2026-11-20T03:58:00Z', '2026-11-20T04:00:00Z');

INSERT INTO deposit_split_fees (id, status, merchant_id, partner_reference_no, idempotency_key, request_fingerprint, amount_minor, fee_minor, currency, sku, product_name,
                                pay_method, bank_name, reference_no, submit_attempts, created_at, updated_at)
VALUES ('${ids.splitFee}', 'DEDUCTED', '${MERCHANT}', 'SALE-0001', 'sf-key-1', 'fp-sf-1', 15000000, 105000, 'IDR', 'SKU-001', 'Kopi Susu 1L',
        'BANK_TRANSFER', 'BCA', 'SF-REF-1', 1, '2026-11-20T05:00:00Z', '2026-11-20T05:00:01Z');

INSERT INTO netzme_callbacks (id, kind, dedupe_key, status, reference, owner, subject_id, reason, raw_body, headers, attempts, received_at, applied_at, updated_at)
VALUES ('${ids.callback}', 'invoice-paid', 'invoice-paid:NETZ-INV-OLD-1', 'applied', 'NETZ-INV-OLD-1', 'invoice', '${ids.paidOrder}', NULL,
        '{"originalReferenceNo":"NETZ-INV-OLD-1","latestTransactionStatus":"00","amount":{"value":"15000.00","currency":"IDR"}}',
        '{"content-type":"application/json"}', 1, '2026-11-20T01:05:00Z', '2026-11-20T01:05:01Z', '2026-11-20T01:05:01Z');
`;
