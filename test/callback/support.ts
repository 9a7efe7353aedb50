import { CallbacksService } from '../../apps/gateway/src/callback/callbacks.service';
import { CHECKOUT_KEY, orderId, Stack, startStack } from '../invoice/stack';

export type CreatedOrder = { id: string; partnerReferenceNo: string; netzme: { trxId: string; invoiceId: string } };

/**
 * One gateway + sandbox stack for a callback suite (registers its beforeAll/afterAll/afterEach), and
 * the helpers both suites use. `resetCallbacks` is what `PUT /sandbox/callbacks` restores after each
 * test (the suite's tests change the sandbox's callback settings).
 */
export function callbackSuite(options: { resetCallbacks: Record<string, unknown>; orderPrefix: string }) {
  const held: { stack?: Stack } = {};
  const s = (): Stack => held.stack!;
  // The suite's tests read `s.api(...)`, `s.gw`, ... from the start; the stack exists once beforeAll ran.
  const stack = new Proxy({} as Stack, { get: (_target, prop) => Reflect.get(s(), prop) });

  beforeAll(async () => {
    // A generous Netzme timeout: on a loaded machine a create or status call can take seconds.
    held.stack = await startStack({ env: { NETZME_TIMEOUT_MS: '15000' } });
  });
  afterAll(async () => {
    await held.stack?.close();
  });
  afterEach(async () => {
    await s().control('DELETE', '/sandbox/faults');
    await s().control('PUT', '/sandbox/callbacks', options.resetCallbacks);
  });

  return {
    s: stack,
    token: () => s().sandbox.credentials.callbackToken,
    createOrder: async (amount = '15000.00'): Promise<CreatedOrder> => {
      const res = await s().api('POST', '/orders', { key: CHECKOUT_KEY, body: { merchantOrderId: orderId(options.orderPrefix), amount } });
      expect(res.status).toBe(201);
      return res.body as CreatedOrder;
    },
    order: async (id: string) => (await s().api('GET', `/orders/${id}`)).body,
    postCallback: (kind: string, body: string, headers: Record<string, string> = { 'x-callback-token': s().sandbox.credentials.callbackToken }) =>
      fetch(`${s().gw.url}/callbacks/netzme/${kind}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then(
        async (r) => ({
          status: r.status,
          body: (await r.json()) as Record<string, unknown>,
        }),
      ),
    inbox: async (where: string, params: unknown[]) => (await s().sql.query(`SELECT * FROM netzme_callbacks WHERE ${where} ORDER BY received_at`, params)).rows,
    /**
     * Netzme gets its answer first; the gateway then confirms with Netzme (Get Invoice Transaction) in
     * the background. Wait for the sandbox's deliveries and for those confirmations to finish.
     */
    settle: async () => {
      await s().control('POST', '/sandbox/callbacks/flush');
      await s().gw.app.get(CallbacksService).settled();
    },
  };
}
