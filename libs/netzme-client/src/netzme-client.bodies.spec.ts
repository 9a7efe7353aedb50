import { containsJsonNumber, NETZME_ENDPOINTS } from '@app/snap';
import { beneficiary, caught, CLIENT_ID, PRIVATE_KEY, SECRET, useFakeNetzme } from '../test/client-fixture';
import { NetzmeError } from './errors';

/** Request bodies: no JSON numbers, consumer-side calls and webview links, every endpoint reached. */
describe('NetzmeClient', () => {
  const netzme = useFakeNetzme();
  const { client } = netzme;

  describe('numbers never go out as JSON numbers', () => {
    it('refuses a body containing a JSON number before sending anything', async () => {
      const c = client();
      const err = await caught(c.request('createInvoiceTransaction', { partnerReferenceNo: 'X', amount: { value: 10000, currency: 'IDR' } }));
      expect(err.category).toBe('INVALID_REQUEST');
      expect(err.outcome).toBe('definite');
      expect(err.sent).toBe(false);
      expect(netzme.fake.requests).toHaveLength(0);
    });

    it.each([
      ['"0.0" (the WooCommerce plugin default)', '0.0', '0.0'],
      ['"0.7"', '0.7', '0.7'],
      ['0.7 as a number', 0.7, '0.7'],
      ['100', 100, '100'],
    ])('sends commissionPercentage %s as a decimal string', async (_label, input, sent) => {
      const c = client();
      await c.createInvoiceTransaction({ partnerReferenceNo: 'O-1', amount: '10.00', payMethod: 'QRIS', commissionPercentage: input });
      expect(JSON.parse(netzme.fake.calls[0].body).commissionPercentage).toBe(sent);
    });

    it('converts integer parameters and amounts to strings', async () => {
      const c = client();
      await c.createInvoiceTransaction({
        partnerReferenceNo: 'O-1',
        amount: 1500050n,
        payMethod: 'QRIS',
        expireInSecond: 600,
        commissionPercentage: 0,
        shippingAmount: '0',
      });
      const body = JSON.parse(netzme.fake.calls[0].body);
      expect(body).toMatchObject({
        amount: { value: '15000.50', currency: 'IDR' },
        amountDetail: { basicAmount: { value: '15000.50', currency: 'IDR' }, shippingAmount: { value: '0.00', currency: 'IDR' } },
        expireInSecond: '600',
        commissionPercentage: '0',
      });
      expect(containsJsonNumber(body)).toBe(false);
    });

    it.each([
      ['a float amount', { amount: 100.5 as unknown as string }],
      ['more than two decimals', { amount: '10.001' }],
      ['a negative amount', { amount: { value: '-1.00', currency: 'IDR' } }],
      ['a foreign currency', { amount: { value: '10.00', currency: 'USD' } }],
      ['a fractional integer field', { expireInSecond: 1.5 }],
      ['a commission above 100 %', { commissionPercentage: '100.5' }],
      ['a commission with a comma', { commissionPercentage: '0,7' }],
    ])('refuses %s locally', async (_label, patch) => {
      const c = client();
      const err = await caught(c.createInvoiceTransaction({ partnerReferenceNo: 'O-1', amount: '10.00', payMethod: 'QRIS', ...patch }));
      expect(err.category).toBe('INVALID_REQUEST');
      expect(netzme.fake.requests).toHaveLength(0);
    });
  });

  describe('consumer side and webviews', () => {
    it('consumer methods need consumer settings', async () => {
      const err = await caught(client().getConsumerBalance('Mw6STUQK'));
      expect(err.category).toBe('INVALID_REQUEST');
      expect(netzme.fake.requests).toHaveLength(0);
    });

    it('builds the Payment Bill webview URL as Netzme describes it', () => {
      const c = client({
        now: () => Date.parse('2023-11-15T05:13:20+07:00'),
        consumer: {
          baseUrl: netzme.fake.url,
          clientId: 'xplorin',
          clientSecret: SECRET,
          privateKey: PRIVATE_KEY,
          webviewUrl: 'https://xplorin-dev.netzme.id/pin-transaction',
        },
      });
      const url = new URL(
        c.buildPaymentBillUrl({
          userId: 'Mw6STUQK',
          billId: 'B-1',
          amount: '15000.00',
          description: 'tiket kebun raya',
          expiredAt: new Date('2023-11-15T00:00:00Z'),
        }),
      );
      expect(url.origin + url.pathname).toBe('https://xplorin-dev.netzme.id/pin-transaction');
      expect(Object.fromEntries(url.searchParams)).toEqual({
        requestId: 'xplorin202311150513200001',
        type: 'aggregator_payment_bill',
        userId: 'Mw6STUQK',
        billId: 'B-1',
        amount: '15000',
        aggregatorId: 'xplorin',
        description: 'tiket kebun raya',
        expired_at: '2023-11-15T00:00:00.000Z',
      });
      expect(() => c.buildPaymentBillUrl({ userId: 'u', billId: 'b', amount: '10.50', description: '', expiredAt: new Date() })).toThrow(NetzmeError);
    });
  });

  it('every endpoint of the table has a client method that reaches its path', async () => {
    const c = client({ consumer: { baseUrl: netzme.fake.url, clientId: CLIENT_ID, clientSecret: SECRET, privateKey: PRIVATE_KEY } });
    const b = beneficiary();
    await c.createPin('123456');
    await c.forgotPin();
    await c.getBalanceDetail();
    await c.getTransactionList({ fromDateTime: '2023-11-15T00:00:00+07:00', toDateTime: '2023-11-16T00:00:00+07:00' });
    await c.getMerchantDetail({ phoneNo: '081234567890' });
    await c.withdrawInquiry();
    await c.withdrawProcess({ partnerReferenceNo: 'W-1', amount: '10.00', pin: '123456', beneficiary: b });
    await c.getWithdrawInformation({ referenceNo: 'r' });
    await c.getQrisAcquireTransaction({ rrn: '411310123456' });
    await c.createInvoice({ partnerReferenceNo: 'I-1', amount: '10.00', payMethods: ['QRIS'] });
    await c.createInvoiceTransaction({ partnerReferenceNo: 'I-2', amount: '10.00', payMethod: 'QRIS' });
    await c.createTopupDepositTransaction({ partnerReferenceNo: 'I-3', amount: '10.00', payMethod: 'BANK_TRANSFER' });
    await c.createInvoiceQrMpm({ partnerReferenceNo: 'I-4', amount: '10.00', terminalId: 'A01' });
    await c.getInvoiceTransaction('trx');
    await c.deductDepositSplitFee({
      partnerReferenceNo: 'D-1',
      amount: '10.00',
      feeAmount: '1.00',
      sku: 's',
      productName: 'p',
      payMethod: 'BANK_TRANSFER',
      bankName: 'BCA',
      qty: 1,
    });
    await c.getDepositBalance();
    await c.getDepositTransactions({ fromDateTime: '2023-11-15T00:00:00+07:00', toDateTime: '2023-11-16T00:00:00+07:00' });
    await c.depositWithdrawInquiry();
    await c.depositWithdraw({ partnerReferenceNo: 'DW-1', amount: '10.00', pin: '123456', beneficiary: b });
    await c.getDepositWithdrawInformation({ referenceNo: 'r' });
    await c.getAccountStatus('Mw6STUQK');
    await c.getConsumerBalance('Mw6STUQK');
    await c.getConsumerHistory({ custId: 'Mw6STUQK', pageSize: 2 });
    await c.getFixedTopupVa('Mw6STUQK');
    await c.getQrisDetail({ custId: 'Mw6STUQK', qrContent: '000201', amount: '199990' });
    await c.payQris({ partnerReferenceNo: 'Q-1', custId: 'Mw6STUQK', qrContent: '000201', amount: '10.00', pin: '123456' });
    await c.upgradeAccount({ custId: 'Mw6STUQK' });
    const reached = new Set(netzme.fake.calls.map((r) => r.url.split('?')[0]));
    for (const spec of Object.values(NETZME_ENDPOINTS)) {
      if (spec.name === 'accessToken') {
        continue;
      }
      expect([spec.name, spec.versions.some((v) => reached.has(spec.pathTemplate.replace('{version}', v)))]).toEqual([spec.name, true]);
    }
    // No body carried a JSON number, and the topup flag is where Netzme documents it.
    for (const r of netzme.fake.calls) {
      expect(r.body === '' || !containsJsonNumber(JSON.parse(r.body))).toBe(true);
    }
    const topup = netzme.fake.calls.find((r) => r.body.includes('"I-3"'))!;
    expect(JSON.parse(topup.body).additionalInfo.apiSource).toBe('topup_deposit');
  });
});
