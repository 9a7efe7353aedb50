import { amount, useHarness } from './support/harness';
import { eventually, ref } from './support/netzme-http';
import { crc16, tlv } from './support/qris-check';

const CREATE = '/api/v1.0/invoice/create-transaction';
const STATUS = '/api-invoice/v1.0/transaction-history-detail';

/** Invoices and invoice transactions: T10–T14, T21, T6, callbacks T15/T16 (docs/netzme-protocol.md §3, §4.2, §4.3). */
describe('Netzme sandbox - invoices', () => {
  const h = useHarness({}, { clearCallbacks: true });

  const create = (overrides: Record<string, unknown> = {}, path = CREATE) =>
    h.netzme.call(path, {
      custIdMerchant: h.merchantId,
      partnerReferenceNo: ref('ORDER'),
      amount: amount('10000.00'),
      amountDetail: { basicAmount: amount('10000.00'), shippingAmount: amount('0') },
      payMethod: 'QRIS',
      commissionPercentage: '0',
      expireInSecond: '600',
      feeType: 'on_seller',
      terminalId: 'A01',
      additionalInfo: { email: 'buyer@example.com', fullname: 'Budi Santoso', description: 'Kopi susu' },
      ...overrides,
    });
  const status = (trxId: string) => h.netzme.call(STATUS, { originalPartnerReferenceNo: trxId, additionalInfo: { partnerReferenceNo: ref('Q') } });

  it('creates a QRIS invoice transaction with a valid QRIS string and a PNG data URI', async () => {
    const answer = await create();
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ responseCode: '2004700', responseMessage: 'Successful', payMethod: 'QRIS' });
    const info = answer.body.additionalInfo;
    expect(info.id).toMatch(new RegExp(`^NETZ-INV-${h.merchantId}\\d+[A-Za-z0-9]{3}$`));
    expect(info.trxId).toMatch(/^[0-9a-f-]{36}$/);
    expect(info.status).toBe(true);
    expect(info.totalAmount).toBe('10000');
    expect(info.feeAmount).toBe('0');
    expect(info.expiredTs).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+07:00$/);

    const qr: string = info.qrContent;
    const tags = tlv(qr);
    expect(tags['00']).toBe('01');
    expect(tags['01']).toBe('12'); // dynamic
    expect(tags['53']).toBe('360');
    expect(tags['54']).toBe('10000');
    expect(tags['58']).toBe('ID');
    expect(tlv(tags['51'])['02']).toBe(info.nmid);
    expect(qr.slice(-8, -4)).toBe('6304');
    expect(tags['63']).toBe(crc16(qr.slice(0, -4)));

    expect(info.qrImage).toMatch(/^data:image\/png;base64,/);
    const png = Buffer.from(info.qrImage.split(',')[1], 'base64');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

    const page = await fetch(answer.body.paymentUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Rp 10000.00');
  });

  it('INIT -> SUCCESS: pay by partnerReferenceNo credits the net amount and sends invoice-paid (T15)', async () => {
    const before = (await h.state()).balances[h.merchantId];
    const created = await create({ partnerReferenceNo: 'ORDER-PAY-1' });
    const trxId = created.body.additionalInfo.trxId;
    const invoiceId = created.body.additionalInfo.id;

    let polled = await status(trxId);
    expect(polled.body).toMatchObject({ responseCode: '2001300', status: 'INIT', referenceNo: trxId, partnerReferenceNo: 'ORDER-PAY-1' });
    expect(polled.body.additionalInfo.invoiceStatus).toBe('unpaid');

    const paid = await h.control('POST', '/sandbox/invoices/ORDER-PAY-1/pay', { issuerName: 'OVO' });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'SUCCESS', feeAmount: '70.00', netAmount: '9930.00' });

    polled = await status(trxId);
    expect(polled.body.status).toBe('SUCCESS');
    expect(polled.body.additionalInfo).toMatchObject({ invoiceStatus: 'paid', invoiceId, feeAmount: amount('70.00'), totalAmount: amount('10000.00') });
    expect(polled.body.additionalInfo.paidTs).not.toBe('');

    const after = (await h.state()).balances[h.merchantId];
    // 0.7 % MDR: Rp 10,000 -> fee Rp 70, the merchant gets Rp 9,930 in total and settled balance.
    const diff = (a: string, b: string) => (Math.round(Number(a) * 100) - Math.round(Number(b) * 100)) / 100;
    expect(diff(after.totalBalance, before.totalBalance)).toBe(9930);
    expect(diff(after.settledBalance, before.settledBalance)).toBe(9930);

    const [callback] = await eventually(async () => h.receiver.on('invoice-paid').length === 1 && h.receiver.on('invoice-paid'));
    expect(callback.path).toBe('/callbacks/netzme/invoice-paid');
    expect(callback.headers['x-callback-token']).toBe(h.sandbox.credentials.callbackToken);
    expect(callback.headers['content-type']).toBe('application/json');
    expect(callback.json).toMatchObject({
      id: invoiceId,
      merchant: h.merchantId,
      originalReferenceNo: invoiceId,
      // The merchant's own reference, as Netzme's WooCommerce plugin reads it (setting invoiceReference).
      originalPartnerReferenceNo: 'ORDER-PAY-1',
      latestTransactionStatus: '00',
      amount: amount('10000.00'),
      netAmount: amount('9930.00'),
      feeAmount: amount('70.00'),
      additionalInfo: { custIdMerchant: h.merchantId, paymentMethod: 'QRIS', transactionId: trxId, isSplitFee: false, spiltFees: [] },
    });
    expect(callback.json.additionalInfo.qrDetail).toMatchObject({ issuerName: 'OVO', invoiceId, rrn: paid.body.rrn, terminalId: 'A01' });
    expect(callback.json.additionalInfo.qrDetail.localTrasactionDate).toEqual(expect.any(Number));

    await h.flush();
    const state = await h.state();
    const record = state.callbacks.find((c: any) => c.kind === 'invoice-paid');
    expect(record).toMatchObject({ status: 'delivered', subject: trxId });
    expect(record.attempts).toHaveLength(1);
    expect(record.attempts[0].httpStatus).toBe(200);
    expect(state.statusQueries.invoices[trxId]).toBe(2);
  });

  it('accepts the invoice id and the trxId as :ref, and terminal states never change', async () => {
    const created = await create();
    const { id, trxId } = created.body.additionalInfo;
    expect((await h.control('POST', `/sandbox/invoices/${trxId}/pay`)).status).toBe(200);
    expect((await h.control('POST', `/sandbox/invoices/${id}/pay`)).status).toBe(409);
    expect((await h.control('POST', `/sandbox/invoices/${id}/expire`)).status).toBe(409);
    expect((await status(trxId)).body.status).toBe('SUCCESS');
    expect(h.receiver.on('invoice-paid').length).toBeLessThanOrEqual(1);
    await h.flush();
    expect(h.receiver.on('invoice-paid')).toHaveLength(1);
    expect((await h.control('POST', '/sandbox/invoices/nothing-like-this/pay')).status).toBe(404);
  });

  it('INIT -> CLOSED by the control route; a closed invoice cannot be paid', async () => {
    const created = await create();
    const { trxId } = created.body.additionalInfo;
    const expired = await h.control('POST', `/sandbox/invoices/${trxId}/expire`);
    expect(expired.body.status).toBe('CLOSED');
    const polled = await status(trxId);
    expect(polled.body.status).toBe('CLOSED');
    expect(polled.body.additionalInfo.invoiceStatus).toBe('expired');
    expect((await h.control('POST', `/sandbox/invoices/${trxId}/pay`)).status).toBe(409);
    await h.flush();
    expect(h.receiver.on('invoice-paid')).toHaveLength(0);
  });

  it('INIT -> CLOSED at expireInSecond, on read and by its timer', async () => {
    const first = (await create({ expireInSecond: '1' })).body.additionalInfo.trxId;
    const second = (await create({ expireInSecond: '1' })).body.additionalInfo.trxId;
    await new Promise((r) => setTimeout(r, 1200));
    // Nobody read `second`: the timer closed it.
    const state = await h.state();
    expect(state.invoices.find((i: any) => i.trxId === second).status).toBe('CLOSED');
    expect((await status(first)).body.status).toBe('CLOSED');
    expect((await h.control('POST', `/sandbox/invoices/${first}/pay`)).status).toBe(409);
  });

  it('refuses a repeated partnerReferenceNo with 409 4094701 and creates nothing', async () => {
    const partnerReferenceNo = ref('DUP');
    expect((await create({ partnerReferenceNo })).body.responseCode).toBe('2004700');
    const again = await create({ partnerReferenceNo, amount: amount('99999.00') });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ responseCode: '4094701', responseMessage: 'Duplicate partnerReferenceNo' });
    const state = await h.state();
    const invoices = state.invoices.filter((i: any) => i.partnerReferenceNo === partnerReferenceNo);
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ amount: '10000.00', duplicatesRefused: 1 });
  });

  it.each([
    ['an unknown merchant', { custIdMerchant: 'M_NOBODY01' }, 404, '4044708', 'Invalid Merchant'],
    ['another currency', { amount: { value: '10000.00', currency: 'USD' } }, 404, '4044724', 'Invalid Currency.'],
    ['an unknown pay method', { payMethod: 'BITCOIN' }, 400, '4004701', 'Invalid Field Format PayMethod'],
    ['no amount', { amount: undefined }, 400, '4004702', 'Invalid Mandatory Field Amount'],
    ['an amount with three decimals', { amount: amount('10.123') }, 400, '4004701', 'Invalid Field Format Value'],
    ['a zero amount', { amount: amount('0.00') }, 404, '4044713', 'Invalid Amount'],
    ['a buyer name that is not a string', { additionalInfo: { fullname: ['Budi'] } }, 400, '4004700', 'Invalid Request body'],
    ['an unknown feeType', { feeType: 'on_nobody' }, 400, '4004701', 'Invalid Field Format FeeType'],
  ])('refuses %s', async (_name, overrides, httpStatus, code, message) => {
    const answer = await create(overrides);
    expect(answer.status).toBe(httpStatus);
    expect(answer.body).toEqual({ responseCode: code, responseMessage: message });
  });

  it('with feeType on_buyer the buyer pays the fee on top and the merchant gets the full amount', async () => {
    const created = await create({ feeType: 'on_buyer' });
    expect(created.body.additionalInfo).toMatchObject({ feeAmount: '70', totalAmount: '10070' });
    expect(tlv(created.body.additionalInfo.qrContent)['54']).toBe('10070');
    const paid = await h.control('POST', `/sandbox/invoices/${created.body.additionalInfo.trxId}/pay`);
    expect(paid.body).toMatchObject({ netAmount: '10000.00', feeAmount: '70.00' });
  });

  it('BANK_TRANSFER returns virtual accounts and no QR; works on v2.0 too', async () => {
    const created = await create({ payMethod: 'BANK_TRANSFER', amount: amount('250000.00') }, '/api/v2.0/invoice/create-transaction');
    expect(created.body.responseCode).toBe('2004700');
    expect(created.body.additionalInfo.qrImage).toBeUndefined();
    expect(created.body.additionalInfo.virtualAccountData.map((v: any) => v.bankCode)).toEqual(['MANDIRI', 'BNI', 'PERMATA']);
    const paid = await h.control('POST', `/sandbox/invoices/${created.body.additionalInfo.trxId}/pay`);
    expect(paid.body).toMatchObject({ feeAmount: '4000.00', netAmount: '246000.00' });
    const [cb] = await eventually(async () => h.receiver.on('invoice-paid').length > 0 && h.receiver.on('invoice-paid'));
    expect(cb.json.additionalInfo.qrDetail).toBeUndefined();
    expect(cb.json.additionalInfo.bankCode).toBe('MANDIRI');
  });

  it('T21 deposit top-up credits the deposit, not the merchant balance', async () => {
    const before = (await h.state()).balances[h.merchantId];
    const created = await create({ payMethod: 'BANK_TRANSFER', amount: amount('100000.00'), additionalInfo: { apiSource: 'topup_deposit' } });
    await h.control('POST', `/sandbox/invoices/${created.body.additionalInfo.trxId}/pay`);
    const after = (await h.state()).balances[h.merchantId];
    expect(after.totalBalance).toBe(before.totalBalance);
    expect(Number(after.depositBalance) - Number(before.depositBalance)).toBe(100000);
    const polled = await status(created.body.additionalInfo.trxId);
    expect(polled.body.type).toBe('TOP_UP');
  });

  it('T11 create invoice, then pay by invoice id', async () => {
    const answer = await h.netzme.call('/api/v1.0/invoice/create', {
      custIdMerchant: h.merchantId,
      partnerReferenceNo: 'INV-T11',
      amount: amount('20000.00'),
      amountDetail: { basicAmount: amount('20000.00'), shippingAmount: amount('0.00') },
      commissionPercentage: '0',
      payMethods: ['BANK_TRANSFER'],
      additionalInfo: { email: 'a@b.c', notes: 'n', description: 'd', phoneNumber: '+628123', fullname: 'Ani' },
    });
    expect(answer.body).toMatchObject({ responseCode: '2000000', partnerReferenceNo: 'INV-T11', additionalInfo: { status: true } });
    const invoiceId = answer.body.additionalInfo.invoiceId;
    const paid = await h.control('POST', `/sandbox/invoices/${invoiceId}/pay`);
    expect(paid.body.trxId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await status(paid.body.trxId)).body.status).toBe('SUCCESS');
    const dup = await h.netzme.call('/api/v1.0/invoice/create', { custIdMerchant: h.merchantId, partnerReferenceNo: 'INV-T11', amount: amount('1.00') });
    expect(dup.body.responseCode).toBe('4090001');
  });

  it('T14 unknown transaction: 404 4041301', async () => {
    const answer = await status('00000000-0000-0000-0000-000000000000');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ responseCode: '4041301', responseMessage: 'Transaction Not Found' });
  });

  it('T10 finds the QRIS payment by RRN and T6 lists it', async () => {
    const created = await create({ partnerReferenceNo: 'ORDER-RRN' });
    const paid = await h.control('POST', '/sandbox/invoices/ORDER-RRN/pay');
    const acquire = await h.netzme.call('/api-qris/v1.0/transaction-history-detail', {
      originalPartnerReferenceNo: paid.body.rrn,
      additionalInfo: { partnerReferenceNo: 'ACQ-1' },
    });
    expect(acquire.body).toMatchObject({
      responseCode: '2001300',
      partnerReferenceNo: 'ACQ-1',
      originalPartnerReferenceNo: paid.body.rrn,
      amount: amount('10000.00'),
      mdrAmount: amount('70.00'),
      additionalInfo: { invoiceNumber: created.body.additionalInfo.id, invoiceTransactionId: created.body.additionalInfo.trxId, acquirerId: '93600814' },
    });
    const missing = await h.netzme.call('/api-qris/v2.0/transaction-history-detail', {
      originalPartnerReferenceNo: '999999999999',
      additionalInfo: { partnerReferenceNo: 'ACQ-2' },
    });
    expect(missing.body.responseCode).toBe('4041301');

    const now = Date.now();
    const list = await h.netzme.call('/api-qris/v2.0/transaction/history-list', {
      pageNumber: '1',
      partnerReferenceNo: 'LIST-1',
      fromDateTime: new Date(now - 3600_000).toISOString(),
      toDateTime: new Date(now + 3600_000).toISOString(),
      additionalInfo: { custIdMerchant: h.merchantId },
    });
    expect(list.body.responseCode).toBe('2001200');
    expect(list.body.detailData).toHaveLength(1);
    expect(list.body.detailData[0]).toMatchObject({
      amount: amount('10000.00'),
      status: 'SUCCESS',
      type: 'PAYMENT',
      additionalInfo: { transactionId: created.body.additionalInfo.trxId, feeAmount: amount('70.00') },
    });
  });

  it('a static QRIS payment (no invoice) sends qris-paid (T16) and credits the merchant', async () => {
    const paid = await h.control('POST', `/sandbox/merchants/${h.merchantId}/qris-payments`, { amount: '50000.00' });
    expect(paid.body).toMatchObject({ amount: '50000.00', mdrAmount: '350.00' });
    const [cb] = await eventually(async () => h.receiver.on('qris-paid').length > 0 && h.receiver.on('qris-paid'));
    expect(cb.headers['x-callback-token']).toBe(h.sandbox.credentials.callbackToken);
    expect(cb.json).toMatchObject({
      originalReferenceNo: paid.body.rrn,
      amount: amount('50000.00'),
      netAmount: amount('49650.00'),
      feeAmount: amount('350.00'),
      latestTransactionStatus: '00',
      additionalInfo: { custIdMerchant: h.merchantId, rrn: paid.body.rrn, type: 'qr_type_qris_static' },
    });
  });

  it('T13 (INFERRED) qr-mpm-generate returns a raw QRIS string', async () => {
    const answer = await h.netzme.call('/api/v1.0/qr/qr-mpm-generate', {
      custIdMerchant: h.merchantId,
      partnerReferenceNo: ref('MPM'),
      amount: amount('12345.00'),
      validityPeriod: '300',
    });
    expect(answer.body.responseCode).toBe('2004700');
    const qr: string = answer.body.qrContent;
    expect(tlv(qr)['54']).toBe('12345');
    expect(tlv(qr)['63']).toBe(crc16(qr.slice(0, -4)));
  });
});
