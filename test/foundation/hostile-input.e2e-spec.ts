import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { StartedSandbox } from '../../apps/netzme-sandbox/src/sandbox';
import { ADMIN_KEY, CHECKOUT_KEY, startTestGateway, type TestGateway } from '../support/gateway';
import { routeCallbacksTo, sandboxEnv, sandboxState, startTestSandbox } from '../support/sandbox';

/**
 * The attacks of issue 16 items 4, 6 and 8 (money limits) and the NUL-byte refusal, each replayed
 * as it was sent: every one used to answer 500 (or reached Netzme) and must now get a clear 4xx.
 */
describe('Hostile input: clear 4xx, nothing reaches Postgres or Netzme', () => {
  let sandbox: StartedSandbox;
  let gw: TestGateway;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    gw = await startTestGateway({
      netzme: sandboxEnv(sandbox),
      env: { JOBS_ENABLED: 'false', ORDER_MAX_AMOUNT: '5000000.00', DEPOSIT_TOPUP_MAX_AMOUNT: '20000000.00', WITHDRAWAL_MIN_AMOUNT: '10000.00' },
    });
    await routeCallbacksTo(sandbox, gw.url);
  });

  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
  });

  const send = async (method: string, path: string, options: { raw?: string; body?: unknown; key?: string; headers?: Record<string, string> } = {}) => {
    const res = await fetch(`${gw.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${options.key ?? ADMIN_KEY}`, 'content-type': 'application/json', ...options.headers },
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    const text = await res.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body };
  };

  /** Everything Netzme was asked to create: invoices, transfers, deposit movements. */
  const netzmeWork = async () => {
    const state = (await sandboxState(sandbox)) as { invoices: unknown[]; transfers: unknown[]; depositTransactions: unknown[] };
    return state.invoices.length + state.transfers.length + state.depositTransactions.length;
  };

  const nested = (depth: number, leaf: string) => `${'{"a":'.repeat(depth)}${leaf}${'}'.repeat(depth)}`;

  describe('item 4: deeply nested JSON is refused before it is parsed or transformed', () => {
    it('POST /orders with amount nested 3,000 levels: 400 BODY_TOO_DEEP (was 500, stack overflow in class-transformer)', async () => {
      const raw = `{"merchantOrderId":"DEEP-1","amount":${nested(3000, '"15000.00"')}}`;
      const res = await send('POST', '/orders', { raw, key: CHECKOUT_KEY });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'BODY_TOO_DEEP' });
      expect(res.body.message).toMatch(/at most 32 levels/);
    });

    it('every validated POST route refuses it the same way, arrays included', async () => {
      const raw = `{"amount":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      for (const path of [
        '/orders',
        '/withdrawals',
        '/deposit/topups',
        '/deposit/split-fees',
        '/deposit/withdrawals',
        '/reconciliation/reports',
        '/withdrawals/pin',
      ]) {
        const res = await send('POST', path, { raw, headers: { 'idempotency-key': randomUUID() } });
        expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 400, code: 'BODY_TOO_DEEP' });
      }
    });

    it('nesting within the limit still gets its normal validation answer; brackets inside strings do not count', async () => {
      const res = await send('POST', '/orders', { raw: `{"merchantOrderId":"DEEP-2","amount":${nested(20, '1')}}`, key: CHECKOUT_KEY });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      const inString = await send('POST', '/orders', {
        body: { merchantOrderId: 'DEEP-3', amount: '15000.00', description: '{'.repeat(200) },
        key: CHECKOUT_KEY,
      });
      expect(inString.status).toBe(201);
    });

    it('20 such requests at once: all refused while /health keeps answering (event-loop delay printed)', async () => {
      const raw = `{"merchantOrderId":"DEEP-4","amount":${nested(3000, '"15000.00"')}}`;
      const delay = monitorEventLoopDelay({ resolution: 10 });
      delay.enable();
      const started = performance.now();
      const timedHealth = async () => {
        const at = performance.now();
        const res = await send('GET', '/health');
        return { ...res, ms: Math.round(performance.now() - at) };
      };
      const [answers, health] = await Promise.all([
        Promise.all(Array.from({ length: 20 }, () => send('POST', '/orders', { raw, key: CHECKOUT_KEY }))),
        timedHealth(),
      ]);
      const elapsed = performance.now() - started;
      delay.disable();
      console.log(
        `20 parallel 3,000-deep bodies: ${Math.round(elapsed)} ms in all, /health meanwhile ${health.ms} ms; event-loop delay p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms`,
      );
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(400));
      expect(health.status).toBe(200);
    });

    it('a body over 256 KB is refused with 413 before parsing', async () => {
      const res = await send('POST', '/orders', {
        body: { merchantOrderId: 'BIG-1', amount: '1.00', description: 'x'.repeat(1024 * 1024) },
        key: CHECKOUT_KEY,
      });
      expect(res.status).toBe(413);
      expect(res.body.message).toMatch(/too large/);
    });
  });

  describe('item 6: every query value is validated like a body', () => {
    it.each([
      ['/withdrawals?page=99999999999999999999', /page must be a whole number from 1 to 10000/],
      ['/deposit/withdrawals?page=99999999999999999999', /page must be a whole number from 1 to 10000/],
      ['/deposit/transactions?page=99999999999999999999', /page must be a whole number from 1 to 10000/],
      ['/reconciliation/reports?date=2026-13-45', /date must be a calendar date/],
      ['/reconciliation/reports?date=2026-02-30', /date must be a calendar date/],
      // Strict ISO-8601 allows week dates, which Date cannot read (an Invalid Date reached Postgres).
      ['/withdrawals?from=2026-W01', /from must be an ISO-8601 date-time/],
      // Past Postgres' bigint.
      [`/reconciliation/reports/${randomUUID()}?cursor=9999999999999999999`, /cursor must be the nextCursor/],
    ])('GET %s: 400 (was 500)', async (path, message) => {
      const res = await send('GET', path);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toMatch(message);
    });

    it.each([
      ['/orders?from=0000-01-01T00:00:00Z', /from must be an ISO-8601 date-time/],
      ['/callbacks?from=+275760-09-13T00:00:00Z', /from must be an ISO-8601 date-time/],
      ['/deposit/transactions?to=9999-12-31T24:00:00Z', /to must be an ISO-8601 date-time/],
    ])('GET %s: still 400 with the new date-time check', async (path, message) => {
      const res = await send('GET', path);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toMatch(message);
    });

    it('POST /reconciliation/reports with date 2026-02-30: 400 (as before)', async () => {
      const res = await send('POST', '/reconciliation/reports', { body: { date: '2026-02-30' } });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('RECONCILIATION_DATE_INVALID');
    });
  });

  describe('NUL characters are refused with 400 wherever they come from (not on the Netzme callback receiver)', () => {
    it('GET /callbacks?reference=%00: 400 NUL_CHARACTER naming the parameter (was 500)', async () => {
      const res = await send('GET', '/callbacks?reference=%00');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'NUL_CHARACTER' });
      expect(res.body.message).toContain('query.reference');
    });

    it('in a path parameter and in a body string', async () => {
      const path = await send('POST', '/jobs/order%00poll/run');
      expect(path.status).toBe(400);
      expect(path.body.message).toContain('path.name');
      const body = await send('POST', '/orders', {
        body: { merchantOrderId: 'NUL-1', amount: '1000.00', customer: { fullname: 'Budi\u0000' } },
        key: CHECKOUT_KEY,
      });
      expect(body.status).toBe(400);
      expect(body.body.message).toContain('body.customer.fullname');
      const key = await send('POST', '/orders', { raw: '{"merchantOrderId":"NUL-2","amount":"1000.00","x\\u0000":1}', key: CHECKOUT_KEY });
      expect(key.status).toBe(400);
      expect(key.body.code).toBe('NUL_CHARACTER');
    });
  });

  describe('item 8: money limits, checked before anything is sent to Netzme', () => {
    it('a split fee of 0.00 is refused (was sent to Netzme)', async () => {
      const before = await netzmeWork();
      const res = await send('POST', '/deposit/split-fees', {
        body: { amount: '150000.00', feeAmount: '0.00', sku: 'SKU-1', productName: 'Kopi', payMethod: 'BANK_TRANSFER', bankName: 'BCA' },
        headers: { 'idempotency-key': randomUUID() },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'INVALID_FEE' });
      expect(res.body.message).toMatch(/greater than 0/);
      expect(await netzmeWork()).toBe(before);
    });

    it('a top-up above DEPOSIT_TOPUP_MAX_AMOUNT is refused (10,000,000,000.00 was sent to Netzme)', async () => {
      const before = await netzmeWork();
      const res = await send('POST', '/deposit/topups', { body: { amount: '10000000000.00' } });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'AMOUNT_OUT_OF_RANGE', details: { max: '20000000.00' } });
      expect(await netzmeWork()).toBe(before);
      const atMax = await send('POST', '/deposit/topups', { body: { amount: '20000000.00', payMethod: 'BANK_TRANSFER' } });
      expect(atMax.status).toBe(201);
    });

    it('an order above ORDER_MAX_AMOUNT is refused', async () => {
      const before = await netzmeWork();
      const res = await send('POST', '/orders', { body: { merchantOrderId: 'MAX-1', amount: '5000000.01' }, key: CHECKOUT_KEY });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'AMOUNT_OUT_OF_RANGE', details: { max: '5000000.00' } });
      expect(await netzmeWork()).toBe(before);
    });

    it("a withdrawal of 0.01 is refused against Netzme's stated minimum (deposit) and the gateway's floor (merchant: Netzme states 0.00)", async () => {
      const before = await netzmeWork();
      const merchant = await send('POST', '/withdrawals', { body: { amount: '0.01', pin: '123456' }, headers: { 'idempotency-key': randomUUID() } });
      expect(merchant.status).toBe(422);
      expect(merchant.body).toMatchObject({ code: 'AMOUNT_BELOW_MINIMUM', details: { minimum: '0.00', gatewayMinimum: '10000.00' } });
      expect(merchant.body.message).toMatch(/WITHDRAWAL_MIN_AMOUNT/);
      const deposit = await send('POST', '/deposit/withdrawals', { body: { amount: '0.01', pin: '123456' }, headers: { 'idempotency-key': randomUUID() } });
      expect(deposit.status).toBe(422);
      expect(deposit.body).toMatchObject({ code: 'AMOUNT_BELOW_MINIMUM', details: { minimum: '50000.00' } });
      expect(await netzmeWork()).toBe(before);
      // Nothing was written either: the list is empty.
      expect((await send('GET', '/withdrawals')).body.total).toBe(0);
    });
  });
});
