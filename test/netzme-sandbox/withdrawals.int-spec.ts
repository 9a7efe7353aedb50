import { hashPin } from '@app/snap';
import { amount, merchantPinHash, startHarness, transferBody, useHarness } from './support/harness';
import { eventually, ref } from './support/netzme-http';

/** Withdrawals (T8, T27, T9), deposit withdrawals (T22–T24), PIN (T3, T4), deposit (T20, T25, T26). */
describe('Netzme sandbox - withdrawals, PIN and deposit', () => {
  const h = useHarness({}, { clearCallbacks: true });
  let pinHash: string;

  beforeAll(() => {
    pinHash = merchantPinHash(h);
  });
  beforeEach(async () => {
    await h.control('PUT', `/sandbox/merchants/${h.merchantId}/balances`, {
      totalBalance: '1500000.00',
      settledBalance: '1000000.00',
      depositBalance: '500000.00',
    });
  });

  const inquiry = (path = '/api/v1.0/emoney/bank-account-inquiry') =>
    h.netzme.call(path, { custIdMerchant: h.merchantId, partnerReferenceNo: ref('WDI'), additionalInfo: { type: 'withdraw_inquiry' } });
  const withdraw = (overrides: Record<string, unknown> = {}, path = '/api/v1.0/emoney/transfer-bank') =>
    h.netzme.call(path, transferBody(h, ref('WD'), '250000.00', overrides));
  const information = (referenceNo: string, path = '/api/v1.0/debit/status') => h.netzme.call(path, { referenceNo, partnerReferenceNo: ref('WDS') });
  const balances = async () => (await h.state()).balances[h.merchantId];

  it('T8 inquiry: the payout account and the settled balance as withdrawable amount', async () => {
    const answer = await inquiry();
    expect(answer.body).toMatchObject({
      responseCode: '2004200',
      beneficiaryAccountName: 'Warung Sandbox',
      beneficiaryAccountNumber: '2288996060',
      beneficiaryBankName: 'BTPN SYARIAH',
      beneficiaryBankCode: '547',
      amount: amount('1000000.00'),
      additionalInfo: { amountAllowed: true, minimumWithdrawalAmount: amount('0.00') },
    });
  });

  it('PROCESSING (03) -> SUCCESS (00): debited once, notified with withdrawal-status (T19)', async () => {
    const accepted = await withdraw({ partnerReferenceNo: 'WD-OK-1' });
    expect(accepted.body).toMatchObject({
      responseCode: '2004300',
      partnerReferenceNo: 'WD-OK-1',
      amount: amount('250000.00'),
      additionalInfo: { type: 'submit_withdraw', latestTransactionStatus: '03' },
    });
    const referenceNo = accepted.body.referenceNo;
    expect(await balances()).toMatchObject({ settledBalance: '750000.00', totalBalance: '1250000.00' });
    expect((await inquiry()).body.amount).toEqual(amount('750000.00'));

    let info = await information(referenceNo);
    expect(info.body).toMatchObject({
      responseCode: '2005500',
      originalReferenceNo: referenceNo,
      originalPartnerReferenceNo: 'WD-OK-1',
      latestTransactionStatus: '03',
      amount: amount('250000.00'),
    });
    expect(h.receiver.on('withdrawal-status')).toHaveLength(0);

    const done = await h.control('POST', `/sandbox/withdrawals/${referenceNo}/complete`, { status: 'success' });
    expect(done.body).toMatchObject({ status: 'SUCCESS' });
    info = await information(referenceNo);
    expect(info.body).toMatchObject({ latestTransactionStatus: '00', transactionStatusDesc: 'success' });
    expect(await balances()).toMatchObject({ settledBalance: '750000.00', totalBalance: '1250000.00' });

    const [cb] = await eventually(async () => h.receiver.on('withdrawal-status').length > 0 && h.receiver.on('withdrawal-status'));
    expect(cb.headers['x-callback-token']).toBe(h.sandbox.credentials.callbackToken);
    expect(cb.json).toEqual({
      amount: amount('250000.00'),
      latestTransactionStatus: '00',
      transactionStatusDesc: 'success',
      originalReferenceNo: referenceNo,
      originalPartnerReferenceNo: 'WD-OK-1',
      additionalInfo: { type: 'submit_withdraw' },
    });
    // Terminal: cannot complete twice.
    expect((await h.control('POST', `/sandbox/withdrawals/${referenceNo}/complete`, { status: 'failed' })).status).toBe(409);
    const state = await h.state();
    expect(state.statusQueries.withdrawals[referenceNo]).toBe(2);
    expect(state.transfers).toEqual([expect.objectContaining({ partnerReferenceNo: 'WD-OK-1', status: 'SUCCESS', accepted: 1, duplicatesRefused: 0 })]);
  });

  it('PROCESSING -> FAILED (06): the money comes back, and the notification says failed', async () => {
    const accepted = await withdraw({ partnerReferenceNo: 'WD-FAIL-1' });
    await h.control('POST', '/sandbox/withdrawals/WD-FAIL-1/complete', { status: 'failed' });
    expect(await balances()).toMatchObject({ settledBalance: '1000000.00', totalBalance: '1500000.00' });
    expect((await information(accepted.body.referenceNo)).body).toMatchObject({ latestTransactionStatus: '06', transactionStatusDesc: 'failed' });
    const [cb] = await eventually(async () => h.receiver.on('withdrawal-status').length > 0 && h.receiver.on('withdrawal-status'));
    expect(cb.json).toMatchObject({ latestTransactionStatus: '06', transactionStatusDesc: 'failed', originalPartnerReferenceNo: 'WD-FAIL-1' });
  });

  it('a repeated partnerReferenceNo is refused (4094301), never paid twice, and counted', async () => {
    await withdraw({ partnerReferenceNo: 'WD-DUP' });
    const again = await withdraw({ partnerReferenceNo: 'WD-DUP' });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ responseCode: '4094301', responseMessage: 'Duplicate partnerReferenceNo' });
    // Even with a wrong PIN the duplicate is what Netzme reports.
    expect((await withdraw({ partnerReferenceNo: 'WD-DUP', additionalInfo: { type: 'submit_withdraw', pin: '0'.repeat(64) } })).body.responseCode).toBe(
      '4094301',
    );
    expect(await balances()).toMatchObject({ settledBalance: '750000.00' });
    const state = await h.state();
    expect(state.transfers).toHaveLength(1);
    expect(state.transfers[0]).toMatchObject({ accepted: 1, duplicatesRefused: 2 });
    expect(state.acceptedByPartnerReferenceNo).toEqual({ 'WD-DUP': 1 });
  });

  it('the information call also finds a withdrawal by its partnerReferenceNo (payer timed out)', async () => {
    const accepted = await withdraw({ partnerReferenceNo: 'WD-LOST' });
    const info = await h.netzme.call('/api/v1.0/debit/status', { referenceNo: 'WD-LOST', partnerReferenceNo: ref('WDS') });
    expect(info.body).toMatchObject({ responseCode: '2005500', originalReferenceNo: accepted.body.referenceNo });
    expect((await information('no-such-reference')).body).toEqual({ responseCode: '4045501', responseMessage: 'Transaction Not Found' });
  });

  it.each([
    ['more than the settled balance', { amount: amount('1000000.01') }, 403, '4034314', 'Insufficient Funds'],
    ['a wrong PIN', { additionalInfo: { type: 'submit_withdraw', pin: hashPin('x', 'y', '000000') } }, 403, '4034315', 'Invalid PIN'],
    ['another account number', { beneficiaryAccountNumber: '999' }, 404, '4044311', 'Invalid Account'],
    ['an unknown merchant', { customerNumber: 'M_NOBODY01' }, 404, '4044308', 'Invalid Merchant'],
    ['another currency', { amount: { value: '1.00', currency: 'SGD' } }, 404, '4044324', 'Invalid Currency.'],
    ['a wrong type', { additionalInfo: { type: 'withdraw', pin: 'x' } }, 400, '4004301', 'Invalid Field Format type'],
    ['no PIN', { additionalInfo: { type: 'submit_withdraw' } }, 400, '4004302', 'Invalid Mandatory Field Pin'],
    ['a zero amount', { amount: amount('0.00') }, 404, '4044313', 'Invalid Amount'],
  ])('refuses %s and moves nothing', async (_name, overrides, status, code, message) => {
    const answer = await withdraw(overrides);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ responseCode: code, responseMessage: message });
    expect(await balances()).toMatchObject({ settledBalance: '1000000.00' });
    expect((await h.state()).transfers).toHaveLength(0);
  });

  it('auto-completes withdrawals when configured (demo mode)', async () => {
    const demo = await startHarness({ autoCompleteWithdrawalsMs: 50 });
    try {
      const accepted = await demo.netzme.call('/api/v1.0/emoney/transfer-bank', transferBody(demo, 'AUTO-1', '1000.00'));
      const [cb] = await eventually(async () => demo.receiver.on('withdrawal-status').length > 0 && demo.receiver.on('withdrawal-status'));
      expect(cb.json).toMatchObject({ originalReferenceNo: accepted.body.referenceNo, latestTransactionStatus: '00' });
    } finally {
      await demo.close();
    }
  });

  describe('deposit', () => {
    const depositWithdraw = (overrides: Record<string, unknown> = {}) =>
      withdraw(
        {
          ReferenceNo: ref('GUID'),
          beneficiaryAccountName: 'PT Sandbox Partner',
          beneficiaryAccountNumber: '1234567890',
          beneficiaryBankName: 'BANK CENTRAL ASIA',
          beneficiaryBankCode: '014',
          amount: amount('100000.00'),
          ...overrides,
        },
        '/api/v1.0/emoney/transfer-bank/deposit',
      );

    it('T22/T23/T24: inquiry, withdraw deposit, information, notification submit_withdraw_deposit', async () => {
      const inq = await inquiry('/api/v1.0/emoney/bank-account-inquiry/deposit');
      expect(inq.body).toMatchObject({
        responseCode: '2004200',
        amount: amount('500000.00'),
        beneficiaryAccountNumber: '1234567890',
        additionalInfo: { minimumWithdrawalAmount: amount('50000.00') },
      });
      const accepted = await depositWithdraw({ partnerReferenceNo: 'DWD-1', ReferenceNo: 'a1b2c3d4-guid' });
      expect(accepted.body).toMatchObject({ responseCode: '2004300', referenceNo: 'a1b2c3d4-guid', additionalInfo: { type: 'submit_withdraw_deposit' } });
      expect((await balances()).depositBalance).toBe('400000.00');
      expect((await information('a1b2c3d4-guid', '/api/v1.0/debit/status-deposit')).body).toMatchObject({ latestTransactionStatus: '03' });
      // The merchant-balance status endpoint does not know deposit withdrawals.
      expect((await information('a1b2c3d4-guid')).body.responseCode).toBe('4045501');
      await h.control('POST', '/sandbox/withdrawals/DWD-1/complete', { status: 'failed' });
      expect((await balances()).depositBalance).toBe('500000.00');
      const [cb] = await eventually(async () => h.receiver.on('withdrawal-status').length > 0 && h.receiver.on('withdrawal-status'));
      expect(cb.json).toMatchObject({ additionalInfo: { type: 'submit_withdraw_deposit' }, latestTransactionStatus: '06' });
    });

    it('refuses a deposit withdrawal under the minimum or above the deposit', async () => {
      expect((await depositWithdraw({ amount: amount('49999.99') })).body.responseCode).toBe('4044313');
      expect((await depositWithdraw({ amount: amount('500000.01') })).body.responseCode).toBe('4034314');
    });

    it('T26 balance, T20 split fee (debits the deposit, refuses duplicates and overdrafts), T25 history', async () => {
      const balance = await h.netzme.call('/api/v1.0/deposit/balance-inquiry', { partnerReferenceNo: ref('DB'), accountNo: h.merchantId });
      expect(balance.body).toMatchObject({
        responseCode: '2001300',
        accountInfo: [{ balanceType: 'totalBalance', amount: amount('500000.00') }],
        additionalInfo: { type: 'disburse_get_balance' },
      });

      const splitFee = (partnerReferenceNo: string, fee: string, currency = 'IDR') =>
        h.netzme.call('/api/v1.0/merchant/payment-notif', {
          referenceNo: ref('REQ'),
          partnerReferenceNo,
          amount: { value: '100000.00', currency },
          feeAmount: { value: fee, currency },
          additionalInfo: {
            custIdMerchant: h.merchantId,
            sku: 'SKU-1',
            productName: 'Kopi',
            paymentStatus: 'SUCCESS',
            payMethod: 'BANK_TRANSFER',
            bankName: 'BCA',
            qty: '1',
            desc: 'd',
            type: 'payment_notification_to_split_fee',
          },
        });
      const ok = await splitFee('SF-1', '2500.00');
      expect(ok.body).toMatchObject({ responseCode: '2000000', partnerReferenceNo: 'SF-1', additionalInfo: { type: 'payment_notification_to_split_fee' } });
      expect((await balances()).depositBalance).toBe('497500.00');
      expect((await splitFee('SF-1', '2500.00')).body).toEqual({ responseCode: '4090001', responseMessage: 'Duplicate partnerReferenceNo' });
      expect((await splitFee('SF-2', '497500.01')).body).toEqual({ responseCode: '4030014', responseMessage: 'Insufficient Funds' });
      expect((await splitFee('SF-3', '1.00', 'USD')).body).toEqual({ responseCode: '4040024', responseMessage: 'Invalid Currency.' });
      expect((await balances()).depositBalance).toBe('497500.00');

      const now = Date.now();
      const history = await h.netzme.call('/api/v1.0/deposit/transaction-history-list', {
        partnerReferenceNo: ref('DH'),
        fromDateTime: new Date(now - 60_000).toISOString(),
        toDateTime: new Date(now + 60_000).toISOString(),
        pageNumber: '1',
        additionalInfo: { custIdMerchant: h.merchantId },
      });
      expect(history.body.responseCode).toBe('2001200');
      expect(history.body.detailData).toEqual([
        expect.objectContaining({
          amount: amount('2500.00'),
          type: 'SPLIT_FEE',
          additionalInfo: expect.objectContaining({ direction: 'debit', balance: amount('497500.00') }),
        }),
      ]);
    });
  });

  describe('PIN', () => {
    const createPin = (pin: string, type = 'create_pin') =>
      h.netzme.call('/api/v1.0/merchant/create-pin', { custIdMerchant: h.merchantId, partnerReferenceNo: ref('PIN'), additionalInfo: { pin, type } });
    const forgotPin = () =>
      h.netzme.call('/api/v1.0/merchant/forgot-pin', { custIdMerchant: h.merchantId, partnerReferenceNo: ref('FP'), additionalInfo: { type: 'forgot_pin' } });

    it('create pin: the same PIN again is fine, another one is refused, a wrong type too', async () => {
      expect((await createPin(pinHash)).body).toMatchObject({ responseCode: '2000000', additionalInfo: { type: 'create_pin' } });
      expect((await createPin(hashPin(h.sandbox.credentials.clientId, h.merchantId, '654321'))).body).toEqual({
        responseCode: '4000000',
        responseMessage: 'PIN already exist with different value',
      });
      expect((await createPin(pinHash, 'created_pin')).body).toEqual({ responseCode: '4000001', responseMessage: 'Invalid Field Format type' });
    });

    it('forgot pin is rate limited (4030004) with the time left', async () => {
      const first = await forgotPin();
      expect(first.body).toMatchObject({ responseCode: '2000000', additionalInfo: { timeLeftInMillis: 300000 } });
      const second = await forgotPin();
      expect(second.status).toBe(403);
      expect(second.body.responseCode).toBe('4030004');
      expect(second.body.responseMessage).toMatch(/^Activity Count Limit Exceeded\. wait \d+ millisecond\.$/);
      const waitMs = Number(/wait (\d+)/.exec(second.body.responseMessage)![1]);
      expect(waitMs).toBeGreaterThan(290000);
      expect(waitMs).toBeLessThanOrEqual(300000);
    });
  });
});
