import { randomUUID } from 'node:crypto';
import { OrderSyncService } from '../../apps/gateway/src/invoice/order-sync.service';
import { JobRegistry } from '../../apps/gateway/src/jobs/job-registry';
import { CHECKOUT_KEY, orderId, Stack, startStack } from './stack';

/** The order-status-poll job's claim and refresh logic, driven by hand against the sandbox. */
describe('Orders - order-status-poll (claim, lease, back-off, recovery)', () => {
  let s: Stack;
  let sync: OrderSyncService;
  const ctx = (batchSize: number) => ({ limit: <T>(fn: () => Promise<T>) => fn(), batchSize });

  beforeAll(async () => {
    s = await startStack({ env: { ORDER_POLL_SCHEDULE_MS: '5000,10000,30000', ORDER_EXPIRY_GRACE_MS: '30000' } });
    sync = s.gw.app.get(OrderSyncService);
    await s.control('PUT', '/sandbox/callbacks', { baseUrl: null });
  });

  afterAll(async () => {
    await s?.close();
  });

  afterEach(async () => {
    await s.control('DELETE', '/sandbox/faults');
    // Keep other tests' leftovers out of the next test's claims.
    await s.sql.query(`UPDATE orders SET next_poll_at = now() + interval '1 day' WHERE next_poll_at IS NOT NULL`);
  });

  const createPending = async (n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      // BANK_TRANSFER: no QR to draw, so many orders are quick to make.
      const res = await s.api('POST', '/orders', {
        key: CHECKOUT_KEY,
        body: { merchantOrderId: orderId('POLL'), amount: '1000.00', payMethod: 'BANK_TRANSFER' },
      });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    return ids;
  };
  const statusQueries = async (): Promise<Record<string, number>> => (await s.control('GET', '/sandbox/state')).body.statusQueries.invoices;
  const row = async (id: string) => (await s.sql.query('SELECT * FROM orders WHERE id = $1', [id])).rows[0];

  it('is registered with the job registry', () => {
    const job = s.gw.app.get(JobRegistry).get('order-status-poll');
    expect(job).toBeDefined();
    expect(job!.defaultIntervalMs).toBeGreaterThan(0);
  });

  it('two replicas ticking at once claim disjoint, bounded batches: every due order is asked about exactly once', async () => {
    const ids = await createPending(20);
    await s.sql.query('UPDATE orders SET next_poll_at = now() WHERE id = ANY($1)', [ids]);
    const before = await statusQueries();
    const [a, b] = await Promise.all([sync.pollDue(ctx(15)), sync.pollDue(ctx(15))]);
    expect(a.processed).toBeLessThanOrEqual(15);
    expect(b.processed).toBeLessThanOrEqual(15);
    expect(a.processed + b.processed).toBe(20);
    const after = await statusQueries();
    const rows = (await s.sql.query('SELECT netzme_trx_id, poll_attempts, status, lease_until FROM orders WHERE id = ANY($1)', [ids])).rows;
    for (const r of rows) {
      expect(r.poll_attempts).toBe(1);
      expect(r.status).toBe('PENDING');
      expect(r.lease_until).toBeNull();
      expect((after[r.netzme_trx_id] ?? 0) - (before[r.netzme_trx_id] ?? 0)).toBe(1);
    }
    // Nothing is due any more.
    expect((await sync.pollDue(ctx(100))).processed).toBe(0);
  });

  it('a claimed order is leased: no second claim until the lease ends', async () => {
    const [id] = await createPending(1);
    await s.sql.query('UPDATE orders SET next_poll_at = now() WHERE id = $1', [id]);
    const first = await sync.claimDue(10);
    expect(first.map((o) => o.id)).toContain(id);
    expect((await sync.claimDue(10)).map((o) => o.id)).not.toContain(id);
    // The lease ran out (the worker died): the order is due again.
    await s.sql.query(`UPDATE orders SET next_poll_at = now() - interval '1 second', lease_until = now() - interval '1 second' WHERE id = $1`, [id]);
    expect((await sync.claimDue(10)).map((o) => o.id)).toContain(id);
  });

  it('backs off (soon after creation, then less often) but never past the final check after expiry', async () => {
    const [id] = await createPending(1);
    const created = await row(id);
    // Right after creation: the first step of the schedule.
    expect(created.next_poll_at.getTime() - Date.now()).toBeGreaterThan(2000);
    expect(created.next_poll_at.getTime() - Date.now()).toBeLessThanOrEqual(5000);
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      await s.sql.query('UPDATE orders SET next_poll_at = now() WHERE id = $1', [id]);
      await sync.pollDue(ctx(10));
      delays.push((await row(id)).next_poll_at.getTime() - Date.now());
    }
    expect(delays[0]).toBeGreaterThan(6000); // 10 s step
    expect(delays[0]).toBeLessThanOrEqual(10_000);
    expect(delays[1]).toBeGreaterThan(20_000); // 30 s step, repeating
    expect(delays[2]).toBeGreaterThan(20_000);
    // Expired 20 s ago with a 30 s grace: the final check is due in 10 s, sooner than the 30 s step.
    await s.sql.query(`UPDATE orders SET expires_at = now() - interval '20 seconds', next_poll_at = now() WHERE id = $1`, [id]);
    await sync.pollDue(ctx(10));
    const capped = (await row(id)).next_poll_at.getTime() - Date.now();
    expect(capped).toBeLessThanOrEqual(10_000);
    expect(capped).toBeGreaterThan(5_000);
    expect((await row(id)).status).toBe('PENDING');
  });

  it('a Netzme error during a poll leaves the order as it was and looks again later', async () => {
    const [id] = await createPending(1);
    await s.control('POST', '/sandbox/faults', { target: '/api-invoice/v1.0/transaction-history-detail', mode: 'error', count: 10 });
    await s.sql.query('UPDATE orders SET next_poll_at = now() WHERE id = $1', [id]);
    const tick = await sync.pollDue(ctx(10));
    expect(tick.processed).toBe(1);
    const r = await row(id);
    expect(r.status).toBe('PENDING');
    expect(r.lease_until).toBeNull();
    expect(r.next_poll_at.getTime()).toBeGreaterThan(Date.now());
  });

  it('an order left CREATING by a crash before the Netzme call is created by the poller, with its own reference', async () => {
    const id = randomUUID();
    const ref = `GWCRASH${Date.now()}`;
    // What a crash right after the insert leaves behind: CREATING, lease already over.
    await s.sql.query(
      `INSERT INTO orders (id, merchant_id, merchant_order_id, request_fingerprint, partner_reference_no, status, amount_minor, pay_method, expires_in_seconds, create_attempts, lease_until, next_poll_at)
       VALUES ($1, $2, $3, 'f', $4, 'CREATING', 500000, 'QRIS', 900, 1, now() - interval '1 second', now() - interval '1 second')`,
      [id, s.sandbox.credentials.merchantId, orderId('CRASH'), ref],
    );
    await sync.pollDue(ctx(10));
    const order = (await s.api('GET', `/orders/${id}`)).body;
    expect(order.status).toBe('PENDING');
    expect(order.qrImage).toMatch(/^data:image\/png/);
    const invoices = (await s.control('GET', '/sandbox/state')).body.invoices.filter((i: { partnerReferenceNo: string }) => i.partnerReferenceNo === ref);
    expect(invoices).toHaveLength(1);
  });

  it('an UNKNOWN order whose time ran out unseen (no ids ever received) expires without a re-send: nobody holds its payment instructions', async () => {
    const id = randomUUID();
    const ref = `GWUNSEEN${Date.now()}`;
    // A create call whose answer was lost a day ago (900 s validity): past its end and the expiry grace.
    await s.sql.query(
      `INSERT INTO orders (id, merchant_id, merchant_order_id, request_fingerprint, partner_reference_no, status, amount_minor, pay_method, expires_in_seconds, create_attempts, next_poll_at, created_at)
       VALUES ($1, $2, $3, 'f', $4, 'UNKNOWN', 500000, 'QRIS', 900, 1, now() - interval '1 second', now() - interval '1 day')`,
      [id, s.sandbox.credentials.merchantId, orderId('UNSEEN'), ref],
    );
    await sync.pollDue(ctx(10));
    expect((await s.api('GET', `/orders/${id}`)).body).toMatchObject({ status: 'EXPIRED', message: expect.stringContaining('expired unseen') });
    const invoices = (await s.control('GET', '/sandbox/state')).body.invoices.filter((i: { partnerReferenceNo: string }) => i.partnerReferenceNo === ref);
    expect(invoices).toHaveLength(0);
    expect((await row(id)).create_attempts).toBe(1);
  });

  it('an order stuck CREATING with a live lease is left alone (its create call may still be running)', async () => {
    const id = randomUUID();
    await s.sql.query(
      `INSERT INTO orders (id, merchant_id, merchant_order_id, request_fingerprint, partner_reference_no, status, amount_minor, pay_method, expires_in_seconds, create_attempts, lease_until, next_poll_at)
       VALUES ($1, $2, $3, 'f', $4, 'CREATING', 500000, 'QRIS', 900, 1, now() + interval '1 minute', now() - interval '1 second')`,
      [id, s.sandbox.credentials.merchantId, orderId('LIVE'), `GWLIVE${Date.now()}`],
    );
    expect((await sync.claimDue(10)).map((o) => o.id)).not.toContain(id);
    expect((await row(id)).status).toBe('CREATING');
  });

  it('Netzme holds our reference but shows no ids: looked up until the window ends, then left for a person', async () => {
    const id = randomUUID();
    const ref = `GWGHOST${Date.now()}`;
    await s.sql.query(
      `INSERT INTO orders (id, merchant_id, merchant_order_id, request_fingerprint, partner_reference_no, status, amount_minor, pay_method, expires_in_seconds, create_attempts, netzme_has_reference, next_poll_at, created_at)
       VALUES ($1, $2, $3, 'f', $4, 'UNKNOWN', 500000, 'QRIS', 900, 2, true, now() - interval '1 second', now() - interval '1 minute')`,
      [id, s.sandbox.credentials.merchantId, orderId('GHOST'), ref],
    );
    // Within the window: keep looking (never re-send: Netzme already said it has this reference).
    await sync.pollDue(ctx(10));
    let r = await row(id);
    expect(r).toMatchObject({ status: 'UNKNOWN', needs_review: false, create_attempts: 2 });
    expect(r.next_poll_at).not.toBeNull();
    // Past the window: a person must look.
    await s.sql.query(`UPDATE orders SET created_at = now() - interval '2 days', next_poll_at = now() WHERE id = $1`, [id]);
    await sync.pollDue(ctx(10));
    r = await row(id);
    expect(r).toMatchObject({ status: 'UNKNOWN', needs_review: true, next_poll_at: null });
    const review = await s.api('GET', '/orders?needsReview=true');
    expect(review.body.items.map((o: { id: string }) => o.id)).toContain(id);
    expect(review.body.items.find((o: { id: string }) => o.id === id).message).toMatch(/a person must check/);
    // Nothing was created at Netzme for it.
    const invoices = (await s.control('GET', '/sandbox/state')).body.invoices.filter((i: { partnerReferenceNo: string }) => i.partnerReferenceNo === ref);
    expect(invoices).toHaveLength(0);
  });

  it('tick cost follows due rows, not table size: the claim uses the partial next_poll_at index', async () => {
    await s.sql.query(
      `INSERT INTO orders (id, merchant_id, merchant_order_id, request_fingerprint, partner_reference_no, status, amount_minor, pay_method, expires_in_seconds)
       SELECT gen_random_uuid(), 'M_BULK', 'BULK-' || g, 'f', 'GWBULK' || g, 'PAID', 100000, 'QRIS', 900 FROM generate_series(1, 50000) g`,
    );
    await s.sql.query('ANALYZE orders');
    const plan = await s.sql.query(
      `EXPLAIN (FORMAT JSON) SELECT id FROM orders
       WHERE status IN ('CREATING', 'UNKNOWN', 'PENDING') AND next_poll_at IS NOT NULL AND next_poll_at <= now()
         AND (lease_until IS NULL OR lease_until < now())
       ORDER BY next_poll_at LIMIT 50 FOR UPDATE SKIP LOCKED`,
    );
    expect(JSON.stringify(plan.rows[0])).toContain('IDX_orders_next_poll_at');
    // What the claim actually reads, in pages: a handful through the index, against the table's
    // thousand-odd pages a scan would touch. Counted by Postgres, so a busy machine cannot skew it.
    const analyzed = await s.sql.query(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT id FROM orders
       WHERE status IN ('CREATING', 'UNKNOWN', 'PENDING') AND next_poll_at IS NOT NULL AND next_poll_at <= now()
         AND (lease_until IS NULL OR lease_until < now())
       ORDER BY next_poll_at LIMIT 50 FOR UPDATE SKIP LOCKED`,
    );
    const top = (analyzed.rows[0]['QUERY PLAN'] as Array<{ Plan: Record<string, number> }>)[0].Plan;
    const [{ pages }] = (await s.sql.query(`SELECT relpages AS pages FROM pg_class WHERE relname = 'orders'`)).rows as Array<{ pages: number }>;
    expect(pages).toBeGreaterThan(500);
    expect(top['Shared Hit Blocks'] + top['Shared Read Blocks']).toBeLessThan(20);
    const tick = await sync.pollDue(ctx(50));
    expect(tick.processed).toBe(0);
  });
});
