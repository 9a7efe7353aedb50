import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DEPOSIT_SPLIT_FEE_RESOLVE_JOB, DEPOSIT_WITHDRAWAL_STATUS_POLL_JOB, DepositService } from '../../apps/gateway/src/deposit/deposit.service';
import { OrderSyncService } from '../../apps/gateway/src/invoice';
import { paymentEvent, withdrawalEvent } from '../support/callback-events';
import { sandboxState } from '../support/sandbox';
import { addFault, api, balancesOf, PayoutWorld, resetWorld, sandboxControl, startPayoutWorld, waitForStatus } from '../withdrawal/support';

/** Top-ups are invoices: the invoice engine's one poller brings them forward. */
const INVOICE_POLL_JOB = 'order-status-poll';

/**
 * The prepaid deposit end to end against the sandbox: balance, history, top-ups (paid by
 * notification and by polling, expired) and deposit withdrawals on the shared payout engine.
 * The sandbox's merchant starts with a 500,000.00 IDR deposit; the deposit minimum is 50,000.00.
 */
describe('Deposit with the sandbox - /deposit', () => {
  let world: PayoutWorld;
  const merchantId = () => world.sandbox.credentials.merchantId;
  const deposit = async () => balancesOf(await sandboxState(world.sandbox), merchantId()).depositBalance;
  const withdraw = (amount: string, key = randomUUID(), pin = '123456') =>
    api(world.gw, 'POST', '/deposit/withdrawals', { amount, pin }, { 'Idempotency-Key': key });

  beforeAll(async () => {
    world = await startPayoutWorld();
  });

  afterAll(async () => {
    await world?.close();
  });

  beforeEach(async () => {
    await resetWorld(world);
  });

  describe('balance and history', () => {
    it('GET /deposit/balance reads the deposit from Netzme', async () => {
      const res = await api(world.gw, 'GET', '/deposit/balance');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        balance: { value: '500000.00', currency: 'IDR' },
        balances: [{ type: 'totalBalance', amount: { value: '500000.00', currency: 'IDR' } }],
      });
    });

    it('GET /deposit/transactions lists the movements, and refuses a bad range', async () => {
      const topup = await api(world.gw, 'POST', '/deposit/topups', { amount: '25000.00' });
      expect(topup.status).toBe(201);
      expect((await sandboxControl(world.sandbox, 'POST', `/sandbox/invoices/${topup.body.trxId}/pay`, {})).status).toBe(200);
      const res = await api(world.gw, 'GET', '/deposit/transactions');
      expect(res.status).toBe(200);
      expect(res.body.page).toBe(1);
      expect(res.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'TOP_UP', amount: { value: '25000.00', currency: 'IDR' } })]));
      const bad = await api(world.gw, 'GET', '/deposit/transactions?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z');
      expect(bad.status).toBe(400);
      expect((await api(world.gw, 'GET', '/deposit/transactions?from=last-week')).status).toBe(400);
    });
  });

  describe('top-ups', () => {
    it('creates a QRIS top-up, and the payment notification makes it PAID and raises the deposit', async () => {
      const res = await api(world.gw, 'POST', '/deposit/topups', { amount: '100000.00' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        status: 'PENDING',
        payMethod: 'QRIS',
        amount: { value: '100000.00', currency: 'IDR' },
        trxId: expect.any(String),
        invoiceId: expect.any(String),
      });
      expect(res.body.qrContent).toMatch(/^000201/);
      expect(res.body.qrImage).toMatch(/^data:image\/png;base64,/);
      const invoice = ((await sandboxState(world.sandbox)) as any).invoices.find((i: any) => i.trxId === res.body.trxId);
      expect(invoice).toMatchObject({ apiSource: 'topup_deposit', partnerReferenceNo: res.body.partnerReferenceNo });

      await sandboxControl(world.sandbox, 'POST', `/sandbox/invoices/${res.body.trxId}/pay`, {});
      const paid = await waitForStatus(world.gw, `/deposit/topups/${res.body.id}`, 'PAID');
      expect(paid.paidAt).not.toBeNull();
      expect(await deposit()).toBe('600000.00');
    });

    it('is PAID through polling when the notification is dropped', async () => {
      await addFault(world.sandbox, { target: 'invoice-paid', mode: 'drop' });
      const res = await api(world.gw, 'POST', '/deposit/topups', { amount: '70000.00', payMethod: 'BANK_TRANSFER' });
      expect(res.body.virtualAccounts).toEqual(
        expect.arrayContaining([expect.objectContaining({ bankCode: expect.any(String), virtualAccountNo: expect.any(String) })]),
      );
      await sandboxControl(world.sandbox, 'POST', `/sandbox/invoices/${res.body.partnerReferenceNo}/pay`, {});
      await sandboxControl(world.sandbox, 'POST', '/sandbox/callbacks/flush');
      expect((await api(world.gw, 'GET', `/deposit/topups/${res.body.id}`)).body.status).toBe('PENDING');
      await world.gw.app.get(DataSource).query(`UPDATE orders SET next_poll_at = now(), lease_until = NULL WHERE purpose = 'DEPOSIT_TOPUP'`);
      await waitForStatus(world.gw, `/deposit/topups/${res.body.id}`, 'PAID', { job: INVOICE_POLL_JOB });
    });

    it('becomes EXPIRED when Netzme closes the invoice unpaid', async () => {
      const res = await api(world.gw, 'POST', '/deposit/topups', { amount: '10000.00', expiresInSeconds: 600 });
      await sandboxControl(world.sandbox, 'POST', `/sandbox/invoices/${res.body.trxId}/expire`);
      await world.gw.app.get(DataSource).query(`UPDATE orders SET next_poll_at = now(), lease_until = NULL WHERE purpose = 'DEPOSIT_TOPUP'`);
      await waitForStatus(world.gw, `/deposit/topups/${res.body.id}`, 'EXPIRED', { job: INVOICE_POLL_JOB });
    });

    it('a lost create answer leaves the top-up UNKNOWN (202); once its expiry passes unseen, polling expires it', async () => {
      await addFault(world.sandbox, { target: '/api/v1.0/invoice/create-transaction', mode: 'timeout', delayMs: 6000 });
      const res = await api(world.gw, 'POST', '/deposit/topups', { amount: '30000.00', expiresInSeconds: 60 });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ status: 'UNKNOWN', trxId: null, qrContent: null });
      const db = world.gw.app.get(DataSource);
      // Its time runs from creation while Netzme's answer is missing: move the creation back past expiry and grace.
      await db.query(`UPDATE orders SET created_at = now() - interval '1 day', next_poll_at = now(), lease_until = NULL WHERE purpose = 'DEPOSIT_TOPUP'`);
      await waitForStatus(world.gw, `/deposit/topups/${res.body.id}`, 'EXPIRED', { job: INVOICE_POLL_JOB });
    });

    it('one invoice engine: a top-up whose create answer was lost is re-sent by the invoice poller with its SAME reference and becomes PENDING (one invoice at Netzme)', async () => {
      await addFault(world.sandbox, { target: '/api/v1.0/invoice/create-transaction', mode: 'timeout', delayMs: 6000, count: 1 });
      const res = await api(world.gw, 'POST', '/deposit/topups', { amount: '31000.00' });
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ status: 'UNKNOWN', trxId: null });
      await world.gw.app.get(DataSource).query(`UPDATE orders SET next_poll_at = now(), lease_until = NULL WHERE id = $1`, [res.body.id]);
      const pending = await waitForStatus(world.gw, `/deposit/topups/${res.body.id}`, 'PENDING', { job: INVOICE_POLL_JOB });
      expect(pending).toMatchObject({
        partnerReferenceNo: res.body.partnerReferenceNo,
        trxId: expect.any(String),
        amount: { value: '31000.00', currency: 'IDR' },
      });
      const invoices = ((await sandboxState(world.sandbox)) as any).invoices.filter((i: any) => i.partnerReferenceNo === res.body.partnerReferenceNo);
      expect(invoices).toHaveLength(1);
      expect(invoices[0]).toMatchObject({ apiSource: 'topup_deposit', trxId: pending.trxId });
      // A top-up is never an order: it stays out of /orders.
      expect((await api(world.gw, 'GET', `/orders/${res.body.id}`)).status).toBe(404);
    });

    it('replays the same Idempotency-Key and refuses it with a different body', async () => {
      const key = randomUUID();
      const first = await api(world.gw, 'POST', '/deposit/topups', { amount: '10000.00' }, { 'Idempotency-Key': key });
      const again = await api(world.gw, 'POST', '/deposit/topups', { amount: '10000.00' }, { 'Idempotency-Key': key });
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(first.body.id);
      const other = await api(world.gw, 'POST', '/deposit/topups', { amount: '20000.00' }, { 'Idempotency-Key': key });
      expect(other.status).toBe(409);
      expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(((await sandboxState(world.sandbox)) as any).invoices).toHaveLength(1);

      const parallelKey = randomUUID();
      const parallel = await Promise.all(
        Array.from({ length: 5 }, () => api(world.gw, 'POST', '/deposit/topups', { amount: '11000.00' }, { 'Idempotency-Key': parallelKey })),
      );
      expect(new Set(parallel.map((r) => r.body.id)).size).toBe(1);
      expect(((await sandboxState(world.sandbox)) as any).invoices).toHaveLength(2);
    });

    it('refuses malformed top-ups with 400', async () => {
      for (const body of [
        { amount: 100000 },
        { amount: '-1.00' },
        { amount: '0' },
        { amount: '10.00', payMethod: 'CASH' },
        { amount: '10.00', expiresInSeconds: 5 },
        { amount: '10.00', extra: true },
      ]) {
        const res = await api(world.gw, 'POST', '/deposit/topups', body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
      }
      expect((await api(world.gw, 'GET', '/deposit/topups/not-an-id')).status).toBe(400);
      expect((await api(world.gw, 'GET', `/deposit/topups/${randomUUID()}`)).status).toBe(404);
    });

    // Top-up payments arrive through the invoice engine's one payment entry point, as order payments do (a typed event, read by the callback parser).
    const confirm = (body: string | Record<string, unknown>) =>
      world.gw.app.get(OrderSyncService).confirmPaymentNotification(paymentEvent(body), { callbackId: randomUUID() });

    it('the invoice payment entry point says not-mine for an invoice that is not a top-up of ours', async () => {
      expect(
        await confirm({
          originalReferenceNo: 'NETZ-INV-OTHER',
          originalPartnerReferenceNo: randomUUID(),
          latestTransactionStatus: '00',
          amount: { value: '1.00', currency: 'IDR' },
        }),
      ).toMatchObject({ outcome: 'not-mine' });
      const topup = await api(world.gw, 'POST', '/deposit/topups', { amount: '15000.00' });
      const wrong = await confirm({
        originalReferenceNo: topup.body.invoiceId,
        originalPartnerReferenceNo: topup.body.trxId,
        latestTransactionStatus: '00',
        amount: { value: '15.00', currency: 'IDR' },
      });
      expect(wrong.outcome).toBe('anomaly');
      expect((await api(world.gw, 'GET', `/deposit/topups/${topup.body.id}`)).body).toMatchObject({
        status: 'PENDING',
        anomaly: expect.stringMatching(/paid 1500 sen, the top-up is for 1500000 sen/),
      });
    });

    it('a payment notification with the right ids but no payment at Netzme leaves the top-up PENDING (confirm before trust)', async () => {
      const topup = await api(world.gw, 'POST', '/deposit/topups', { amount: '16000.00' });
      // Literal body as a forger with the callback token would send it; Netzme has no payment for it.
      const forged = `{"originalReferenceNo":"${topup.body.invoiceId}","originalPartnerReferenceNo":"${topup.body.trxId}","latestTransactionStatus":"00","amount":{"value":"16000.00","currency":"IDR"}}`;
      expect(await confirm(forged)).toMatchObject({ outcome: 'anomaly', reason: expect.stringMatching(/^not confirmed: Netzme shows the invoice unpaid/) });
      expect((await api(world.gw, 'GET', `/deposit/topups/${topup.body.id}`)).body.status).toBe('PENDING');
      // Once Netzme has the payment (its callback lost), the same notification without any amount is confirmed.
      await addFault(world.sandbox, { target: 'invoice-paid', mode: 'drop' });
      expect((await sandboxControl(world.sandbox, 'POST', `/sandbox/invoices/${topup.body.trxId}/pay`, {})).status).toBe(200);
      const noAmount = `{"originalReferenceNo":"${topup.body.invoiceId}","latestTransactionStatus":"00"}`;
      expect(await confirm(noAmount)).toMatchObject({ outcome: 'applied' });
      expect((await api(world.gw, 'GET', `/deposit/topups/${topup.body.id}`)).body.status).toBe('PAID');
    });
  });

  it('documents every deposit route in Swagger with a description and error responses', async () => {
    const doc = (await (await fetch(`${world.gw.url}/docs-json`)).json()) as {
      paths: Record<string, Record<string, { description?: string; responses: Record<string, unknown> }>>;
    };
    for (const path of [
      '/deposit/balance',
      '/deposit/transactions',
      '/deposit/topups',
      '/deposit/topups/{id}',
      '/deposit/split-fees',
      '/deposit/split-fees/{id}',
      '/deposit/withdrawals/inquiry',
      '/deposit/withdrawals',
      '/deposit/withdrawals/{id}',
    ]) {
      const ops = Object.values(doc.paths[path] ?? {});
      expect({ path, described: ops.length > 0 && ops.every((op) => !!op.description) }).toEqual({ path, described: true });
    }
    expect(Object.keys(doc.paths['/deposit/withdrawals'].post.responses)).toEqual(expect.arrayContaining(['201', '202', '400', '409', '422', '502']));
  });

  describe('split fees', () => {
    const sale = (extra: Record<string, unknown> = {}) => ({
      amount: '150000.00',
      feeAmount: '1050.00',
      sku: 'SKU-001',
      productName: 'Kopi Susu 1L',
      payMethod: 'BANK_TRANSFER',
      bankName: 'BCA',
      ...extra,
    });
    const splitFee = (body: Record<string, unknown>, key = randomUUID()) => api(world.gw, 'POST', '/deposit/split-fees', body, { 'Idempotency-Key': key });
    const ledger = async (type: string) => (((await sandboxState(world.sandbox)) as any).depositTransactions as any[]).filter((e) => e.type === type);

    it('deducts the fee once; replays by key; refuses a reused key or sale reference', async () => {
      const key = randomUUID();
      const res = await splitFee(sale({ partnerReferenceNo: 'SALE-0001' }), key);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'DEDUCTED', partnerReferenceNo: 'SALE-0001', feeAmount: { value: '1050.00', currency: 'IDR' } });
      expect(await deposit()).toBe('498950.00');
      expect((await splitFee(sale({ partnerReferenceNo: 'SALE-0001' }), key)).status).toBe(200);
      expect((await splitFee(sale({ partnerReferenceNo: 'SALE-0001', feeAmount: '2000.00' }), key)).body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect((await splitFee(sale({ partnerReferenceNo: 'SALE-0001' }))).body.code).toBe('SPLIT_FEE_REFERENCE_USED');
      expect(await ledger('SPLIT_FEE')).toHaveLength(1);
      expect((await api(world.gw, 'GET', `/deposit/split-fees/${res.body.id}`)).body.status).toBe('DEDUCTED');
    });

    it('fails when the deposit is too low, and refuses bad input with 400', async () => {
      const res = await splitFee(sale({ amount: '900000.00', feeAmount: '600000.00' }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'FAILED', failureReason: expect.stringMatching(/Insufficient Funds/) });
      expect(await deposit()).toBe('500000.00');
      expect((await splitFee(sale({ feeAmount: '150000.01' }))).body.code).toBe('INVALID_FEE');
      expect((await api(world.gw, 'POST', '/deposit/split-fees', sale())).body.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
      expect((await splitFee(sale({ feeAmount: 1050 }))).status).toBe(400);
    });

    it.each([
      ['timeout after Netzme processed it', 'timeout'],
      ['a 5xx before Netzme processed it', 'error'],
    ])('%s: UNKNOWN, then the same reference is re-sent and the fee is deducted exactly once', async (_label, mode) => {
      await addFault(world.sandbox, { target: '/api/v1.0/merchant/payment-notif', mode, delayMs: 6000 });
      const res = await splitFee(sale());
      expect(res.status).toBe(202);
      expect(res.body.status).toBe('UNKNOWN');
      await world.gw.app.get(DataSource).query(`UPDATE deposit_split_fees SET next_check_at = now()`);
      const done = await waitForStatus(world.gw, `/deposit/split-fees/${res.body.id}`, 'DEDUCTED', { job: DEPOSIT_SPLIT_FEE_RESOLVE_JOB });
      expect(done.submitAttempts).toBe(2);
      expect(await ledger('SPLIT_FEE')).toHaveLength(1);
      expect(await deposit()).toBe('498950.00');
    });
  });

  describe('withdrawals', () => {
    it('POST /deposit/withdrawals/inquiry returns the deposit payout account, withdrawable amount and minimum', async () => {
      const res = await api(world.gw, 'POST', '/deposit/withdrawals/inquiry');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ withdrawable: { value: '500000.00' }, minimum: { value: '50000.00' }, allowed: true });
    });

    it('withdraws with our own referenceNo and succeeds through the notification', async () => {
      const res = await withdraw('60000.00');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'PROCESSING', referenceNo: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      const transfer = ((await sandboxState(world.sandbox)) as any).transfers[0];
      expect(transfer).toMatchObject({ kind: 'deposit', referenceNo: res.body.referenceNo, partnerReferenceNo: res.body.partnerReferenceNo });
      expect(await deposit()).toBe('440000.00');
      await sandboxControl(world.sandbox, 'POST', `/sandbox/withdrawals/${res.body.referenceNo}/complete`, { status: 'success' });
      const done = await waitForStatus(world.gw, `/deposit/withdrawals/${res.body.id}`, 'SUCCEEDED');
      expect(done.events.find((e: any) => e.toStatus === 'SUCCEEDED')).toMatchObject({ source: 'callback' });
    });

    it('a timeout on Withdraw Deposit ends SUCCEEDED through polling with exactly one transfer', async () => {
      await addFault(world.sandbox, { target: '/api/v1.0/emoney/transfer-bank/deposit', mode: 'timeout', delayMs: 6000 });
      await addFault(world.sandbox, { target: 'withdrawal-status', mode: 'drop' });
      const res = await withdraw('50000.00');
      expect(res.status).toBe(202);
      expect(res.body.status).toBe('UNKNOWN');
      expect(res.body.referenceNo).toEqual(expect.any(String)); // ours, known before the call
      await waitForStatus(world.gw, `/deposit/withdrawals/${res.body.id}`, 'PROCESSING', { job: DEPOSIT_WITHDRAWAL_STATUS_POLL_JOB });
      await sandboxControl(world.sandbox, 'POST', `/sandbox/withdrawals/${res.body.referenceNo}/complete`, { status: 'success' });
      await waitForStatus(world.gw, `/deposit/withdrawals/${res.body.id}`, 'SUCCEEDED', { job: DEPOSIT_WITHDRAWAL_STATUS_POLL_JOB });
      const state = (await sandboxState(world.sandbox)) as any;
      expect(state.transfers).toHaveLength(1);
      expect(state.acceptedByPartnerReferenceNo[res.body.partnerReferenceNo]).toBe(1);
      expect(balancesOf(state, merchantId()).depositBalance).toBe('450000.00');
    });

    it('a failed deposit withdrawal gives the money back', async () => {
      const res = await withdraw('100000.00');
      await sandboxControl(world.sandbox, 'POST', `/sandbox/withdrawals/${res.body.referenceNo}/complete`, { status: 'failed' });
      await waitForStatus(world.gw, `/deposit/withdrawals/${res.body.id}`, 'FAILED', { job: DEPOSIT_WITHDRAWAL_STATUS_POLL_JOB });
      expect(await deposit()).toBe('500000.00');
    });

    it('keeps the safety rules: Idempotency-Key required, one in flight, limits, replay', async () => {
      const missing = await api(world.gw, 'POST', '/deposit/withdrawals', { amount: '60000.00', pin: '123456' });
      expect(missing.status).toBe(400);
      expect(missing.body.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
      const below = await withdraw('49999.99');
      expect(below.status).toBe(422);
      expect(below.body.code).toBe('AMOUNT_BELOW_MINIMUM');
      const above = await withdraw('500000.01');
      expect(above.body.code).toBe('AMOUNT_ABOVE_WITHDRAWABLE');
      const badPin = await withdraw('60000.00', randomUUID(), '12345');
      expect(badPin.status).toBe(400);

      const key = randomUUID();
      const first = await withdraw('60000.00', key);
      expect(first.status).toBe(201);
      expect((await withdraw('60000.00', key)).body.id).toBe(first.body.id);
      expect((await withdraw('70000.00')).body.code).toBe('WITHDRAWAL_IN_FLIGHT');
      // a merchant-balance withdrawal is a different kind: allowed at the same time
      const merchant = await api(world.gw, 'POST', '/withdrawals', { amount: '1000.00', pin: '123456' }, { 'Idempotency-Key': randomUUID() });
      expect(merchant.status).toBe(201);
      // and the kinds do not see each other's ids
      expect((await api(world.gw, 'GET', `/deposit/withdrawals/${merchant.body.id}`)).status).toBe(404);
      expect((await api(world.gw, 'GET', `/withdrawals/${first.body.id}`)).status).toBe(404);
      expect((await api(world.gw, 'GET', '/deposit/withdrawals')).body.items.map((w: any) => w.id)).toEqual([first.body.id]);
    });

    it('routes notifications by type: a merchant notification is not-mine for the deposit and vice versa', async () => {
      const res = await withdraw('60000.00');
      const service = world.gw.app.get(DepositService);
      const payload = {
        originalPartnerReferenceNo: res.body.partnerReferenceNo,
        originalReferenceNo: res.body.referenceNo,
        latestTransactionStatus: '00',
        amount: { value: '60000.00', currency: 'IDR' },
      };
      expect(await service.applyWithdrawalNotification(withdrawalEvent({ ...payload, additionalInfo: { type: 'submit_withdraw' } }))).toMatchObject({
        outcome: 'not-mine',
      });
      // Netzme has not finished the transfer: a "success" notification is not confirmed and changes nothing.
      expect(await service.applyWithdrawalNotification(withdrawalEvent({ ...payload, additionalInfo: { type: 'submit_withdraw_deposit' } }))).toMatchObject({
        outcome: 'anomaly',
        reason: expect.stringMatching(/the notification said succeeded, Netzme's status call says pending/),
      });
      expect((await api(world.gw, 'GET', `/deposit/withdrawals/${res.body.id}`)).body.status).not.toBe('SUCCEEDED');
      await addFault(world.sandbox, { target: 'withdrawal-status', mode: 'drop' });
      expect((await sandboxControl(world.sandbox, 'POST', `/sandbox/withdrawals/${res.body.referenceNo}/complete`, { status: 'success' })).status).toBeLessThan(
        300,
      );
      expect(await service.applyWithdrawalNotification(withdrawalEvent({ ...payload, additionalInfo: { type: 'submit_withdraw_deposit' } }))).toMatchObject({
        outcome: 'applied',
      });
      expect(await service.applyWithdrawalNotification(withdrawalEvent({ ...payload, additionalInfo: { type: 'submit_withdraw_deposit' } }))).toMatchObject({
        outcome: 'duplicate',
      });
    });
  });
});
