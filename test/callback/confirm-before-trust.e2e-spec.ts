import { signAsymmetric } from '@app/snap';
import { startTestGateway } from '../support/gateway';
import { sandboxEnv } from '../support/sandbox';
import { ADMIN_KEY, waitFor } from '../invoice/stack';
import { callbackSuite, type CreatedOrder as Created } from './support';

/**
 * Callbacks are read leniently and trusted only after Netzme confirms them, and nothing an outsider
 * sends can break the inbox or its admin views. Every callback body here is a LITERAL JSON string:
 * the doc page's shape (T15), the shape Netzme's official WooCommerce plugin reads (only
 * originalPartnerReferenceNo = the merchant's own reference, id, merchant, paymentTime, netAmount),
 * or the attacks found in the hardening review. None is built from the gateway's own wire types.
 */
describe('Callbacks - confirm before trust, hostile bodies (gateway + sandbox)', () => {
  const suite = callbackSuite({ resetCallbacks: { auth: 'token', invoiceReference: 'partnerReferenceNo' }, orderPrefix: 'CBT' });
  const { s, createOrder, order, postCallback, inbox, settle } = suite;

  /** Pay at the sandbox with Netzme's own callback lost: Netzme knows the payment, we have not heard. */
  const payAtNetzmeSilently = async (trxId: string) => {
    await s.control('POST', '/sandbox/faults', { target: 'invoice-paid', mode: 'drop', count: 1 });
    expect((await s.control('POST', `/sandbox/invoices/${trxId}/pay`)).status).toBe(200);
  };

  /** The doc page's T15 example, filled with an order's ids. */
  const docStyle = (o: Created, value = '15000.00') =>
    `{"originalReferenceNo":"${o.netzme.invoiceId}","originalPartnerReferenceNo":"${o.netzme.trxId}","latestTransactionStatus":"00","transactionStatusDesc":"Success",` +
    `"amount":{"value":"${value}","currency":"IDR"},"netAmount":{"value":"14895.00","currency":"IDR"},"feeAmount":{"value":"105.00","currency":"IDR"},` +
    `"additionalInfo":{"custIdMerchant":"M_TestMrc1","paymentTime":"2023-11-15T05:20:01+07:00","paymentMethod":"QRIS","paymentChannel":"QRIS","transactionId":"${o.netzme.trxId}","isSplitFee":false,"spiltFees":[]}}`;
  /** What Netzme's WooCommerce plugin reads: no amount, no feeAmount, no transactionId. */
  const pluginStyle = (o: Created) =>
    `{"id":"${o.netzme.invoiceId}","merchant":"M_TestMrc1","originalPartnerReferenceNo":"${o.partnerReferenceNo}","latestTransactionStatus":"00",` +
    `"transactionStatusDesc":"Success","netAmount":{"value":"14895.00","currency":"IDR"},"additionalInfo":{"paymentTime":"2023-11-15T05:20:01+00:00"}}`;

  describe('confirm before money moves', () => {
    it('a paid-looking callback with the right token for an invoice nobody paid leaves the order PENDING', async () => {
      const o = await createOrder();
      const res = await postCallback('invoice-paid', docStyle(o));
      // Netzme (or whoever holds the token) gets its 200 at once; the check happens afterwards.
      expect(res).toEqual({ status: 200, body: { responseCode: '2000000', responseMessage: 'Successful' } });
      await settle();
      expect((await order(o.id)).status).toBe('PENDING');
      const [row] = await inbox('reference = $1', [o.netzme.invoiceId]);
      expect(row).toMatchObject({ status: 'anomaly', owner: 'invoice', subject_id: o.id });
      expect(row.reason).toMatch(/^not confirmed: Netzme shows the invoice unpaid \(status INIT\)/);
      // A refresh (the poller) leaves it PENDING as well: Netzme still says unpaid.
      await s.sql.query('UPDATE orders SET next_poll_at = now(), lease_until = NULL WHERE id = $1', [o.id]);
      await s.gw.app.get((await import('../../apps/gateway/src/invoice/order-sync.service')).OrderSyncService).pollDue({ limit: (fn) => fn(), batchSize: 100 });
      expect((await order(o.id)).status).toBe('PENDING');
    });

    it("a callback with no amount (as Netzme's plugin reads it) is answered 200 and the order becomes PAID once Netzme confirms the amount", async () => {
      const o = await createOrder();
      await payAtNetzmeSilently(o.netzme.trxId);
      const res = await postCallback('invoice-paid', pluginStyle(o));
      expect(res).toEqual({ status: 200, body: { responseCode: '2000000', responseMessage: 'Successful' } });
      const paid = await waitFor(
        async () => {
          const now = await order(o.id);
          return now.status === 'PAID' && now;
        },
        20_000,
        'the order to become PAID',
      );
      // The amount is Netzme's, from Get Invoice Transaction (the callback had none).
      expect(paid.payment.paidAmount).toEqual({ value: '15000.00', currency: 'IDR' });
      await settle();
      const [row] = await inbox('reference = $1', [o.netzme.invoiceId]);
      expect(row).toMatchObject({ status: 'applied', owner: 'invoice', subject_id: o.id });
      const history = (await s.api('GET', `/orders/${o.id}/history`)).body as Array<{ to: string; source: string; sourceRef: string }>;
      expect(history.filter((h) => h.to === 'PAID')).toEqual([expect.objectContaining({ source: 'callback', sourceRef: row.id })]);
    });

    it('the same plugin-style callback for an unpaid invoice changes nothing (the amount check still holds without an amount); sent again after the payment, it is confirmed', async () => {
      const o = await createOrder();
      expect((await postCallback('invoice-paid', pluginStyle(o))).status).toBe(200);
      await settle();
      expect((await order(o.id)).status).toBe('PENDING');
      expect((await inbox('reference = $1', [o.netzme.invoiceId]))[0].status).toBe('anomaly');
      // A forger went first; Netzme's own identical callback comes after the payment: asked again, not shadowed.
      await payAtNetzmeSilently(o.netzme.trxId);
      expect((await postCallback('invoice-paid', pluginStyle(o))).status).toBe(200);
      await settle();
      expect((await order(o.id)).status).toBe('PAID');
      const [row] = await inbox('reference = $1', [o.netzme.invoiceId]);
      expect(row).toMatchObject({ status: 'applied', duplicates: 1 });
    });

    it('a forged token changes nothing and stores nothing', async () => {
      const o = await createOrder();
      await payAtNetzmeSilently(o.netzme.trxId);
      for (const headers of [{ 'x-callback-token': `${suite.token()}x` }, { 'x-callback-token': suite.token().slice(0, -1) }, {} as Record<string, string>]) {
        const res = await postCallback('invoice-paid', pluginStyle(o), headers);
        expect(res).toEqual({ status: 401, body: { responseCode: '4010000', responseMessage: 'Unauthorized. invalid x-callback-token' } });
      }
      await settle();
      expect((await order(o.id)).status).toBe('PENDING');
      expect(await inbox('reference = $1', [o.netzme.invoiceId])).toHaveLength(0);
    });

    it('leniently shaped amounts are anomalies for review, never a payment', async () => {
      const o = await createOrder();
      const bodies = [
        '"amount":{"value":"15000","currency":"IDR"}',
        '"amount":{"value":15000,"currency":"IDR"}',
        '"amount":{"value":" 15000.00","currency":"IDR"}',
        '"amount":{"value":"015000.00","currency":"IDR"}',
        '"amount":{"value":"15000.00"}',
        '"amount":{"value":"15000.00","currency":"IDR"},"feeAmount":{"value":"15000.01","currency":"IDR"}',
      ].map(
        (amount) =>
          `{"originalReferenceNo":"${o.netzme.invoiceId}","originalPartnerReferenceNo":"${o.netzme.trxId}","latestTransactionStatus":"00",${amount},"additionalInfo":{"transactionId":"${o.netzme.trxId}"}}`,
      );
      for (const body of bodies) {
        expect((await postCallback('invoice-paid', body)).status).toBe(200);
      }
      await settle();
      expect((await order(o.id)).status).toBe('PENDING');
      const rows = await inbox('reference = $1', [o.netzme.invoiceId]);
      expect(rows).toHaveLength(bodies.length);
      for (const row of rows) {
        expect(row.status).toBe('anomaly');
        expect(row.reason).toMatch(/^unreadable amount, not a payment: /);
      }
    });

    it('a forged deposit top-up payment leaves the top-up PENDING', async () => {
      const topup = await s.api('POST', '/deposit/topups', { body: { amount: '100000.00', payMethod: 'BANK_TRANSFER' } });
      expect(topup.status).toBe(201);
      const body = `{"originalReferenceNo":"${topup.body.invoiceId}","originalPartnerReferenceNo":"${topup.body.partnerReferenceNo}","latestTransactionStatus":"00","amount":{"value":"100000.00","currency":"IDR"}}`;
      expect((await postCallback('invoice-paid', body)).status).toBe(200);
      await settle();
      expect((await s.api('GET', `/deposit/topups/${topup.body.id}`)).body.status).toBe('PENDING');
      expect((await inbox('reference = $1', [topup.body.invoiceId]))[0]).toMatchObject({ status: 'anomaly', owner: 'deposit' });
    });
  });

  it('a forged "success" withdrawal notification changes nothing; Netzme\'s own completion (notification without amount) does', async () => {
    const created = await s.api('POST', '/withdrawals', {
      body: { amount: '1000.00', pin: s.sandbox.credentials.merchantPin },
      headers: { 'Idempotency-Key': `cbt-${Date.now()}` },
    });
    expect(created.status).toBe(201);
    const w = created.body as { id: string; partnerReferenceNo: string; referenceNo: string; status: string };
    const forged = `{"amount":{"value":"1000.00","currency":"IDR"},"latestTransactionStatus":"00","transactionStatusDesc":"success","originalReferenceNo":"${w.referenceNo}","originalPartnerReferenceNo":"${w.partnerReferenceNo}","additionalInfo":{"type":"submit_withdraw"}}`;
    const res = await postCallback('withdrawal-status', forged);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ responseCode: '2000000', originalPartnerReferenceNo: w.partnerReferenceNo });
    await settle();
    expect((await s.api('GET', `/withdrawals/${w.id}`)).body.status).toBe(w.status);
    const [row] = await inbox('reference = $1', [w.partnerReferenceNo]);
    expect(row).toMatchObject({ status: 'anomaly', owner: 'withdrawal' });
    expect(row.reason).toMatch(/the notification said succeeded, Netzme's status call says pending/);
    // Netzme completes it (its own notification lost); a genuine notification, here without an amount, is confirmed.
    await s.control('POST', '/sandbox/faults', { target: 'withdrawal-status', mode: 'drop', count: 1 });
    expect((await s.control('POST', `/sandbox/withdrawals/${w.referenceNo}/complete`, { status: 'success' })).status).toBeLessThan(300);
    const genuine = `{"latestTransactionStatus":"00","transactionStatusDesc":"success","originalReferenceNo":"${w.referenceNo}","originalPartnerReferenceNo":"${w.partnerReferenceNo}","additionalInfo":{"type":"submit_withdraw"}}`;
    expect((await postCallback('withdrawal-status', genuine)).status).toBe(200);
    await settle();
    expect((await s.api('GET', `/withdrawals/${w.id}`)).body.status).toBe('SUCCEEDED');
  });

  describe('invoice callbacks matched by either reference, with both sandbox readings', () => {
    it.each(['partnerReferenceNo', 'trxId'] as const)(
      'the sandbox sending originalPartnerReferenceNo = %s makes the order PAID end to end',
      async (reading) => {
        await s.control('PUT', '/sandbox/callbacks', { invoiceReference: reading });
        const o = await createOrder('16000.00');
        expect((await s.control('POST', `/sandbox/invoices/${o.netzme.trxId}/pay`)).status).toBe(200);
        await settle();
        const [sent] = ((await s.control('GET', '/sandbox/callbacks')).body.callbacks as Array<{ subject: string; body: string; status: string }>).filter(
          (c) => c.subject === o.netzme.trxId,
        );
        expect(sent.status).toBe('delivered');
        expect(JSON.parse(sent.body).originalPartnerReferenceNo).toBe(reading === 'trxId' ? o.netzme.trxId : o.partnerReferenceNo);
        expect((await order(o.id)).status).toBe('PAID');
      },
    );
  });

  describe('SNAP-signed callbacks must be fresh', () => {
    it('a correctly signed callback with an X-TIMESTAMP from 2020 is refused and changes nothing', async () => {
      const o = await createOrder('17000.00');
      await payAtNetzmeSilently(o.netzme.trxId);
      const path = '/callbacks/netzme/qris-paid-snap';
      const body = `{"originalReferenceNo":"411310123456","amount":{"value":"17000.00","currency":"IDR"},"latestTransactionStatus":"00","transactionStatusDesc":"Success","additionalInfo":{"invoiceNumber":"${o.netzme.invoiceId}","rrn":"411310123456"}}`;
      const signed = (timestamp: string) => ({
        'x-timestamp': timestamp,
        'x-signature': signAsymmetric(s.sandbox.credentials.netzmePrivateKey, { method: 'POST', path, body, timestamp }),
      });
      for (const stale of ['2020-01-01T10:00:00+07:00', new Date(Date.now() - 10 * 60_000).toISOString(), 'yesterday']) {
        const res = await postCallback('qris-paid-snap', body, signed(stale));
        expect(res).toEqual({
          status: 401,
          body: { responseCode: '4010000', responseMessage: 'Unauthorized. X-TIMESTAMP is missing, malformed or outside the accepted window' },
        });
      }
      await settle();
      expect((await order(o.id)).status).toBe('PENDING');
      expect(await inbox('reference = $1', ['411310123456'])).toHaveLength(0);
      // Netzme's own (fresh, UTC as its plugin writes it) timestamp is accepted, and the payment confirmed.
      const fresh = new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00');
      expect((await postCallback('qris-paid-snap', body, signed(fresh))).status).toBe(200);
      await settle();
      expect((await order(o.id)).status).toBe('PAID');
    });
  });

  describe('hostile bodies cannot break the inbox or its admin views', () => {
    it('a callback with a NUL character, sent among many good ones, is stored escaped and acknowledged; every good one is applied and answered 200', async () => {
      const orders: Created[] = [];
      for (let i = 0; i < 4; i++) {
        orders.push(await createOrder('12000.00'));
      }
      for (const o of orders) {
        await payAtNetzmeSilently(o.netzme.trxId);
      }
      const run = Date.now();
      const good = [
        ...orders.map((o) => ['invoice-paid', docStyle(o, '12000.00').replace('"14895.00"', '"11916.00"').replace('"105.00"', '"84.00"')]),
        ...Array.from({ length: 40 }, (_, i) => [
          'account-upgrade',
          `{"originalReferenceNo":"up-${run}-${i}","custId":"C${run}x${i}","status":"approved","additionalInfo":{"type":"upgrade_account"}}`,
        ]),
      ];
      const bad = `{"originalReferenceNo":"up-${run}-nul","custId":"Mw6\\u0000STUQK${run}","status":"approved"}`;
      const answers = await Promise.all([
        ...good.slice(0, 20).map(([k, b]) => postCallback(k, b)),
        postCallback('account-upgrade', bad),
        ...good.slice(20).map(([k, b]) => postCallback(k, b)),
      ]);
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
      expect(answers.every((a) => a.body.responseCode === '2000000')).toBe(true);
      await settle();
      for (const o of orders) {
        expect((await order(o.id)).status).toBe('PAID');
      }
      const recorded = await inbox(`kind = 'account-upgrade' AND reference LIKE $1`, [`C${run}x%`]);
      expect(recorded).toHaveLength(40);
      expect(recorded.every((r) => r.status === 'recorded')).toBe(true);
      const [stored] = await inbox(`reference = $1`, [`Mw6\\u0000STUQK${run}`]);
      expect(stored).toMatchObject({ kind: 'account-upgrade', status: 'anomaly' });
      expect(stored.reason).toMatch(/NUL/);
      expect(stored.raw_body).toBe(bad);
      // Netzme's retry of it is a repeat, not a new failure.
      expect((await postCallback('account-upgrade', bad)).status).toBe(200);
      expect((await inbox(`id = $1`, [stored.id]))[0].duplicates).toBe(1);
      // The admin list shows it, and a NUL in a filter is a 400, not a 500.
      expect((await s.api('GET', `/callbacks/${stored.id}`)).body.body.custId).toBe(`Mw6\u0000STUQK${run}`);
      expect((await s.api('GET', '/callbacks?reference=%00')).status).toBe(400);
    });

    it('a callback nested 40,000 levels deep is stored as an anomaly and the admin views keep working, also in a restarted gateway', async () => {
      const deep = `{"originalReferenceNo":"deep-${Date.now()}","additionalInfo":{"billId":"deep-bill","x":${'['.repeat(40_000)}${']'.repeat(40_000)}}}`;
      const res = await postCallback('bill-paid', deep);
      expect(res.status).toBe(200);
      const [row] = await inbox('reference = $1', ['deep-bill']);
      expect(row.status).toBe('anomaly');
      expect(row.reason).toMatch(/nested 40002 levels deep/);
      // And one stored by an earlier version, before intake checked the depth.
      await s.sql.query(
        `INSERT INTO netzme_callbacks (id, kind, dedupe_key, status, reference, reason, raw_body, headers) VALUES (gen_random_uuid(), 'bill-paid', $1, 'anomaly', 'deep-old', 'malformed: originalReferenceNo is missing', $2, '{}')`,
        [`bill-paid:raw:old-${Date.now()}`, `{"x":${'{"a":'.repeat(40_000)}1${'}'.repeat(40_000)}}`],
      );
      const check = async (url: string) => {
        for (const path of ['/callbacks', '/callbacks?kind=bill-paid', '/callbacks/anomalies', '/callbacks?reference=deep-old', `/callbacks/${row.id}`]) {
          const r = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
          expect({ path, status: r.status }).toEqual({ path, status: 200 });
          await r.json();
        }
      };
      await check(s.gw.url);
      expect((await s.api('POST', `/callbacks/${row.id}/reapply`)).body.status).toBe('anomaly');
      // A second gateway process on the same database (what a restart sees).
      const restarted = await startTestGateway({ db: s.gw.db, netzme: sandboxEnv(s.sandbox), env: { JOBS_ENABLED: 'false' } });
      try {
        await check(restarted.url);
      } finally {
        await restarted.close();
      }
    });
  });
});
