import { signAsymmetric, jakartaTimestamp } from '@app/snap';
import { generateKeyPairSync } from 'node:crypto';
import { CallbacksService } from '../../apps/gateway/src/callback/callbacks.service';
import { OrderSyncService } from '../../apps/gateway/src/invoice/order-sync.service';
import { CHECKOUT_KEY, orderId, sleep, waitFor } from '../invoice/stack';
import { callbackSuite } from './support';

interface SandboxCallback {
  id: string;
  kind: string;
  subject: string;
  body: string;
  headers: Record<string, string>;
  status: string;
  attempts: Array<{ httpStatus?: number; responseBody?: string }>;
}

/** Netzme -> gateway over HTTP: the sandbox sends real callbacks to /callbacks/netzme/<kind>. */
describe('Callbacks - POST /callbacks/netzme/:kind (gateway + sandbox)', () => {
  const suite = callbackSuite({ resetCallbacks: { auth: 'token' }, orderPrefix: 'CB' });
  const { s, createOrder, order, postCallback, inbox, settle } = suite;

  const history = async (id: string) => (await s.api('GET', `/orders/${id}/history`)).body as Array<{ to: string; source: string; sourceRef: string | null }>;
  const sandboxCallbacks = async (subject?: string): Promise<SandboxCallback[]> => {
    const all = (await s.control('GET', '/sandbox/callbacks')).body.callbacks as SandboxCallback[];
    return subject ? all.filter((c) => c.subject === subject) : all;
  };
  /** Pay at the sandbox with the callback dropped; return the callback body Netzme would have sent. */
  const payWithoutCallback = async (trxId: string, kind = 'invoice-paid') => {
    await s.control('POST', '/sandbox/faults', { target: kind, mode: 'drop', count: 1 });
    await s.control('POST', `/sandbox/invoices/${trxId}/pay`);
    const [cb] = await sandboxCallbacks(trxId);
    expect(cb.status).toBe('dropped');
    return cb.body;
  };
  it('a paid invoice flips the order to PAID once, with the callback recorded as applied and answered in Netzme format', async () => {
    const o = await createOrder();
    await s.control('POST', `/sandbox/invoices/${o.netzme.trxId}/pay`, { issuerName: 'DANA' });
    await settle();
    const paid = await order(o.id);
    expect(paid.status).toBe('PAID');
    expect(paid.payment).toMatchObject({ paidAmount: { value: '15000.00', currency: 'IDR' }, method: 'QRIS', issuerName: 'DANA' });
    expect(paid.payment.rrn).toMatch(/^\d+$/);
    const [cb] = await sandboxCallbacks(o.netzme.trxId);
    expect(cb.status).toBe('delivered');
    expect(cb.attempts).toHaveLength(1);
    expect(JSON.parse(cb.attempts[0].responseBody!)).toEqual({ responseCode: '2000000', responseMessage: 'Successful' });
    const rows = await inbox('reference = $1', [o.netzme.invoiceId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'invoice-paid', status: 'applied', owner: 'invoice', subject_id: o.id });
    expect(rows[0].raw_body).toBe(cb.body);
    // The token is never stored.
    expect(rows[0].headers['x-callback-token']).toBe('[REDACTED]');
    expect(JSON.stringify(rows[0].headers)).not.toContain(suite.token());
    const h = await history(o.id);
    expect(h.filter((e) => e.to === 'PAID')).toEqual([{ ...h.find((e) => e.to === 'PAID'), source: 'callback', sourceRef: rows[0].id }]);
  });

  it('the same callback 5 times in parallel changes the order once and is stored once', async () => {
    const o = await createOrder('21000.00');
    const body = await payWithoutCallback(o.netzme.trxId);
    const answers = await Promise.all(Array.from({ length: 5 }, () => postCallback('invoice-paid', body)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.every((a) => a.body.responseCode === '2000000')).toBe(true);
    await settle();
    expect((await order(o.id)).status).toBe('PAID');
    expect((await history(o.id)).filter((e) => e.to === 'PAID')).toHaveLength(1);
    const rows = await inbox('reference = $1', [o.netzme.invoiceId]);
    expect(rows).toHaveLength(1);
    expect(rows[0].duplicates).toBe(4);
    expect(rows[0].status).toBe('applied');
  });

  it("Netzme's duplicate delivery (sandbox fault) is applied once", async () => {
    const o = await createOrder('22000.00');
    await s.control('POST', '/sandbox/faults', { target: 'invoice-paid', mode: 'duplicate', count: 1 });
    await s.control('POST', `/sandbox/invoices/${o.netzme.trxId}/pay`);
    await settle();
    const sent = await sandboxCallbacks(o.netzme.trxId);
    expect(sent).toHaveLength(2);
    expect(sent.every((c) => c.status === 'delivered')).toBe(true);
    expect((await history(o.id)).filter((e) => e.to === 'PAID')).toHaveLength(1);
    expect((await inbox('reference = $1', [o.netzme.invoiceId]))[0].duplicates).toBe(1);
  });

  it('an order whose create answer was lost (UNKNOWN, no ids) is paid once Netzme confirms, and learns its Netzme ids from Netzme', async () => {
    await s.control('POST', '/sandbox/faults', { target: '/api/v1.0/invoice/create-transaction', mode: 'drop', count: 1 });
    const res = await s.api('POST', '/orders', { key: CHECKOUT_KEY, body: { merchantOrderId: orderId('LOST'), amount: '23000.00' } });
    expect(res.status).toBe(202);
    expect(res.body.netzme).toEqual({ invoiceId: null, trxId: null });
    // The buyer paid anyway (e.g. from a payment page Netzme showed): the callback names our reference.
    await s.control('POST', `/sandbox/invoices/${res.body.partnerReferenceNo}/pay`);
    await settle();
    const paid = await order(res.body.id);
    expect(paid.status).toBe('PAID');
    const invoice = (await s.control('GET', '/sandbox/state')).body.invoices.find(
      (i: { partnerReferenceNo: string }) => i.partnerReferenceNo === res.body.partnerReferenceNo,
    );
    expect(paid.netzme).toEqual({ invoiceId: invoice.id, trxId: invoice.trxId });
    expect((await history(res.body.id)).map((h) => `${h.to}:${h.source}`)).toEqual(['CREATING:create', 'UNKNOWN:create', 'PAID:callback']);
  });

  it('a wrong or missing token gets 401 in Netzme format and changes nothing', async () => {
    const o = await createOrder();
    const body = await payWithoutCallback(o.netzme.trxId);
    for (const headers of [
      { 'x-callback-token': `${suite.token()}x` },
      { 'x-callback-token': '' },
      {} as Record<string, string>,
      { authorization: `Bearer ${suite.token()}` },
    ]) {
      const res = await postCallback('invoice-paid', body, headers);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ responseCode: '4010000', responseMessage: 'Unauthorized. invalid x-callback-token' });
    }
    expect((await order(o.id)).status).toBe('PENDING');
    expect(await inbox('reference = $1', [o.netzme.invoiceId])).toHaveLength(0);
    // Garbage without a token is refused before anything is read.
    const junk = await fetch(`${s.gw.url}/callbacks/netzme/invoice-paid`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":' });
    expect([400, 401]).toContain(junk.status);
    expect(await junk.json()).toHaveProperty('responseCode');
  });

  it('a tampered amount (valid token) is an anomaly: order unchanged, listed for admins, answered 200; the genuine one still applies', async () => {
    const o = await createOrder('50000.00');
    const genuine = await payWithoutCallback(o.netzme.trxId);
    const tampered = JSON.parse(genuine);
    tampered.amount.value = '500.00';
    // With its fee and net amounts left as they were, the body contradicts itself (net > amount).
    const inconsistent = await postCallback('invoice-paid', JSON.stringify(tampered));
    expect(inconsistent.status).toBe(200);
    delete tampered.netAmount;
    delete tampered.feeAmount;
    const res = await postCallback('invoice-paid', JSON.stringify(tampered));
    expect(res.status).toBe(200);
    expect(res.body.responseCode).toBe('2000000');
    await settle();
    expect((await order(o.id)).status).toBe('PENDING');
    const anomalies = (await s.api('GET', `/callbacks/anomalies?reference=${o.netzme.invoiceId}`)).body;
    expect(anomalies.items).toHaveLength(2);
    expect(anomalies.items[1].reason).toMatch(/^unreadable amount, not a payment: netAmount .* is larger than amount/);
    expect(anomalies.items[0]).toMatchObject({ kind: 'invoice-paid', status: 'anomaly', subjectId: o.id });
    expect(anomalies.items[0].reason).toMatch(/paid 50000 sen, the order is for 5000000 sen/);

    const real = await postCallback('invoice-paid', genuine);
    expect(real.status).toBe(200);
    await settle();
    expect((await order(o.id)).status).toBe('PAID');
  });

  it('a callback for an unknown order is an anomaly (answered 200 so Netzme stops retrying)', async () => {
    const body = JSON.stringify({
      originalReferenceNo: 'NETZ-INV-M_UNKNOWN0000000000000xyz',
      originalPartnerReferenceNo: '00000000-0000-4000-8000-000000000000',
      latestTransactionStatus: '00',
      transactionStatusDesc: 'Success',
      amount: { value: '1000.00', currency: 'IDR' },
      additionalInfo: { transactionId: '00000000-0000-4000-8000-000000000000', paymentMethod: 'QRIS' },
    });
    const res = await postCallback('invoice-paid', body);
    expect(res.status).toBe(200);
    await settle();
    const rows = await inbox('reference = $1', ['NETZ-INV-M_UNKNOWN0000000000000xyz']);
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('anomaly');
    expect(rows[0].reason).toMatch(/unknown invoice/);
  });

  it('a payment callback for an EXPIRED order is an anomaly, and the order stays EXPIRED', async () => {
    const o = await createOrder('9000.00');
    const body = await payWithoutCallback(o.netzme.trxId);
    await s.sql.query(`UPDATE orders SET status = 'EXPIRED' WHERE id = $1`, [o.id]);
    expect((await postCallback('invoice-paid', body)).status).toBe(200);
    await settle();
    expect((await order(o.id)).status).toBe('EXPIRED');
    const [row] = await inbox('reference = $1', [o.netzme.invoiceId]);
    expect(row.status).toBe('anomaly');
    expect(row.reason).toMatch(/order that is EXPIRED/);
  });

  it('a callback racing a poll on the same order leaves one PAID and one history entry', async () => {
    const sync = s.gw.app.get(OrderSyncService);
    for (let round = 0; round < 5; round++) {
      const o = await createOrder('31000.00');
      const body = await payWithoutCallback(o.netzme.trxId);
      await s.sql.query('UPDATE orders SET next_poll_at = now(), lease_until = NULL WHERE id = $1', [o.id]);
      const [cb] = await Promise.all([postCallback('invoice-paid', body), sync.pollDue({ limit: (fn) => fn(), batchSize: 100 })]);
      expect(cb.status).toBe(200);
      await settle();
      const paid = (await history(o.id)).filter((e) => e.to === 'PAID');
      expect(paid).toHaveLength(1);
      const [row] = await inbox('reference = $1', [o.netzme.invoiceId]);
      expect(['applied', 'duplicate']).toContain(row.status);
      expect(row.status === 'applied').toBe(paid[0].source === 'callback');
      expect((await order(o.id)).payment.paidAmount.value).toBe('31000.00');
    }
  });

  it('SNAP-signed QRIS callback (T18): a valid signature applies, a forged or tampered one gets 401 and changes nothing', async () => {
    await s.control('PUT', '/sandbox/callbacks', { auth: 'snap' });
    const o = await createOrder('17000.00');
    // Capture the signed callback instead of delivering it.
    await s.control('POST', '/sandbox/faults', { target: 'qris-paid-snap', mode: 'drop', count: 1 });
    await s.control('POST', `/sandbox/invoices/${o.netzme.trxId}/pay`);
    const [cb] = await sandboxCallbacks(o.netzme.trxId);
    expect(cb.kind).toBe('qris-paid-snap');
    const path = '/callbacks/netzme/qris-paid-snap';
    const sign = (body: string, key = s.sandbox.credentials.netzmePrivateKey) => {
      const timestamp = jakartaTimestamp();
      return {
        'x-timestamp': timestamp,
        'x-signature': signAsymmetric(key, { method: 'POST', path, body, timestamp }),
        'x-partner-id': s.sandbox.credentials.clientId,
      };
    };
    // Forged: signed with a key that is not Netzme's.
    const stranger = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const forged = await postCallback('qris-paid-snap', cb.body, sign(cb.body, stranger.privateKey));
    expect(forged.status).toBe(401);
    expect(forged.body).toEqual({ responseCode: '4010000', responseMessage: 'Unauthorized. invalid signature' });
    // Tampered: Netzme's signature over the original body, sent with another amount.
    const headers = sign(cb.body);
    const tampered = cb.body.replace('"17000.00"', '"1.00"');
    expect(tampered).not.toBe(cb.body);
    expect((await postCallback('qris-paid-snap', tampered, headers)).status).toBe(401);
    // The token scheme is not accepted on the SNAP route.
    expect((await postCallback('qris-paid-snap', cb.body)).status).toBe(401);
    expect((await order(o.id)).status).toBe('PENDING');

    // Re-formatted whitespace still verifies (the hash is over the minified body), and applies.
    const pretty = JSON.stringify(JSON.parse(cb.body), null, 2);
    const ok = await postCallback('qris-paid-snap', pretty, sign(pretty));
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ responseCode: '2000000', responseMessage: 'Successful' });
    await settle();
    const paid = await order(o.id);
    expect(paid.status).toBe('PAID');
    expect(paid.payment.rrn).toBeTruthy();
  });

  it('the sandbox delivering SNAP callbacks end to end makes the order PAID', async () => {
    await s.control('PUT', '/sandbox/callbacks', { auth: 'snap' });
    const o = await createOrder('18000.00');
    await s.control('POST', `/sandbox/invoices/${o.netzme.trxId}/pay`);
    await settle();
    const [cb] = await sandboxCallbacks(o.netzme.trxId);
    expect(cb).toMatchObject({ kind: 'qris-paid-snap', status: 'delivered' });
    expect((await order(o.id)).status).toBe('PAID');
  });

  it('when applying fails after the inbox write, the answer is still 200 and the re-apply job finishes it', async () => {
    const o = await createOrder('27000.00');
    const body = await payWithoutCallback(o.netzme.trxId);
    // The order's history table is briefly gone: the apply step fails, the inbox row survives.
    await s.sql.query('ALTER TABLE order_status_history RENAME TO order_status_history_away');
    let res;
    try {
      res = await postCallback('invoice-paid', body);
      await settle();
    } finally {
      await s.sql.query('ALTER TABLE order_status_history_away RENAME TO order_status_history');
    }
    expect(res.status).toBe(200);
    const [row] = await inbox('reference = $1', [o.netzme.invoiceId]);
    expect(row.status).toBe('failed');
    expect(row.last_error).toBeTruthy();
    expect((await order(o.id)).status).toBe('PENDING');

    await s.sql.query('UPDATE netzme_callbacks SET next_attempt_at = now() WHERE id = $1', [row.id]);
    const tick = await s.gw.app.get(CallbacksService).reapplyDue({ batchSize: 10 });
    expect(tick.processed).toBe(1);
    expect((await order(o.id)).status).toBe('PAID');
    const [after] = await inbox('id = $1', [row.id]);
    expect(after.status).toBe('applied');
    expect(after.attempts).toBe(2);
  });

  it('a repeat from Netzme finishes a failed one at once (no waiting for the job)', async () => {
    const o = await createOrder('27500.00');
    const body = await payWithoutCallback(o.netzme.trxId);
    await s.sql.query('ALTER TABLE order_status_history RENAME TO order_status_history_away');
    try {
      expect((await postCallback('invoice-paid', body)).status).toBe(200);
      await settle();
    } finally {
      await s.sql.query('ALTER TABLE order_status_history_away RENAME TO order_status_history');
    }
    expect((await order(o.id)).status).toBe('PENDING');
    expect((await postCallback('invoice-paid', body)).status).toBe(200);
    await settle();
    expect((await order(o.id)).status).toBe('PAID');
  });

  it("when the inbox write itself fails, the answer is non-200 and Netzme's retry delivers it", async () => {
    const o = await createOrder('26000.00');
    await s.sql.query('ALTER TABLE netzme_callbacks RENAME TO netzme_callbacks_away');
    let renamedBack = false;
    try {
      await s.control('POST', `/sandbox/invoices/${o.netzme.trxId}/pay`);
      // Wait for the first (failed) delivery, then let the database "come back".
      await waitFor(async () => (await sandboxCallbacks(o.netzme.trxId))[0]?.attempts.length >= 1, 5000, 'first callback attempt');
      await s.sql.query('ALTER TABLE netzme_callbacks_away RENAME TO netzme_callbacks');
      renamedBack = true;
    } finally {
      if (!renamedBack) {
        await s.sql.query('ALTER TABLE netzme_callbacks_away RENAME TO netzme_callbacks');
      }
    }
    await settle();
    const [cb] = await sandboxCallbacks(o.netzme.trxId);
    expect(cb.attempts[0].httpStatus).toBe(500);
    expect(JSON.parse(cb.attempts[0].responseBody!)).toEqual({ responseCode: '5000000', responseMessage: 'Internal Server Error' });
    expect(cb.status).toBe('delivered');
    expect((await order(o.id)).status).toBe('PAID');
    expect((await history(o.id)).filter((e) => e.to === 'PAID')).toHaveLength(1);
  });

  it('a crashed applier (row left "received") is taken over by a repeat after its lease', async () => {
    const o = await createOrder('28000.00');
    const body = await payWithoutCallback(o.netzme.trxId);
    // Simulate: stored, then the process died before applying.
    expect((await postCallback('invoice-paid', body)).status).toBe(200);
    await settle();
    const [row] = await inbox('reference = $1', [o.netzme.invoiceId]);
    await s.sql.query(`UPDATE orders SET status = 'PENDING', paid_at = NULL WHERE id = $1`, [o.id]);
    await s.sql.query(`DELETE FROM order_status_history WHERE order_id = $1 AND to_status = 'PAID'`, [o.id]);
    await s.sql.query(`UPDATE netzme_callbacks SET status = 'received', next_attempt_at = now() + interval '1 hour' WHERE id = $1`, [row.id]);
    // Within the lease a repeat is only acknowledged...
    expect((await postCallback('invoice-paid', body)).status).toBe(200);
    await settle();
    expect((await order(o.id)).status).toBe('PENDING');
    // ...after it, the repeat finishes the job.
    await s.sql.query(`UPDATE netzme_callbacks SET next_attempt_at = now() - interval '1 second' WHERE id = $1`, [row.id]);
    expect((await postCallback('invoice-paid', body)).status).toBe(200);
    await settle();
    expect((await order(o.id)).status).toBe('PAID');
  });

  it('malformed bodies get Netzme-format 400s; authentic ones naming no record are kept as anomalies and answered 200', async () => {
    const bad = await postCallback('invoice-paid', '{"originalReferenceNo": ');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ responseCode: '4000000', responseMessage: 'Invalid Request body' });
    const arr = await postCallback('invoice-paid', '[1,2,3]');
    expect(arr.status).toBe(400);
    expect(arr.body.responseCode).toBe('4000000');
    // Authentic, but names no record at all: nothing to confirm; kept for a person, Netzme stops retrying.
    const missing = await postCallback(
      'qris-paid',
      '{"latestTransactionStatus":"00","amount":{"value":"1000.00","currency":"IDR"},"additionalInfo":{"custIdMerchant":"M_NOREF"}}',
    );
    expect(missing).toEqual({ status: 200, body: { responseCode: '2000000', responseMessage: 'Successful' } });
    const [row] = await inbox(`kind = 'qris-paid' AND raw_body LIKE $1`, ['%M_NOREF%']);
    expect(row).toMatchObject({ status: 'anomaly', reason: 'malformed: originalReferenceNo is missing' });
    const text = await fetch(`${s.gw.url}/callbacks/netzme/invoice-paid`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-callback-token': suite.token() },
      body: 'hello',
    });
    expect(text.status).toBe(400);
    expect(await text.json()).toEqual({ responseCode: '4000000', responseMessage: 'Invalid Request body' });
    const unknown = await postCallback('no-such-kind', '{}');
    expect(unknown.status).toBe(404);
    expect(unknown.body.responseCode).toBe('4040000');
    const huge = await postCallback('invoice-paid', JSON.stringify({ pad: 'x'.repeat(300_000) }));
    expect(huge.status).toBe(413);
    expect(huge.body.responseCode).toBe('4130000');
  });

  it('static QRIS payments and consumer-side notifications are recorded (no owner); withdrawals go to their owner', async () => {
    const merchantId = s.sandbox.credentials.merchantId;
    const stat = await s.control('POST', `/sandbox/merchants/${merchantId}/qris-payments`, { amount: '12000.00' });
    expect(stat.status).toBe(200);
    await settle();
    const [qris] = await inbox('reference = $1', [stat.body.rrn]);
    expect(qris).toMatchObject({ kind: 'qris-paid', status: 'recorded' });

    const upgrade = await postCallback(
      'account-upgrade',
      JSON.stringify({ originalReferenceNo: 'up-1', custId: 'Mw6STUQK', additionalInfo: { type: 'cdd', status: 'approved' } }),
    );
    expect(upgrade).toEqual({ status: 200, body: { responseCode: '2000000', responseMessage: 'Successful', originalReferenceNo: 'up-1' } });
    const bill = await postCallback(
      'bill-paid',
      JSON.stringify({ latestTransactionStatus: '00', originalReferenceNo: 'bill-ref-1', additionalInfo: { type: 'payment_bill', billId: 'bill-1' } }),
    );
    expect(bill.body).toEqual({ responseCode: '2000000', responseMessage: 'Successful', additionalInfo: { originalReferenceNo: 'bill-ref-1' } });
    await settle();
    expect((await inbox('reference = $1', ['bill-1']))[0].status).toBe('recorded');
    expect((await inbox('reference = $1', ['Mw6STUQK']))[0].status).toBe('recorded');

    const wd = {
      amount: { value: '100000.00', currency: 'IDR' },
      latestTransactionStatus: '00',
      transactionStatusDesc: 'success',
      originalReferenceNo: 'wd-ref-unknown',
      originalPartnerReferenceNo: 'wd-partner-unknown',
      additionalInfo: { type: 'submit_withdraw' },
    };
    const withdrawal = await postCallback('withdrawal-status', JSON.stringify(wd));
    expect(withdrawal.body).toEqual({
      responseCode: '2000000',
      responseMessage: 'Successful',
      originalPartnerReferenceNo: 'wd-partner-unknown',
      originalReferenceNo: 'wd-ref-unknown',
      additionalInfo: { originalPartnerReferenceNo: 'wd-partner-unknown', originalReferenceNo: 'wd-ref-unknown' },
    });
    await settle();
    const [w] = await inbox('reference = $1', ['wd-partner-unknown']);
    // Routed to the withdrawal module, which does not know this reference: an anomaly for people.
    expect(w.status).toBe('anomaly');
    const weird = await postCallback(
      'withdrawal-status',
      JSON.stringify({ ...wd, originalPartnerReferenceNo: 'wd-weird', additionalInfo: { type: 'something_else' } }),
    );
    expect(weird.status).toBe(200);
    await settle();
    expect((await inbox('reference = $1', ['wd-weird']))[0]).toMatchObject({
      status: 'anomaly',
      reason: 'unknown withdrawal notification type "something_else"',
    });
  });

  it('a paid deposit top-up (an invoice that is not an order) goes to the deposit module', async () => {
    const topup = await s.api('POST', '/deposit/topups', { body: { amount: '100000.00', payMethod: 'BANK_TRANSFER' } });
    expect(topup.status).toBe(201);
    await s.control('POST', `/sandbox/invoices/${topup.body.trxId}/pay`);
    await settle();
    const [row] = await inbox('reference = $1', [topup.body.invoiceId]);
    expect(row).toMatchObject({ kind: 'invoice-paid', status: 'applied', owner: 'deposit' });
    expect((await s.api('GET', `/deposit/topups/${topup.body.id}`)).body.status).toBe('PAID');
  });

  it('admin routes: list with filters, one callback with redacted headers, re-apply (idempotent); checkout keys refused', async () => {
    const o = await createOrder('33000.00');
    await s.control('POST', `/sandbox/invoices/${o.netzme.trxId}/pay`);
    await settle();
    const list = await s.api('GET', `/callbacks?kind=invoice-paid&status=applied&reference=${o.netzme.invoiceId}`);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    const id = list.body.items[0].id;
    const one = await s.api('GET', `/callbacks/${id}`);
    expect(one.body).toMatchObject({ id, kind: 'invoice-paid', status: 'applied', owner: 'invoice', subjectId: o.id });
    expect(one.body.body.originalReferenceNo).toBe(o.netzme.invoiceId);
    expect(one.body.headers['x-callback-token']).toBe('[REDACTED]');
    expect(JSON.stringify(one.body)).not.toContain(suite.token());

    const again = await s.api('POST', `/callbacks/${id}/reapply`);
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('applied');
    expect((await history(o.id)).filter((e) => e.to === 'PAID')).toHaveLength(1);

    expect((await s.api('GET', '/callbacks', { key: CHECKOUT_KEY })).status).toBe(403);
    expect((await s.api('GET', '/callbacks', { key: null })).status).toBe(401);
    expect((await s.api('GET', '/callbacks/not-a-uuid')).status).toBe(400);
    expect((await s.api('GET', '/callbacks?status=lost')).status).toBe(400);
    expect((await s.api('POST', '/callbacks/5b0e6a4c-3f0e-4f7e-9a51-0d7f0d3c8c11/reapply')).status).toBe(404);

    // Pages: every row once.
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await s.api(
        'GET',
        `/callbacks?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      page.body.items.forEach((i) => seen.add(i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    const total = (await s.sql.query('SELECT count(*)::int AS n FROM netzme_callbacks')).rows[0].n;
    expect(seen.size).toBe(total);
    await sleep(0);
  });
});
