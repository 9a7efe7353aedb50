import { amount, useHarness } from './support/harness';
import { eventually, ref } from './support/netzme-http';
import { crc16 } from './support/qris-check';

/** Netzme (consumer side): N4–N8, N12, N18 and the callbacks N13, N15, N17. */
describe('Netzme sandbox - consumer side', () => {
  const h = useHarness({}, { clearCallbacks: true });
  let custId: string;

  beforeAll(() => {
    custId = h.sandbox.credentials.consumer!.custId;
  });

  const consumer = (path: string, body: unknown, method: 'POST' | 'GET' = 'POST') => h.netzme.call(path, body, { consumer: true, method });
  const cash = async (id = custId) => ((await h.state()).consumers as any[]).find((u) => u.custId === id).cash as string;

  it('N4 account status of the premium user; unknown users are refused', async () => {
    const answer = await consumer('/api/v1.0/account/registration-account-inquiry', { partnerReferenceNo: ref('ACC'), additionalInfo: { custId } });
    expect(answer.body).toMatchObject({
      responseCode: '2000800',
      additionalInfo: { userStatus: 'premium', userType: 'regular', status: 'approved_v2', benefits: ['Request approved'] },
    });
    const unknown = await consumer('/api/v1.0/account/registration-account-inquiry', {
      partnerReferenceNo: ref('ACC'),
      additionalInfo: { custId: 'Nobody12' },
    });
    expect(unknown.body).toEqual({ responseCode: '4030818', responseMessage: 'Account Inactive' });
  });

  it('N5 balance (accountInfos: Cash and Points) on the path Toko uses for its balance detail', async () => {
    const answer = await consumer('/api/v1.0/payment/balance-inquiry', { partnerReferenceNo: ref('BAL'), accountNo: custId });
    expect(answer.body).toMatchObject({
      responseCode: '2001100',
      accountInfos: [
        { balanceType: 'Cash', availableBalance: amount('1500000.00') },
        { balanceType: 'Points', availableBalance: amount('2500.00') },
      ],
      additionalInfo: { type: 'get_aggregator_balance' },
    });
    // The same path with a merchant id answers Toko's Get Balance Detail.
    const toko = await h.netzme.call('/api/v1.0/payment/balance-inquiry', { partnerReferenceNo: ref('BAL'), accountNo: h.merchantId });
    expect(toko.body.accountInfo.map((a: any) => a.balanceType)).toEqual(['totalBalance', 'settledBalance']);
  });

  it('N7 fixed top-up virtual accounts (GET with the query string signed)', async () => {
    const answer = await consumer(`/api/v1.0/payment/fixed-va?custId=${custId}`, undefined, 'GET');
    expect(answer.body.responseCode).toBe('2000000');
    expect(answer.body.virtualAccountData.map((v: any) => v.bankCode)).toEqual(['BCA', 'MANDIRI', 'BRI']);
  });

  it('N8-N11 QRIS detail, N12 payment of a sandbox invoice QR: user debited, invoice paid, both partners notified', async () => {
    const created = await h.netzme.call('/api/v1.0/invoice/create-transaction', {
      custIdMerchant: h.merchantId,
      partnerReferenceNo: ref('QRPAY'),
      amount: amount('25000.00'),
      payMethod: 'QRIS',
    });
    const { qrContent, trxId } = created.body.additionalInfo;

    const detail = await consumer('/api/v1.0/payment/qr', {
      partnerReferenceNo: ref('QRD'),
      qrContent,
      amount: amount('25000.00'),
      scanTime: '2024-01-01T10:00:00+07:00',
      additionalInfo: { type: 'aggregator_scan_qr', custId },
    });
    expect(detail.body).toMatchObject({
      responseCode: '2004700',
      transactionAmount: amount('25000.00'),
      feeAmount: amount('0.00'),
      additionalInfo: { merchantName: 'Warung Sandbox', body: { qrType: 'qr_type_qris_dynamic', qrContent } },
    });
    const broken = qrContent.slice(0, -4) + (crc16(qrContent.slice(0, -4)) === '0000' ? '0001' : '0000');
    const bad = await consumer('/api/v1.0/payment/qr', {
      partnerReferenceNo: ref('QRD'),
      qrContent: broken,
      additionalInfo: { type: 'aggregator_scan_qr', custId },
    });
    expect(bad.body).toEqual({ responseCode: '4004701', responseMessage: 'Invalid Field Format QrContent' });

    const wrongAmount = await consumer('/api/v1.0/qr/qr-mpm-payment', {
      partnerReferenceNo: ref('QRP'),
      qrContent,
      amount: amount('1.00'),
      additionalInfo: { custId },
    });
    expect(wrongAmount.body.responseCode).toBe('4046013');

    const paid = await consumer('/api/v1.0/qr/qr-mpm-payment', {
      partnerReferenceNo: 'QRP-1',
      qrContent,
      amount: amount('25000.00'),
      additionalInfo: { custId },
    });
    expect(paid.body).toMatchObject({
      responseCode: '2006000',
      partnerReferenceNo: 'QRP-1',
      amount: amount('25000.00'),
      additionalInfo: { balance: amount('1475000.00') },
    });
    expect(await cash()).toBe('1475000.00');

    const status = await h.netzme.call('/api-invoice/v1.0/transaction-history-detail', {
      originalPartnerReferenceNo: trxId,
      additionalInfo: { partnerReferenceNo: ref('Q') },
    });
    expect(status.body.status).toBe('SUCCESS');
    expect(
      (await consumer('/api/v1.0/qr/qr-mpm-payment', { partnerReferenceNo: 'QRP-1', qrContent, amount: amount('25000.00'), additionalInfo: { custId } })).body
        .responseCode,
    ).toBe('4096001');
    expect(
      (await consumer('/api/v1.0/qr/qr-mpm-payment', { partnerReferenceNo: 'QRP-2', qrContent, amount: amount('25000.00'), additionalInfo: { custId } })).body
        .responseCode,
    ).toBe('4036015');

    await h.flush();
    const [notice] = h.receiver.on('qris-payment');
    expect(notice.headers['x-callback-token']).toBe(h.sandbox.credentials.callbackToken);
    expect(notice.json).toMatchObject({
      originalReferenceNo: paid.body.referenceNo,
      originalPartnerReferenceNo: 'QRP-1',
      latestTransactionStatus: '00',
      transactionStatusDesc: 'Success',
      amount: amount('25000.00'),
    });
    expect(h.receiver.on('invoice-paid')[0].json.additionalInfo.qrDetail).toMatchObject({ buyerUserId: custId, issuerName: 'NETZME' });
  });

  it('N12 refuses a payment above the user balance', async () => {
    await h.control('PUT', `/sandbox/consumers/${custId}/balance`, { cash: '100.00' });
    const created = await h.netzme.call('/api/v1.0/invoice/create-transaction', {
      custIdMerchant: h.merchantId,
      partnerReferenceNo: ref('QRPAY'),
      amount: amount('25000.00'),
      payMethod: 'QRIS',
    });
    const answer = await consumer('/api/v1.0/qr/qr-mpm-payment', {
      partnerReferenceNo: ref('QRP'),
      qrContent: created.body.additionalInfo.qrContent,
      amount: amount('25000.00'),
      additionalInfo: { custId },
    });
    expect(answer.body).toEqual({ responseCode: '4036014', responseMessage: 'Insufficient Funds' });
    expect(await cash()).toBe('100.00');
  });

  it('a bill payment (N14 webview, simulated) debits the user, lands in N6 history and sends bill-paid (N15)', async () => {
    const bill = await h.control('POST', `/sandbox/consumers/${custId}/bills`, { amount: '12500.00', billId: 'BILL-1', description: 'tiket kebun raya' });
    expect(bill.body).toMatchObject({ billId: 'BILL-1', balance: '1487500.00' });
    const [cb] = await eventually(async () => h.receiver.on('bill-paid').length > 0 && h.receiver.on('bill-paid'));
    expect(cb.json).toMatchObject({
      latestTransactionStatus: '00',
      transactionStatusDesc: 'Success',
      originalReferenceNo: bill.body.referenceNo,
      balance: amount('1487500.00'),
      additionalInfo: { type: 'payment_bill', billId: 'BILL-1', source: h.sandbox.credentials.clientId, description: 'tiket kebun raya' },
    });

    const history = await consumer('/api/v1.0/transaction/history-list', {
      partnerReferenceNo: ref('H'),
      pageSize: 2,
      additionalInfo: { seqId: 0, custId, type: 'aggregator_transaction_history' },
    });
    expect(history.body.responseCode).toBe('2001200');
    expect(history.body.detailData).toHaveLength(2);
    const [latest, earlier] = history.body.detailData;
    expect(latest).toMatchObject({ amount: amount('12500.00'), type: 'payment_bill', status: 'success' });
    expect(JSON.parse(latest.additionalInfo.details)).toMatchObject({ side: 'debit', billId: 'BILL-1', balance: '1487500.00' });
    expect(earlier.type).toBe('topup');
    const next = await consumer('/api/v1.0/transaction/history-list', {
      partnerReferenceNo: ref('H'),
      pageSize: 2,
      additionalInfo: { seqId: earlier.additionalInfo.seq, custId, type: 'aggregator_transaction_history' },
    });
    expect(next.body.detailData).toHaveLength(0);
    // Documented as GET with a JSON body: the sandbox answers that too.
    const byGet = await consumer(
      '/api/v1.0/transaction/history-list',
      { partnerReferenceNo: ref('H'), pageSize: 1, additionalInfo: { seqId: 0, custId, type: 'aggregator_transaction_history' } },
      'GET',
    );
    expect(byGet.body.detailData).toHaveLength(1);
  });

  it('upgrade (N18, INFERRED) goes pending, then Netzme decides and sends account-upgrade (N17)', async () => {
    const basic = ((await h.state()).consumers as any[]).find((u) => u.userStatus === 'basic').custId as string;
    const started = await consumer('/api/v1.0/account/upgrade', { partnerReferenceNo: ref('UP'), additionalInfo: { custId: basic } });
    expect(started.body).toMatchObject({ responseCode: '2000000', additionalInfo: { status: 'pending' } });
    await h.control('POST', `/sandbox/consumers/${basic}/upgrade`, { status: 'rejected', rejectReasons: ['KTP blur'] });
    await h.control('POST', `/sandbox/consumers/${basic}/upgrade`, { status: 'approved' });
    await h.flush();
    const [rejected, approved] = h.receiver.on('account-upgrade').map((r) => r.json);
    expect(rejected).toMatchObject({ custId: basic, status: 'rejected', additionalInfo: { type: 'upgrade_account', rejectReasons: ['KTP blur'] } });
    expect(approved).toMatchObject({ custId: basic, status: 'approved', additionalInfo: { type: 'upgrade_account' } });
    expect(approved.additionalInfo.benefits.length).toBeGreaterThan(0);
    const status = await consumer('/api/v1.0/account/registration-account-inquiry', { partnerReferenceNo: ref('ACC'), additionalInfo: { custId: basic } });
    expect(status.body.additionalInfo).toMatchObject({ userStatus: 'premium', status: 'approved_v2' });
  });
});
