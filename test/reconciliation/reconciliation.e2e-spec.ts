import { NetzmeClient } from '@app/netzme-client';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { jakartaDate, jakartaYesterday } from '../../apps/gateway/src/reconciliation/jakarta-day';
import type { StartedSandbox } from '../../apps/netzme-sandbox/src/sandbox';
import { ADMIN_KEY, CHECKOUT_KEY } from '../support/gateway';
import { routeCallbacksTo, sandboxEnv, startTestSandbox } from '../support/sandbox';
import { eventually, JobsGateway, startJobsGateway } from '../jobs/support/jobs-gateway';

type Report = {
  id: string;
  date: string;
  trigger: string;
  status: string;
  attempts: number;
  counts: { matched: number; inFlight: number; mismatches: number };
  summary: Record<string, unknown> | null;
  error: string | null;
  items?: Item[];
  nextCursor?: string | null;
};
type Item = {
  id: string;
  source: string;
  kind: string;
  inFlight: boolean;
  reference: string;
  ours: { id: string; status: string; amount: { value: string } } | null;
  netzme: { id: string; status: string; amount: { value: string } } | null;
  note: string | null;
};

const admin = { Authorization: `Bearer ${ADMIN_KEY}` };

describe('Reconciliation - reports of our books against Netzme (sandbox, real Postgres)', () => {
  let sandbox: StartedSandbox;
  let gw: JobsGateway;
  let sql: Client;
  const today = () => jakartaDate(new Date());

  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sandbox.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  /** An order paid through the whole chain: our order, Netzme invoice, payment, callback -> PAID. */
  const paidOrder = async (amount: string) => {
    const order = await createOrder(amount);
    await control('POST', `/sandbox/invoices/${order.trxId}/pay`);
    await eventually(async () => (await orderStatus(order.id)) === 'PAID', 10_000, `order ${order.id} PAID`);
    return order;
  };
  const createOrder = async (amount: string) => {
    const res = await request(gw.url)
      .post('/orders')
      .set('Authorization', `Bearer ${CHECKOUT_KEY}`)
      .send({ merchantOrderId: `RC-${randomUUID().slice(0, 12)}`, amount });
    expect(res.status).toBe(201);
    const { rows } = await sql.query('SELECT netzme_trx_id FROM orders WHERE id = $1', [res.body.id]);
    return { id: res.body.id as string, trxId: rows[0].netzme_trx_id as string };
  };
  const orderStatus = async (id: string) => (await request(gw.url).get(`/orders/${id}`).set(admin)).body.status as string;

  /** POST a report and wait until it is made. */
  const reconcileDay = async (date: string): Promise<Report> => {
    const started = await request(gw.url).post('/reconciliation/reports').set(admin).send({ date });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ date, trigger: 'manual', status: 'RUNNING' });
    return eventually(
      async () => {
        const res = await request(gw.url).get(`/reconciliation/reports/${started.body.id}`).set(admin);
        return res.body.status !== 'RUNNING' ? (res.body as Report) : undefined;
      },
      15_000,
      'the report',
    );
  };
  const items = async (id: string, query = '') =>
    (await request(gw.url).get(`/reconciliation/reports/${id}?${query}`).set(admin).expect(200)).body.items as Item[];

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    gw = await startJobsGateway({ netzme: { ...sandboxEnv(sandbox), NETZME_TIMEOUT_MS: '10000' }, env: { JOBS_ENABLED: 'false' } });
    sql = new Client({ connectionString: gw.db.url });
    await sql.connect();
  });

  beforeEach(async () => {
    // Each test starts from empty books on both sides.
    await control('DELETE', '/sandbox/faults');
    await control('POST', '/sandbox/reset', {});
    await routeCallbacksTo(sandbox, gw.url);
    await sql.query('TRUNCATE orders, order_status_history, withdrawals, reconciliation_runs CASCADE');
  });

  afterAll(async () => {
    await sql?.end();
    await gw?.close();
    await sandbox?.close();
  });

  it('reports exactly the planted amount mismatch, and matches everything else', async () => {
    const [o1, o2, o3] = [await paidOrder('15000.00'), await paidOrder('20000.00'), await paidOrder('1250.50')];
    await createOrder('9999.00'); // unpaid: absent from Netzme's payments by design, not a discrepancy
    // The planted mismatch: our books say 100.00 less was paid for o1 than Netzme booked.
    await sql.query('UPDATE orders SET paid_amount_minor = paid_amount_minor - 10000 WHERE id = $1', [o1.id]);

    const report = await reconcileDay(today());
    expect(report).toMatchObject({ status: 'COMPLETED', error: null, counts: { matched: 2, inFlight: 0, mismatches: 1 } });
    expect(report.summary).toMatchObject({
      total: 3,
      byKind: { MATCHED: 2, ONLY_OURS: 0, ONLY_NETZME: 0, AMOUNT_MISMATCH: 1, STATUS_MISMATCH: 0 },
      matchedAmount: { ORDER: '21250.50' },
    });

    const mismatches = await items(report.id, 'inFlight=false&kind=AMOUNT_MISMATCH');
    expect(mismatches).toHaveLength(1);
    expect(mismatches[0]).toMatchObject({
      source: 'ORDER',
      kind: 'AMOUNT_MISMATCH',
      inFlight: false,
      reference: o1.trxId,
      ours: { id: o1.id, status: 'PAID', amount: { value: '14900.00' } },
      netzme: { id: o1.trxId, status: 'SUCCESS', amount: { value: '15000.00' } },
      note: 'amounts differ: ours 14900.00, Netzme 15000.00',
    });
    const matched = await items(report.id, 'kind=MATCHED');
    expect(matched.map((i) => i.ours?.id).sort()).toEqual([o2.id, o3.id].sort());
  });

  it('tells a payment whose callback is still missing (in flight) from a payment nobody in the gateway knows (real)', async () => {
    const settled = await paidOrder('5000.00');
    // A: the buyer paid, the notification was lost, no poll has run yet: our order is still PENDING.
    await control('POST', '/sandbox/faults', { target: 'invoice-paid', mode: 'drop', count: 10 });
    const waiting = await createOrder('7000.00');
    await control('POST', `/sandbox/invoices/${waiting.trxId}/pay`);
    // B: an invoice paid only on the Netzme side (created outside this gateway).
    const stranger = await gw.app
      .get(NetzmeClient)
      .createInvoiceTransaction({ partnerReferenceNo: `ELSEWHERE-${Date.now()}`, amount: '3000.00', payMethod: 'QRIS', expireInSecond: '600' });
    const strangerTrx = (stranger.additionalInfo as { trxId: string }).trxId;
    await control('POST', `/sandbox/invoices/${strangerTrx}/pay`);
    expect(await orderStatus(waiting.id)).toBe('PENDING');

    const report = await reconcileDay(today());
    expect(report.counts).toEqual({ matched: 1, inFlight: 1, mismatches: 1 });
    const all = await items(report.id);
    const byRef = new Map(all.map((i) => [i.reference, i]));
    expect(byRef.get(settled.trxId)).toMatchObject({ kind: 'MATCHED', inFlight: false });
    expect(byRef.get(waiting.trxId)).toMatchObject({ kind: 'STATUS_MISMATCH', inFlight: true, ours: { status: 'PENDING' }, netzme: { status: 'SUCCESS' } });
    expect(byRef.get(strangerTrx)).toMatchObject({ kind: 'ONLY_NETZME', inFlight: false, ours: null, netzme: { amount: { value: '3000.00' } } });
    expect(await items(report.id, 'inFlight=true')).toHaveLength(1);

    // Once the poll catches up, the next report of the same day has nothing in flight.
    await request(gw.url).post('/jobs/order-status-poll/run').set(admin).expect(200);
    await sql.query('UPDATE orders SET next_poll_at = now() WHERE id = $1', [waiting.id]);
    await request(gw.url).post('/jobs/order-status-poll/run').set(admin).expect(200);
    expect(await orderStatus(waiting.id)).toBe('PAID');
    const again = await reconcileDay(today());
    expect(again.counts).toEqual({ matched: 2, inFlight: 0, mismatches: 1 });
  });

  it('compares merchant withdrawals with Netzme’s status of each: final ones match, processing ones are in flight', async () => {
    expect((await request(gw.url).post('/withdrawals/pin').set(admin).send({ pin: '123456' })).status).toBe(200);
    const first = await request(gw.url).post('/withdrawals').set(admin).set('Idempotency-Key', randomUUID()).send({ amount: '50000.00', pin: '123456' });
    expect([201, 202]).toContain(first.status);
    const firstId = first.body.id as string;
    const firstRef = await eventually(
      async () => (await sql.query('SELECT reference_no FROM withdrawals WHERE id = $1', [firstId])).rows[0]?.reference_no as string | undefined,
      10_000,
      'a referenceNo',
    );
    await control('POST', `/sandbox/withdrawals/${firstRef}/complete`, { status: 'success' });
    await eventually(
      async () => (await request(gw.url).get(`/withdrawals/${firstId}`).set(admin)).body.status === 'SUCCEEDED',
      10_000,
      'the withdrawal SUCCEEDED',
    );
    const second = await request(gw.url).post('/withdrawals').set(admin).set('Idempotency-Key', randomUUID()).send({ amount: '1000.00', pin: '123456' });
    expect([201, 202]).toContain(second.status);

    const report = await reconcileDay(today());
    expect(report.status).toBe('COMPLETED');
    const payouts = await items(report.id, 'source=WITHDRAWAL');
    expect(payouts).toHaveLength(2);
    expect(payouts.find((i) => i.ours?.id === firstId)).toMatchObject({
      kind: 'MATCHED',
      inFlight: false,
      ours: { status: 'SUCCEEDED', amount: { value: '50000.00' } },
      netzme: { status: '00' },
    });
    expect(payouts.find((i) => i.ours?.id === second.body.id)).toMatchObject({
      kind: 'MATCHED',
      inFlight: true,
      ours: { status: 'PROCESSING' },
      netzme: { status: '03' },
    });
    expect(report.counts).toEqual({ matched: 1, inFlight: 1, mismatches: 0 });
  });

  it('compares deposit withdrawals with the deposit history: a reversed one matches our FAILED, a debited one our SUCCEEDED', async () => {
    expect((await request(gw.url).post('/withdrawals/pin').set(admin).send({ pin: '123456' })).status).toBe(200);
    const withdraw = async (amount: string, outcome: 'success' | 'failed', status: string) => {
      const res = await request(gw.url).post('/deposit/withdrawals').set(admin).set('Idempotency-Key', randomUUID()).send({ amount, pin: '123456' });
      expect(res.status).toBe(201);
      await control('POST', `/sandbox/withdrawals/${res.body.referenceNo}/complete`, { status: outcome });
      await eventually(
        async () => (await request(gw.url).get(`/deposit/withdrawals/${res.body.id}`).set(admin)).body.status === status,
        10_000,
        `deposit withdrawal ${status}`,
      );
      return res.body as { id: string; referenceNo: string };
    };
    const failed = await withdraw('60000.00', 'failed', 'FAILED');
    const done = await withdraw('55000.00', 'success', 'SUCCEEDED');
    // Planted: our record of the successful one says a different amount.
    await sql.query('UPDATE withdrawals SET amount_minor = 5400000 WHERE id = $1', [done.id]);

    const report = await reconcileDay(today());
    const lines = await items(report.id, 'source=DEPOSIT_WITHDRAWAL');
    expect(lines).toHaveLength(2);
    expect(lines.find((i) => i.ours?.id === failed.id)).toMatchObject({
      kind: 'MATCHED',
      inFlight: false,
      reference: failed.referenceNo,
      ours: { status: 'FAILED' },
      netzme: { status: 'WITHDRAW_REVERSED' },
    });
    expect(lines.find((i) => i.ours?.id === done.id)).toMatchObject({
      kind: 'AMOUNT_MISMATCH',
      inFlight: false,
      ours: { amount: { value: '54000.00' } },
      netzme: { status: 'WITHDRAW', amount: { value: '55000.00' } },
    });
    expect(report.counts).toEqual({ matched: 1, inFlight: 0, mismatches: 1 });
  });

  it('serves the report as CSV, one line per item, formulas defused', async () => {
    const o = await paidOrder('15000.00');
    await sql.query('UPDATE orders SET paid_amount_minor = 1 WHERE id = $1', [o.id]);
    const report = await reconcileDay(today());
    const res = await request(gw.url)
      .get(`/reconciliation/reports/${report.id}/csv`)
      .set(admin)
      .buffer(true)
      .parse((r, cb) => {
        let data = '';
        r.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
        r.on('end', () => cb(null, data));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="reconciliation-${report.date}-${report.id.slice(0, 8)}.csv"`);
    const lines = (res.body as string).split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(
      'report_id,date,source,kind,in_flight,reference,our_id,our_status,our_amount,our_at,netzme_id,netzme_status,netzme_amount,netzme_at,note',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`${report.id},${report.date},ORDER,AMOUNT_MISMATCH,false,${o.trxId},${o.id},PAID,0.01,`);
    expect(lines[1]).toContain(',SUCCESS,15000.00,');
    expect(lines[1]).toMatch(/"amounts differ: ours 0\.01, Netzme 15000\.00"$/);
  });

  it('records a failed report with its reason when Netzme cannot be read', async () => {
    await control('POST', '/sandbox/faults', { target: '/api-qris/v2.0/transaction/history-list', mode: 'error', count: 5 });
    const report = await reconcileDay(today());
    expect(report.status).toBe('FAILED');
    expect(report.error).toMatch(/500|SERVER_ERROR|Internal/i);
    expect(await items(report.id)).toEqual([]);
  });

  describe('input and access', () => {
    it.each([
      [{ date: '20-11-2026' }, 'VALIDATION_FAILED', /YYYY-MM-DD/],
      [{ date: '2026-02-30' }, 'RECONCILIATION_DATE_INVALID', /calendar date/],
      [{ date: '2999-01-01' }, 'RECONCILIATION_DATE_IN_FUTURE', /has not started yet/],
      [{}, 'VALIDATION_FAILED', /date/],
      [{ date: '2026-11-20', extra: 1 }, 'VALIDATION_FAILED', /extra is not an accepted field/],
    ])('POST %j -> 400 %s', async (body, code, message) => {
      const res = await request(gw.url).post('/reconciliation/reports').set(admin).send(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(code);
      expect(JSON.stringify(res.body.message)).toMatch(message);
    });

    it('refuses a second run of a day while one is in progress (409 with its id)', async () => {
      const id = randomUUID();
      await sql.query(
        `INSERT INTO reconciliation_runs (id, business_date, trigger, status, window_start, window_end, margin_ms, lease_until) VALUES ($1, '2026-01-05', 'manual', 'RUNNING', now(), now(), 0, now() + interval '1 minute')`,
        [id],
      );
      const res = await request(gw.url).post('/reconciliation/reports').set(admin).send({ date: '2026-01-05' });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'RECONCILIATION_RUNNING', details: { reportId: id } });
    });

    it('answers 404 for an unknown report and 400 for a malformed id or filter', async () => {
      await request(gw.url).get(`/reconciliation/reports/${randomUUID()}`).set(admin).expect(404);
      await request(gw.url).get(`/reconciliation/reports/${randomUUID()}/csv`).set(admin).expect(404);
      expect((await request(gw.url).get('/reconciliation/reports/not-a-uuid').set(admin)).status).toBe(400);
      const id = randomUUID();
      expect((await request(gw.url).get(`/reconciliation/reports/${id}?kind=SOMETHING`).set(admin)).body.message).toEqual([
        expect.stringMatching(/kind must be one of MATCHED/),
      ]);
      expect((await request(gw.url).get(`/reconciliation/reports/${id}?limit=5000`).set(admin)).status).toBe(400);
      expect((await request(gw.url).get('/reconciliation/reports?cursor=abc').set(admin)).status).toBe(400);
    });

    it('lists reports newest first, filtered by date, with a cursor', async () => {
      for (const day of ['2026-01-01', '2026-01-02', '2026-01-02']) {
        await request(gw.url).post('/reconciliation/reports').set(admin).send({ date: day }).expect(202);
        await eventually(async () => (await sql.query(`SELECT count(*)::int AS n FROM reconciliation_runs WHERE status = 'RUNNING'`)).rows[0].n === 0);
      }
      const page1 = await request(gw.url).get('/reconciliation/reports?limit=2').set(admin).expect(200);
      expect(page1.body.items.map((r: Report) => r.date)).toEqual(['2026-01-02', '2026-01-02']);
      const page2 = await request(gw.url).get(`/reconciliation/reports?limit=2&cursor=${page1.body.nextCursor}`).set(admin).expect(200);
      expect(page2.body.items.map((r: Report) => r.date)).toEqual(['2026-01-01']);
      expect(page2.body.nextCursor).toBeNull();
      const filtered = await request(gw.url).get('/reconciliation/reports?date=2026-01-01').set(admin).expect(200);
      expect(filtered.body.items).toHaveLength(1);
      expect(filtered.body.items[0]).toMatchObject({ status: 'COMPLETED', counts: { matched: 0, inFlight: 0, mismatches: 0 } });
    });

    it('is admin-only', async () => {
      for (const [method, path] of [
        ['get', '/reconciliation/reports'],
        ['post', '/reconciliation/reports'],
        ['get', `/reconciliation/reports/${randomUUID()}`],
        ['get', `/reconciliation/reports/${randomUUID()}/csv`],
      ] as const) {
        await request(gw.url)[method](path).expect(401);
        await request(gw.url)[method](path).set('Authorization', `Bearer ${CHECKOUT_KEY}`).expect(403);
      }
    });

    it('documents the routes with examples and error responses', async () => {
      const doc = (await request(gw.url).get('/docs-json').expect(200)).body;
      expect(Object.keys(doc.paths['/reconciliation/reports'])).toEqual(expect.arrayContaining(['get', 'post']));
      expect(doc.paths['/reconciliation/reports'].post.responses).toHaveProperty('409');
      expect(doc.paths['/reconciliation/reports/{id}'].get.responses).toHaveProperty('404');
      expect(doc.paths['/reconciliation/reports/{id}/csv'].get.summary).toMatch(/CSV/);
    });
  });

  it('keeps yesterday in its own report: items of today are not in it', async () => {
    await paidOrder('15000.00');
    const report = await reconcileDay(jakartaYesterday(new Date()).date);
    expect(report).toMatchObject({ status: 'COMPLETED', counts: { matched: 0, inFlight: 0, mismatches: 0 } });
  });
});
