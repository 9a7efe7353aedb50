import { OrderSyncService } from '../../apps/gateway/src/invoice/order-sync.service';
import { CHECKOUT_KEY, orderId, sleep, Stack, startStack } from './stack';

/** End to end over HTTP: gateway + Netzme sandbox + PostgreSQL. Callbacks are off here (poller only). */
describe('Orders - POST /orders, GET /orders/:id, the poller (gateway + sandbox)', () => {
  let s: Stack;
  let sync: OrderSyncService;

  beforeAll(async () => {
    s = await startStack();
    sync = s.gw.app.get(OrderSyncService);
    // This suite proves the poller alone; callbacks have their own suite.
    await s.control('PUT', '/sandbox/callbacks', { baseUrl: null });
  });

  afterAll(async () => {
    await s?.close();
  });

  afterEach(async () => {
    await s.control('DELETE', '/sandbox/faults');
  });

  const create = (body: Record<string, unknown>, headers: Record<string, string> = {}) => s.api('POST', '/orders', { key: CHECKOUT_KEY, body, headers });
  const invoicesFor = async (partnerReferenceNo: string) => {
    const state = (await s.control('GET', '/sandbox/state')).body;
    return (state.invoices as Array<{ partnerReferenceNo: string; status: string; duplicatesRefused: number; trxId: string }>).filter(
      (i) => i.partnerReferenceNo === partnerReferenceNo,
    );
  };
  /** Make the order due now and run one poller tick. */
  const pollNow = async (id: string) => {
    await s.sql.query('UPDATE orders SET next_poll_at = now(), lease_until = NULL WHERE id = $1', [id]);
    return sync.pollDue({ limit: (fn) => fn(), batchSize: 100 });
  };
  const get = async (id: string) => (await s.api('GET', `/orders/${id}`, { key: CHECKOUT_KEY })).body;

  it('creates a QRIS order: 201 with the QR image, Netzme ids and expiry; one invoice at Netzme', async () => {
    const merchantOrderId = orderId('QR');
    const res = await create({
      merchantOrderId,
      amount: '15000.00',
      expiresInSeconds: 600,
      description: 'Kopi susu',
      customer: { fullname: 'Budi Santoso', email: 'budi@example.com', phoneNumber: '+6281234567890' },
    });
    expect(res.status).toBe(201);
    // Time spent waiting for Netzme and in the database, so operators can tell the gateway's own
    // latency from Netzme's, and the database's share of it.
    const timing = /^netzme;dur=(\d+(?:\.\d)?), db;dur=(\d+(?:\.\d)?)$/.exec(res.headers.get('server-timing') ?? '');
    expect(timing).not.toBeNull();
    expect(Number(timing![1])).toBeGreaterThan(0);
    expect(Number(timing![2])).toBeGreaterThan(0);
    expect(res.body).toMatchObject({ merchantOrderId, status: 'PENDING', amount: { value: '15000.00', currency: 'IDR' }, payMethod: 'QRIS', paidAt: null });
    expect(res.body.qrImage).toMatch(/^data:image\/png;base64,/);
    expect(res.body.qrContent).toMatch(/^000201/);
    expect(res.body.paymentUrl).toMatch(/^http/);
    expect(res.body.netzme.trxId).toBeTruthy();
    expect(res.body.netzme.invoiceId).toMatch(/^NETZ-INV-/);
    const expires = Date.parse(res.body.expiresAt) - Date.parse(res.body.createdAt);
    expect(expires).toBeGreaterThan(590_000);
    expect(expires).toBeLessThan(610_000);
    const invoices = await invoicesFor(res.body.partnerReferenceNo);
    expect(invoices).toHaveLength(1);
    expect(invoices[0].trxId).toBe(res.body.netzme.trxId);
    // The answer is built from what the gateway wrote (not re-read): it must be what a read returns.
    expect(await get(res.body.id)).toEqual(res.body);
  });

  it('a repeat with the same body answers 200 with the same order and no second Netzme call; another body is 409', async () => {
    const merchantOrderId = orderId('REP');
    const body = { merchantOrderId, amount: '20000' };
    const first = await create(body);
    expect(first.status).toBe(201);
    // "20000" and "20000.00" are the same money: still the same request.
    const again = await create({ merchantOrderId, amount: '20000.00', payMethod: 'QRIS' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.qrImage).toBe(first.body.qrImage);
    const invoices = await invoicesFor(first.body.partnerReferenceNo);
    expect(invoices).toHaveLength(1);
    expect(invoices[0].duplicatesRefused).toBe(0);

    const other = await create({ merchantOrderId, amount: '20001.00' });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ statusCode: 409, code: 'ORDER_CONFLICT' });
    expect(other.body.message).toContain(merchantOrderId);
  });

  it('Idempotency-Key: same key and body -> same order; same key, other body -> 409', async () => {
    const key = `key-${orderId()}`;
    const body = { merchantOrderId: orderId('IK'), amount: '5000.00' };
    const first = await create(body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const again = await create(body, { 'idempotency-key': key });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const other = await create({ merchantOrderId: orderId('IK'), amount: '5000.00' }, { 'idempotency-key': key });
    expect(other.status).toBe(409);
  });

  it('ten identical requests racing create one order and one Netzme invoice', async () => {
    const body = { merchantOrderId: orderId('RACE'), amount: '12500.00' };
    const answers = await Promise.all(Array.from({ length: 10 }, () => create(body)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((st) => st === 201)).toHaveLength(1);
    expect(statuses.filter((st) => st === 200)).toHaveLength(9);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers.every((a) => a.body.status === 'PENDING' && a.body.qrImage)).toBe(true);
    const invoices = await invoicesFor(answers[0].body.partnerReferenceNo);
    expect(invoices).toHaveLength(1);
    const rows = await s.sql.query('SELECT count(*)::int AS n FROM orders WHERE merchant_order_id = $1', [body.merchantOrderId]);
    expect(rows.rows[0].n).toBe(1);
  });

  it('paying it at Netzme makes it PAID through the poller, with fee, net amount, RRN and issuer', async () => {
    const res = await create({ merchantOrderId: orderId('PAY'), amount: '100000.00' });
    await s.control('POST', `/sandbox/invoices/${res.body.netzme.trxId}/pay`, { issuerName: 'OVO' });
    const tick = await pollNow(res.body.id);
    expect(tick.errors).toBe(0);
    const order = await get(res.body.id);
    expect(order.status).toBe('PAID');
    expect(order.paidAt).toBeTruthy();
    expect(order.payment.paidAmount).toEqual({ value: '100000.00', currency: 'IDR' });
    expect(order.payment.fee.value).not.toBe('0.00');
    expect(BigInt(order.payment.netAmount.value.replace('.', '')) + BigInt(order.payment.fee.value.replace('.', ''))).toBe(10000000n);
    const history = (await s.api('GET', `/orders/${res.body.id}/history`)).body;
    expect(history.map((h: { to: string; source: string }) => `${h.to}:${h.source}`)).toEqual(['CREATING:create', 'PENDING:create', 'PAID:poll']);
    // Terminal: more polls change nothing (and the order is no longer due at all).
    await pollNow(res.body.id);
    expect((await s.api('GET', `/orders/${res.body.id}/history`)).body).toHaveLength(3);
  });

  it('expiring it at Netzme makes it EXPIRED; a late payment attempt is refused by Netzme and the order stays EXPIRED', async () => {
    const res = await create({ merchantOrderId: orderId('EXP'), amount: '7000.00' });
    await s.control('POST', `/sandbox/invoices/${res.body.netzme.trxId}/expire`);
    await pollNow(res.body.id);
    expect((await get(res.body.id)).status).toBe('EXPIRED');
    const late = await s.control('POST', `/sandbox/invoices/${res.body.netzme.trxId}/pay`);
    expect(late.status).toBe(409);
    expect((await get(res.body.id)).status).toBe('EXPIRED');
  });

  it('past its expiry (+ grace) with Netzme still unpaid, the final check marks it EXPIRED', async () => {
    const res = await create({ merchantOrderId: orderId('FIN'), amount: '7000.00' });
    // Not yet past expiry: the poll leaves it PENDING and schedules the next look.
    await pollNow(res.body.id);
    expect((await get(res.body.id)).status).toBe('PENDING');
    await s.sql.query("UPDATE orders SET expires_at = now() - interval '10 minutes' WHERE id = $1", [res.body.id]);
    await pollNow(res.body.id);
    const order = await get(res.body.id);
    expect(order.status).toBe('EXPIRED');
    expect(order.message).toMatch(/still shows it unpaid/);
  });

  it('a Netzme timeout on create answers 202 UNKNOWN, never makes a second invoice, and the poller resolves it', async () => {
    await s.control('POST', '/sandbox/faults', { target: '/api/v1.0/invoice/create-transaction', mode: 'timeout', count: 1, delayMs: 3000 });
    const res = await create({ merchantOrderId: orderId('TMO'), amount: '30000.00' });
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('UNKNOWN');
    expect(res.body.qrImage).toBeNull();
    expect(res.body.message).toMatch(/never create a second one/);
    // Netzme processed the request before the socket died.
    expect(await invoicesFor(res.body.partnerReferenceNo)).toHaveLength(1);

    await pollNow(res.body.id);
    const order = await get(res.body.id);
    expect(order.status).toBe('PENDING');
    const invoices = await invoicesFor(res.body.partnerReferenceNo);
    expect(invoices).toHaveLength(1);
    // The re-send was refused as a duplicate, and the ids were found by our reference instead.
    expect(invoices[0].duplicatesRefused).toBe(1);
    expect(order.netzme.trxId).toBe(invoices[0].trxId);
    expect(order.paymentUrl).toBeTruthy();

    // And it still ends like any order: paid at Netzme -> PAID.
    await s.control('POST', `/sandbox/invoices/${order.netzme.trxId}/pay`);
    await pollNow(order.id);
    expect((await get(order.id)).status).toBe('PAID');
  });

  it('a 5xx that Netzme did not process leaves it UNKNOWN; the checkout repeating the request retries with the same reference and gets the QR', async () => {
    await s.control('POST', '/sandbox/faults', { target: '/api/v1.0/invoice/create-transaction', mode: 'error', count: 1 });
    const body = { merchantOrderId: orderId('E5'), amount: '45000.00' };
    const first = await create(body);
    expect(first.status).toBe(202);
    expect(first.body.status).toBe('UNKNOWN');
    expect(await invoicesFor(first.body.partnerReferenceNo)).toHaveLength(0);

    const retry = await create(body);
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ id: first.body.id, status: 'PENDING', partnerReferenceNo: first.body.partnerReferenceNo });
    expect(retry.body.qrImage).toMatch(/^data:image\/png/);
    const invoices = await invoicesFor(first.body.partnerReferenceNo);
    expect(invoices).toHaveLength(1);
    expect(invoices[0].duplicatesRefused).toBe(0);
    const attempts = await s.sql.query('SELECT create_attempts FROM orders WHERE id = $1', [first.body.id]);
    expect(attempts.rows[0].create_attempts).toBe(2);
  });

  it('twins racing into a lost Netzme answer make one create call and all answer 202; a later repeat retries once', async () => {
    const createCalls = async () => ((await s.control('GET', '/sandbox/state')).body.requests['/api/v1.0/invoice/create-transaction'] as number) ?? 0;
    // Netzme holds the call for a second, then drops the connection without having processed it:
    // long enough for all twins to arrive while the first call is in flight.
    await s.control('POST', '/sandbox/faults', {
      target: '/api/v1.0/invoice/create-transaction',
      mode: 'timeout',
      count: 1,
      delayMs: 1000,
      beforeProcessing: true,
    });
    const body = { merchantOrderId: orderId('TWIN'), amount: '9100.00' };
    const before = await createCalls();
    const answers = await Promise.all(Array.from({ length: 5 }, () => create(body)));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect((await createCalls()) - before).toBe(1);
    const later = await create(body);
    expect(later.status).toBe(200);
    expect(later.body.status).toBe('PENDING');
    expect((await createCalls()) - before).toBe(2);
    expect(await invoicesFor(later.body.partnerReferenceNo)).toHaveLength(1);
  });

  it('a dropped answer (processed, socket destroyed) ends with one invoice after many concurrent retries', async () => {
    await s.control('POST', '/sandbox/faults', { target: '/api/v1.0/invoice/create-transaction', mode: 'drop', count: 1 });
    const body = { merchantOrderId: orderId('DROP'), amount: '8800.00' };
    const first = await create(body);
    expect(first.body.status).toBe('UNKNOWN');
    // Checkout retries, the poller and an admin refresh all at once.
    const results = await Promise.allSettled([create(body), create(body), pollNow(first.body.id), s.api('POST', `/orders/${first.body.id}/refresh`)]);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    // Whoever did not hold the lease backs off; give the lease holder a moment, then look.
    await sleep(200);
    await pollNow(first.body.id);
    const order = await get(first.body.id);
    expect(order.status).toBe('PENDING');
    const invoices = await invoicesFor(first.body.partnerReferenceNo);
    expect(invoices).toHaveLength(1);
    expect(order.netzme.trxId).toBe(invoices[0].trxId);
  });

  it('BANK_TRANSFER passes through and returns virtual account numbers', async () => {
    const res = await create({ merchantOrderId: orderId('VA'), amount: '250000.00', payMethod: 'BANK_TRANSFER' });
    expect(res.status).toBe(201);
    expect(res.body.payMethod).toBe('BANK_TRANSFER');
    expect(res.body.qrImage).toBeNull();
    expect(res.body.virtualAccounts.length).toBeGreaterThan(0);
    expect(res.body.virtualAccounts[0]).toEqual({ bankCode: expect.any(String), virtualAccountNo: expect.stringMatching(/^\d+$/) });
    expect(await get(res.body.id)).toEqual(res.body);
  });

  it.each([
    ['VA_CIMB', 'José Müller'],
    ['VA_BCA_PZ', 'Budi2'],
  ])("pay method %s (offered by Netzme's QA tool) with the buyer named %s as the shop has it", async (payMethod, fullname) => {
    const res = await create({ merchantOrderId: orderId('VA2'), amount: '125000.00', payMethod, customer: { fullname } });
    expect(res.status).toBe(201);
    expect(res.body.payMethod).toBe(payMethod);
    expect(res.body.virtualAccounts.length).toBeGreaterThan(0);
    const invoices = await invoicesFor(res.body.partnerReferenceNo);
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ payMethod });
  });

  it('admin list: filters by status and merchantOrderId, pages with a cursor; an admin refresh of a pending order keeps it PENDING', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await create({ merchantOrderId: orderId('LIST'), amount: '1000.00' })).body.id);
    }
    const page1 = await s.api('GET', '/orders?limit=2');
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.nextCursor).toBeTruthy();
    const page2 = await s.api('GET', `/orders?limit=2&cursor=${page1.body.nextCursor}`);
    const seen = [...page1.body.items, ...page2.body.items].map((o: { id: string }) => o.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, 3)).toEqual([...ids].reverse());

    const one = await s.api('GET', `/orders?merchantOrderId=${(await get(ids[0])).merchantOrderId}`);
    expect(one.body.items.map((o: { id: string }) => o.id)).toEqual([ids[0]]);
    const paid = await s.api('GET', '/orders?status=PAID');
    expect(paid.body.items.every((o: { status: string }) => o.status === 'PAID')).toBe(true);
    const future = await s.api('GET', `/orders?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`);
    expect(future.body.items).toEqual([]);

    const refreshed = await s.api('POST', `/orders/${ids[0]}/refresh`);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.status).toBe('PENDING');
  });
});
