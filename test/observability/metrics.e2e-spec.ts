import { ADMIN_KEY, CHECKOUT_KEY, orderId, startStack, waitFor, type Stack } from '../invoice/stack';
import { readMetrics, type Scrape } from '../support/prometheus';

/** GET /metrics, read with an independent Prometheus text-format parser. */
async function scrape(s: Stack): Promise<Scrape> {
  const res = await fetch(`${s.gw.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return readMetrics(await res.text());
}

describe('GET /metrics (prom-client, real Postgres, the sandbox over HTTP)', () => {
  let s: Stack;

  beforeAll(async () => {
    // A generous Netzme timeout: a loaded machine must not turn the create into an UNKNOWN (202).
    s = await startStack({ env: { NETZME_TIMEOUT_MS: '15000' } });
  });

  afterAll(async () => {
    await s?.close();
  });

  it('should expose every family an on-call engineer needs, readable by a Prometheus parser', async () => {
    const { families } = await scrape(s);
    for (const name of [
      'gateway_http_requests_total',
      'gateway_http_request_duration_seconds',
      'gateway_netzme_calls_total',
      'gateway_netzme_call_duration_seconds',
      'gateway_order_transitions_total',
      'gateway_withdrawal_transitions_total',
      'gateway_callbacks_received_total',
      'gateway_orders_open',
      'gateway_orders_oldest_open_age_seconds',
      'gateway_withdrawals_open',
      'gateway_withdrawals_oldest_open_age_seconds',
      'gateway_callbacks_unresolved',
      'gateway_job_runs_total',
      'gateway_job_duration_seconds',
      'gateway_reconciliation_runs_total',
      'gateway_netzme_limiter_in_flight',
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect({ name, present: families.has(name) }).toEqual({ name, present: true });
    }
    expect(families.get('gateway_http_request_duration_seconds')!.type).toBe('HISTOGRAM');
    expect(families.get('gateway_netzme_call_duration_seconds')!.type).toBe('HISTOGRAM');
  });

  it('should move the HTTP, Netzme, order and callback figures when an order is created and paid', async () => {
    const before = await scrape(s);
    const created = await s.api('POST', '/orders', { key: CHECKOUT_KEY, body: { merchantOrderId: orderId('M'), amount: '15000.00' } });
    expect(created.status).toBe(201);
    const after = await scrape(s);

    const http = { method: 'POST', route: '/orders', status: '201' };
    const moved = (name: string, labels: Record<string, string> = {}) => after.value(name, labels) - before.value(name, labels);
    expect(moved('gateway_http_requests_total', http)).toBe(1);
    expect(moved('gateway_http_request_duration_seconds_count', http)).toBe(1);
    expect(moved('gateway_http_request_duration_seconds_sum', http)).toBeGreaterThan(0);
    // One successful invoice creation at Netzme, its latency observed once.
    expect(moved('gateway_netzme_calls_total', { endpoint: 'createInvoiceTransaction', outcome: 'success' })).toBe(1);
    expect(moved('gateway_netzme_call_duration_seconds_count', { endpoint: 'createInvoiceTransaction', outcome: 'success' })).toBe(1);
    expect(moved('gateway_order_transitions_total', { from: 'none', to: 'CREATING' })).toBe(1);
    expect(moved('gateway_order_transitions_total', { from: 'CREATING', to: 'PENDING' })).toBe(1);
    expect(after.value('gateway_orders_open', { status: 'PENDING' })).toBeGreaterThanOrEqual(1);

    // The buyer pays: Netzme's callback is counted by kind and answer, the order moves to PAID.
    await s.control('POST', `/sandbox/invoices/${created.body.netzme.trxId}/pay`);
    await waitFor(async () => (await s.api('GET', `/orders/${created.body.id}`, { key: CHECKOUT_KEY })).body.status === 'PAID', 15_000, 'the order to be PAID');
    const paid = await scrape(s);
    expect(paid.value('gateway_callbacks_received_total', { result: 'accepted' })).toBeGreaterThan(
      before.value('gateway_callbacks_received_total', { result: 'accepted' }),
    );
    expect(paid.value('gateway_order_transitions_total', { from: 'PENDING', to: 'PAID' })).toBe(
      before.value('gateway_order_transitions_total', { from: 'PENDING', to: 'PAID' }) + 1,
    );
  });

  it('should label routes by template, and unmatched paths as one series', async () => {
    await s.api('GET', '/orders/00000000-0000-0000-0000-000000000000', { key: CHECKOUT_KEY });
    await s.api('GET', '/no/such/path/12345', { key: CHECKOUT_KEY });
    const { families } = await scrape(s);
    const routes = families.get('gateway_http_requests_total')!.metrics.map((m) => m.labels!.route);
    expect(routes).toContain('/orders/:id');
    expect(routes).toContain('(unmatched)');
    expect(routes.some((r) => r.includes('00000000') || r.includes('12345'))).toBe(false);
  });

  it('should count a refused callback by kind and answer', async () => {
    const before = await scrape(s);
    const res = await fetch(`${s.gw.url}/callbacks/netzme/invoice-paid`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-callback-token': 'wrong-token' },
      body: '{}',
    });
    expect(res.status).toBe(401);
    const after = await scrape(s);
    const labels = { kind: 'invoice-paid', result: 'unauthorized' };
    expect(after.value('gateway_callbacks_received_total', labels) - before.value('gateway_callbacks_received_total', labels)).toBe(1);
  });
});
