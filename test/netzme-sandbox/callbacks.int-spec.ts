import { minifyJson, verifyAsymmetric } from '@app/snap';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { amount, startHarness, transferBody, useHarness } from './support/harness';
import { eventually, ref } from './support/netzme-http';

/** Callbacks to the partner: payloads, auth (token / SNAP signature), retries, records, faults. */
describe('Netzme sandbox - callbacks', () => {
  const h = useHarness({ callbackRetry: { attempts: 3, backoffMs: 60 } }, { clearCallbacks: true });

  async function paidInvoice(payMethod = 'QRIS', partnerReferenceNo = ref('CB')): Promise<{ trxId: string; id: string; partnerReferenceNo: string }> {
    const created = await h.netzme.call('/api/v1.0/invoice/create-transaction', {
      custIdMerchant: h.merchantId,
      partnerReferenceNo,
      amount: amount('10000.00'),
      payMethod,
    });
    const { trxId, id } = created.body.additionalInfo;
    expect((await h.control('POST', `/sandbox/invoices/${trxId}/pay`)).status).toBe(200);
    return { trxId, id, partnerReferenceNo };
  }
  const records = async (kind: string) => ((await h.state()).callbacks as any[]).filter((c) => c.kind === kind);

  describe("the invoice payment callback (T15) as Netzme's own WooCommerce plugin reads it", () => {
    afterEach(() => h.control('PUT', '/sandbox/callbacks', { invoiceReference: 'partnerReferenceNo' }));

    it("by default carries the merchant's own partnerReferenceNo in originalPartnerReferenceNo, plus top-level id and merchant", async () => {
      expect((await h.control('GET', '/sandbox/callbacks')).body.config.invoiceReference).toBe('partnerReferenceNo');
      // The plugin's reference format: <yyyymmdd><random>-<orderId>; it splits on '-' to find its order.
      const { trxId, id, partnerReferenceNo } = await paidInvoice('BANK_TRANSFER', `20231115${Date.now() % 100000}-4242`);
      await h.flush();
      const [cb] = h.receiver.on('invoice-paid');
      const body = JSON.parse(cb.body) as Record<string, any>;
      expect(body.originalPartnerReferenceNo).toBe(partnerReferenceNo);
      expect(body.originalPartnerReferenceNo.split('-')[1]).toBe('4242');
      expect(body.id).toBe(id);
      expect(body.merchant).toBe(h.merchantId);
      expect(body.originalReferenceNo).toBe(id);
      expect(body.additionalInfo.transactionId).toBe(trxId);
      expect(body.additionalInfo.paymentTime).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      // The plugin reads netAmount.value (a decimal string).
      expect(body.netAmount).toEqual({ value: expect.stringMatching(/^\d+\.\d{2}$/), currency: 'IDR' });
    });

    it('with invoiceReference "trxId" (the doc page\'s reading) carries the trxId there instead', async () => {
      expect((await h.control('PUT', '/sandbox/callbacks', { invoiceReference: 'trxId' })).body.invoiceReference).toBe('trxId');
      const { trxId, partnerReferenceNo } = await paidInvoice('BANK_TRANSFER');
      await h.flush();
      const body = JSON.parse(h.receiver.on('invoice-paid')[0].body) as Record<string, any>;
      expect(body.originalPartnerReferenceNo).toBe(trxId);
      expect(body.originalPartnerReferenceNo).not.toBe(partnerReferenceNo);
      expect((await h.control('PUT', '/sandbox/callbacks', { invoiceReference: 'other' })).status).toBe(400);
    });
  });

  it('retries with exponential back-off until the partner answers 200, recording every attempt', async () => {
    h.receiver.answers = [500, 503];
    const { trxId } = await paidInvoice();
    await h.flush();
    const deliveries = h.receiver.on('invoice-paid');
    expect(deliveries).toHaveLength(3);
    expect(deliveries.every((d) => d.body === deliveries[0].body)).toBe(true);
    expect(deliveries[1].at - deliveries[0].at).toBeGreaterThanOrEqual(55);
    expect(deliveries[2].at - deliveries[1].at).toBeGreaterThanOrEqual(115);
    const [record] = await records('invoice-paid');
    expect(record).toMatchObject({ status: 'delivered', subject: trxId, url: `${h.receiver.url}/callbacks/netzme/invoice-paid` });
    expect(record.attempts.map((a: any) => a.httpStatus)).toEqual([500, 503, 200]);
    expect(record.attempts[0].responseBody).toContain('nope');
    expect(record.attempts[2].responseBody).toContain('2000000');
  });

  it('gives up after the configured attempts and marks the callback failed', async () => {
    h.receiver.answers = [500, 500, 500, 500];
    await paidInvoice();
    await h.flush();
    expect(h.receiver.on('invoice-paid')).toHaveLength(3);
    const [record] = await records('invoice-paid');
    expect(record.status).toBe('failed');
    expect(record.attempts).toHaveLength(3);
  });

  it('treats any answer but 200 as a failure (201 is retried)', async () => {
    h.receiver.answers = [201];
    await paidInvoice();
    await h.flush();
    const [record] = await records('invoice-paid');
    expect(record.attempts.map((a: any) => a.httpStatus)).toEqual([201, 200]);
    expect(record.attempts[0].error).toContain('expects 200');
  });

  it('records connection errors when the partner is down', async () => {
    await h.control('PUT', '/sandbox/callbacks', { urls: { 'invoice-paid': 'http://127.0.0.1:9/unreachable' } });
    await paidInvoice();
    await h.flush();
    const [record] = await records('invoice-paid');
    expect(record.status).toBe('failed');
    expect(record.url).toBe('http://127.0.0.1:9/unreachable');
    expect(record.attempts).toHaveLength(3);
    expect(record.attempts[0].httpStatus).toBeUndefined();
    expect(record.attempts[0].error).toMatch(/fetch failed|ECONNREFUSED/);
  });

  it('records but does not send callbacks when no URL is configured', async () => {
    await h.control('PUT', '/sandbox/callbacks', { baseUrl: null });
    await paidInvoice();
    const [record] = await records('invoice-paid');
    expect(record.status).toBe('not-configured');
    expect(h.receiver.received).toHaveLength(0);
  });

  it("sends QRIS payments SNAP-signed (qris-paid-snap) when the client's callback auth is snap", async () => {
    const config = await h.control('PUT', '/sandbox/callbacks', { auth: 'snap' });
    expect(config.body.auth[h.sandbox.credentials.clientId]).toBe('snap');
    const { trxId, id } = await paidInvoice('QRIS');
    await paidInvoice('BANK_TRANSFER');
    await h.flush();

    expect(h.receiver.on('invoice-paid')).toHaveLength(1); // the bank transfer, token-authenticated
    expect(h.receiver.on('invoice-paid')[0].headers['x-callback-token']).toBe(h.sandbox.credentials.callbackToken);
    const [snap] = h.receiver.on('qris-paid-snap');
    expect(snap.headers['x-callback-token']).toBeUndefined();
    expect(snap.headers['x-partner-id']).toBe(h.sandbox.credentials.clientId);
    const timestamp = snap.headers['x-timestamp'] as string;
    expect(timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);

    // Verify independently: SHA256withRSA over POST:<relative path>:<sha256 hex of minified body>:<timestamp>.
    const stringToSign = `POST:/callbacks/netzme/qris-paid-snap:${createHash('sha256').update(minifyJson(snap.body)).digest('hex')}:${timestamp}`;
    const publicKey = createPublicKey(h.sandbox.credentials.netzmePublicKey);
    expect(verify('sha256', Buffer.from(stringToSign), publicKey, Buffer.from(snap.headers['x-signature'] as string, 'base64'))).toBe(true);
    expect(
      verifyAsymmetric(
        h.sandbox.credentials.netzmePublicKey,
        { method: 'POST', path: '/callbacks/netzme/qris-paid-snap', body: snap.body, timestamp },
        snap.headers['x-signature'] as string,
      ),
    ).toBe(true);
    // A tampered body does not verify.
    expect(
      verifyAsymmetric(
        h.sandbox.credentials.netzmePublicKey,
        { method: 'POST', path: '/callbacks/netzme/qris-paid-snap', body: snap.body.replace('10000.00', '99999.00'), timestamp },
        snap.headers['x-signature'] as string,
      ),
    ).toBe(false);

    expect(snap.json).toMatchObject({
      amount: amount('10000.00'),
      netAmount: amount('9930.00'),
      feeAmount: amount('70.00'),
      latestTransactionStatus: '00',
      additionalInfo: { invoiceNumber: id, transactionId: trxId, type: 'qr_type_qris_dynamic' },
    });
    expect(snap.json.originalReferenceNo).toMatch(/^\d{12}$/);
  });

  it('startSandbox({ callbackAuth: "snap" }) selects SNAP callbacks from the start', async () => {
    const snapHarness = await startHarness({ callbackAuth: 'snap' });
    try {
      await snapHarness.control('POST', `/sandbox/merchants/${snapHarness.merchantId}/qris-payments`, { amount: '1000.00' });
      await snapHarness.flush();
      expect(snapHarness.receiver.on('qris-paid-snap')).toHaveLength(1);
      expect(snapHarness.receiver.on('qris-paid')).toHaveLength(0);
    } finally {
      await snapHarness.close();
    }
  });

  describe('callback faults', () => {
    it('drop: not sent, recorded as dropped', async () => {
      await h.control('POST', '/sandbox/faults', { target: 'invoice-paid', mode: 'drop' });
      await paidInvoice();
      await paidInvoice();
      await h.flush();
      expect(h.receiver.on('invoice-paid')).toHaveLength(1); // count 1: only the first is lost
      const recs = await records('invoice-paid');
      expect(recs.map((r: any) => r.status)).toEqual(['dropped', 'delivered']);
      expect(recs[0].attempts).toHaveLength(0);
      expect(recs[0].fault).toMatchObject({ mode: 'drop' });
    });

    it('duplicate: the same callback arrives twice at the same moment', async () => {
      await h.control('POST', '/sandbox/faults', { target: 'invoice-paid', mode: 'duplicate' });
      await paidInvoice();
      await h.flush();
      const got = h.receiver.on('invoice-paid');
      expect(got).toHaveLength(2);
      expect(got[0].body).toBe(got[1].body);
      // Sent together (the records below say which is the duplicate); the bound leaves room for a loaded machine.
      expect(Math.abs(got[1].at - got[0].at)).toBeLessThan(1000);
      const recs = await records('invoice-paid');
      expect(recs[1].duplicateOf).toBe(recs[0].id);
    });

    it('delay: sent after delayMs', async () => {
      await h.control('POST', '/sandbox/faults', { target: 'withdrawal-status', mode: 'delay', delayMs: 400 });
      const wd = await h.netzme.call('/api/v1.0/emoney/transfer-bank', transferBody(h, ref('WD'), '1000.00'));
      const started = Date.now();
      await h.control('POST', `/sandbox/withdrawals/${wd.body.referenceNo}/complete`, { status: 'success' });
      // Its arrival time proves it was held back (a "nothing yet after 200 ms" look would race the control call's own answer).
      const [cb] = await eventually(async () => h.receiver.on('withdrawal-status').length > 0 && h.receiver.on('withdrawal-status'));
      expect(cb.at - started).toBeGreaterThanOrEqual(390);
    });

    it('error: the first attempt counts as failed without reaching the partner, the retry delivers', async () => {
      await h.control('POST', '/sandbox/faults', { target: 'invoice-paid', mode: 'error' });
      await paidInvoice();
      await h.flush();
      expect(h.receiver.on('invoice-paid')).toHaveLength(1);
      const [record] = await records('invoice-paid');
      expect(record.status).toBe('delivered');
      expect(record.attempts.map((a: any) => [a.fault ?? null, a.httpStatus ?? null])).toEqual([
        ['error', null],
        [null, 200],
      ]);
    });

    it('timeout: the first attempt reaches the partner but its answer is ignored, so the partner sees it twice', async () => {
      await h.control('POST', '/sandbox/faults', { target: 'invoice-paid', mode: 'timeout' });
      await paidInvoice();
      await h.flush();
      expect(h.receiver.on('invoice-paid')).toHaveLength(2);
      const [record] = await records('invoice-paid');
      expect(record.attempts.map((a: any) => a.fault ?? null)).toEqual(['timeout', null]);
      expect(record.status).toBe('delivered');
    });
  });
});
