import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../apps/gateway/src/database/database.options';
import { runMigrationsLocked } from '../../apps/gateway/src/database/migrator';
import { OrderPaymentsService } from '../../apps/gateway/src/invoice/order-payments.service';
import { NewOrder, InvoiceRepository } from '../../apps/gateway/src/invoice/invoice.repository';
import type { InvoiceStatus } from '../../apps/gateway/src/invoice/invoice-state';
import { createTestDatabase, TestDatabase } from '../support/database';

/**
 * The one state-transition function against real Postgres: the locked statement and the
 * compare-and-set fast path the create call uses must change an order at most once and record the
 * exact from-status, however the writers race.
 */
describe('InvoiceRepository.transition (real Postgres)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let state: InvoiceRepository;

  const newOrder = async (status: InvoiceStatus, amountMinor = 1_500_000): Promise<string> => {
    const id = randomUUID();
    await ds.query(
      `INSERT INTO orders (id, merchant_id, merchant_order_id, request_fingerprint, partner_reference_no, status, amount_minor, pay_method, expires_in_seconds)
       VALUES ($1, 'M1', $2, 'fp', $3, $4, $5, 'QRIS', 900)`,
      [id, `MO-${id}`, `PR-${id}`, status, amountMinor],
    );
    return id;
  };
  const statusOf = async (id: string) => ((await ds.query('SELECT status FROM orders WHERE id = $1', [id])) as Array<{ status: string }>)[0].status;
  const history = async (id: string) =>
    (
      (await ds.query('SELECT from_status, to_status, source FROM order_status_history WHERE order_id = $1 ORDER BY id', [id])) as Array<
        Record<string, string | null>
      >
    ).map((h) => `${h.from_status ?? '-'}>${h.to_status}:${h.source}`);
  /** The caller's copy of the order as it read it, in `status` (possibly no longer the row's). */
  const copyAt = async (id: string, status: InvoiceStatus) => Object.assign((await state.findById(id))!, { status });
  const toPending = async (id: string, readAs?: InvoiceStatus) =>
    state.transition(
      id,
      'PENDING',
      { source: 'create', reason: 'created', patch: { netzmeTrxId: `TRX-${id}`, paymentUrl: 'https://pay.example/x' } },
      readAs ? { copy: await copyAt(id, readAs) } : {},
    );

  beforeAll(async () => {
    db = await createTestDatabase('os');
    ds = await new DataSource(buildDataSourceOptions(db.url, 30)).initialize();
    await runMigrationsLocked(ds);
    state = new InvoiceRepository(ds);
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  describe("compare-and-set on the status of the caller's copy", () => {
    it('moves the order, returns the full row and writes one history row from that status', async () => {
      const id = await newOrder('CREATING');
      const result = await toPending(id, 'CREATING');
      expect(result).toMatchObject({ changed: true, orderId: id, previousStatus: 'CREATING' });
      expect(result.order).toMatchObject({ id, status: 'PENDING', netzmeTrxId: `TRX-${id}`, paymentUrl: 'https://pay.example/x', amountMinor: 1_500_000n });
      expect(await history(id)).toEqual(['CREATING>PENDING:create']);
    });

    it('falls back to the locked statement when the order moved on since it was read, and records the real from-status', async () => {
      const id = await newOrder('UNKNOWN');
      const result = await toPending(id, 'CREATING');
      expect(result).toMatchObject({ changed: true, previousStatus: 'UNKNOWN' });
      expect(await history(id)).toEqual(['UNKNOWN>PENDING:create']);
    });

    it('changes nothing when the order is already past the target (no history row)', async () => {
      for (const status of ['PENDING', 'PAID', 'EXPIRED'] as const) {
        const id = await newOrder(status);
        expect(await toPending(id, 'CREATING')).toEqual({ changed: false, order: null });
        expect(await statusOf(id)).toBe(status);
        expect(await history(id)).toEqual([]);
      }
    });

    it('ignores an expected status the target does not allow, and decides by the locked statement', async () => {
      const id = await newOrder('PAID');
      // PAID -> PENDING is never allowed: the hint must not let it through.
      expect((await toPending(id, 'PAID')).changed).toBe(false);
      expect(await statusOf(id)).toBe('PAID');
    });

    it('the one paid-amount rule (OrderPaymentsService.applyPayment -> checkPaidAmount): a wrong amount does not move the order', async () => {
      const payments = new OrderPaymentsService(state);
      const paid = (minor: bigint) => ({ paid: { minor, currency: 'IDR' }, fee: null, net: null, paidAt: null, details: {} });
      const id = await newOrder('PENDING', 5_000_000);
      const wrong = await payments.applyPayment((await state.findById(id))!, paid(4_000_000n), 'callback', 'cb-1');
      expect(wrong).toMatchObject({ outcome: 'anomaly', reason: 'paid 4000000 sen, the order is for 5000000 sen' });
      expect(await statusOf(id)).toBe('PENDING');
      expect(await history(id)).toEqual([]);
      const right = await payments.applyPayment((await state.findById(id))!, paid(5_000_000n), 'callback', 'cb-2');
      expect(right).toMatchObject({ outcome: 'applied', orderId: id });
      expect(await history(id)).toEqual(['PENDING>PAID:callback']);
    });

    it('racing writers (fast path, locked path, a poller marking it UNKNOWN) change the order once per real move', async () => {
      for (let round = 0; round < 10; round++) {
        const id = await newOrder('CREATING');
        const read = await copyAt(id, 'CREATING');
        const results = await Promise.all([
          toPending(id, 'CREATING'),
          toPending(id, 'CREATING'),
          toPending(id),
          state.transition(id, 'UNKNOWN', { source: 'poll', reason: 'no answer' }, { copy: read }),
          toPending(id, 'CREATING'),
        ]);
        const rows = await history(id);
        // Every reported change has its history row, and the from-statuses chain up exactly.
        expect(rows).toHaveLength(results.filter((r) => r.changed).length);
        let current = 'CREATING';
        for (const row of rows) {
          expect(row.startsWith(`${current}>`)).toBe(true);
          current = row.split('>')[1].split(':')[0];
        }
        expect(await statusOf(id)).toBe(current);
        expect(rows.filter((r) => r.includes('>PENDING')).length).toBe(1);
      }
    });
  });

  describe('the create call: insertCreating, then a change on the copy it returned', () => {
    const newCreating = (overrides: Partial<NewOrder> = {}) => {
      const id = randomUUID();
      return state.insertCreating({
        id,
        merchantId: 'M1',
        merchantOrderId: `MO-${id}`,
        idempotencyKey: `key-${id}`,
        requestFingerprint: 'fp',
        partnerReferenceNo: `PR-${id}`,
        amountMinor: 1_500_000n,
        currency: 'IDR',
        payMethod: 'BANK_TRANSFER',
        expiresInSeconds: 900,
        feeType: 'on_seller',
        description: 'Kopi susu',
        customer: { fullname: 'Budi Santoso', email: 'budi@example.com' },
        leaseMs: 60_000,
        ...overrides,
      });
    };
    const vaPatch = (id: string) => ({
      netzmeTrxId: `TRX-${id}`,
      netzmeInvoiceId: `INV-${id}`,
      paymentUrl: 'https://pay.example/x',
      virtualAccounts: [{ bankCode: 'BCA', vaNumber: '1234567890', note: undefined }] as never,
      expiresAt: new Date('2030-01-01T00:15:00.123Z'),
      nextPollAt: new Date('2030-01-01T00:01:00.000Z'),
      leaseUntil: null,
      netzmeHasReference: true,
    });

    it('returns exactly the row Postgres holds (defaults included), and null for a taken merchantOrderId', async () => {
      const order = await newCreating();
      expect(order).not.toBeNull();
      // Built from what was written plus what Postgres computed: must equal a fresh read, column for column.
      expect(order).toEqual(await state.findById(order!.id));
      expect(await history(order!.id)).toEqual(['->CREATING:create']);
      expect(await newCreating({ merchantOrderId: order!.merchantOrderId })).toBeNull();
    });

    it('moves the copy with only what Postgres sets coming back, and the result equals a fresh read', async () => {
      const order = (await newCreating())!;
      const result = await state.transition(order.id, 'PENDING', { source: 'create', reason: 'created', patch: vaPatch(order.id) }, { copy: order });
      expect(result).toMatchObject({ changed: true, previousStatus: 'CREATING' });
      const stored = await state.findById(order.id);
      expect(result.order).toEqual(stored);
      expect(stored).toMatchObject({
        status: 'PENDING',
        netzmeTrxId: `TRX-${order.id}`,
        virtualAccounts: [{ bankCode: 'BCA', vaNumber: '1234567890' }],
        createAttempts: 1,
      });
      expect(result.order!.updatedAt.getTime()).toBeGreaterThanOrEqual(order.updatedAt.getTime());
      expect(await history(order.id)).toEqual(['->CREATING:create', 'CREATING>PENDING:create']);
      // The result carries its own row version: a next change on it takes the same path and still matches.
      const paid = await state.transition(
        order.id,
        'PAID',
        { source: 'callback', patch: { paidAt: new Date('2030-01-01T00:05:00.000Z'), paidAmountMinor: 1_500_000n } },
        { copy: result.order! },
      );
      expect(paid.order).toEqual(await state.findById(order.id));
      expect(paid.order).toMatchObject({ status: 'PAID', nextPollAt: null, leaseUntil: null });
    });

    it('a copy that is out of date (another writer touched the row, status unchanged) gets the whole row from the locked statement', async () => {
      const order = (await newCreating())!;
      // What a poller's claim and re-send do: new lease, one more attempt; the status stays CREATING.
      await ds.query("UPDATE orders SET lease_until = now() + interval '5 minutes', create_attempts = create_attempts + 1 WHERE id = $1", [order.id]);
      const result = await state.transition(
        order.id,
        'PENDING',
        { source: 'create', reason: 'created', patch: { netzmeTrxId: `TRX-${order.id}` } },
        { copy: order },
      );
      expect(result).toMatchObject({ changed: true, previousStatus: 'CREATING' });
      expect(result.order).toEqual(await state.findById(order.id));
      expect(result.order!.createAttempts).toBe(2);
      expect(await history(order.id)).toEqual(['->CREATING:create', 'CREATING>PENDING:create']);
    });

    it('a copy whose order moved on changes nothing it should not', async () => {
      const order = (await newCreating())!;
      await state.transition(order.id, 'UNKNOWN', { source: 'poll', reason: 'no answer' });
      const result = await state.transition(order.id, 'FAILED', { source: 'create', reason: 'refused' }, { copy: order });
      // The locked statement decides from the real status (UNKNOWN -> FAILED is allowed).
      expect(result).toMatchObject({ changed: true, previousStatus: 'UNKNOWN' });
      expect(result.order).toEqual(await state.findById(order.id));
      expect(await history(order.id)).toEqual(['->CREATING:create', 'CREATING>UNKNOWN:poll', 'UNKNOWN>FAILED:create']);
    });
  });

  it('the locked statement by Netzme reference still finds and moves the order', async () => {
    const id = await newOrder('PENDING');
    await ds.query('UPDATE orders SET netzme_trx_id = $2 WHERE id = $1', [id, `TRX-REF-${id}`]);
    const result = await state.transition({ refs: { trxId: `TRX-REF-${id}` } }, 'EXPIRED', { source: 'poll', reason: 'expired' });
    expect(result).toMatchObject({ changed: true, orderId: id, previousStatus: 'PENDING' });
    expect(await history(id)).toEqual(['PENDING>EXPIRED:poll']);
  });
});
