import type { NetzmeHttpTransport } from '@app/netzme-client';
import { caught, control, ref, requestCount, state, useSandboxClient } from './support/client-fixture';

/**
 * NetzmeClient against the Netzme sandbox over real HTTP: every endpoint (token expiry,
 * wrong credentials, timeouts and 5xx: client-resilience.int-spec.ts). The sandbox verifies signatures
 * exactly as Netzme does, so every success here is also a proof that the client signs correctly.
 * The whole suite runs once per transport (undici, the default, and @nestjs/axios' HttpService):
 * each must send the signed bytes as they are and classify failures alike.
 */
describe.each<NetzmeHttpTransport>(['undici', 'nestjs-axios'])('NetzmeClient against the sandbox (HTTP) over %s', (transport) => {
  const ctx = useSandboxClient(transport);
  const { client } = ctx;

  describe('Toko Netzme: invoices and QRIS', () => {
    it('checkout: create-transaction, poll INIT, buyer pays, poll SUCCESS, find the QRIS payment by RRN, list it', async () => {
      const c = client();
      const partnerReferenceNo = ref('ORDER');
      const created = await c.createInvoiceTransaction({
        partnerReferenceNo,
        amount: '15000.00',
        payMethod: 'QRIS',
        expireInSecond: 600,
        feeType: 'on_seller',
      });
      expect(created.responseCode).toBe('2004700');
      expect(created.partnerReferenceNo).toBe(partnerReferenceNo);
      expect(created.additionalInfo.status).toBe(true);
      const trxId = created.additionalInfo.trxId;
      expect(trxId).toBeTruthy();

      const before = await c.getInvoiceTransaction(trxId);
      expect(before.status).toBe('INIT');
      expect(before.amount).toEqual({ value: '15000.00', currency: 'IDR' });

      const paid = await control<{ rrn?: string }>(ctx.sandbox, 'POST', `/sandbox/invoices/${trxId}/pay`, {});
      const after = await c.getInvoiceTransaction(trxId);
      expect(after.status).toBe('SUCCESS');

      expect(paid.rrn).toBeTruthy();
      const acquired = await c.getQrisAcquireTransaction({ rrn: paid.rrn! });
      expect(acquired.responseCode.startsWith('200')).toBe(true);
      expect(acquired.amount.value).toBe('15000.00');

      const today = new Date();
      const list = await c.getTransactionList({ fromDateTime: new Date(today.getTime() - 86_400_000), toDateTime: new Date(today.getTime() + 60_000) });
      expect(list.responseCode.startsWith('200')).toBe(true);
      expect(Array.isArray(list.detailData)).toBe(true);
      expect(list.detailData.length).toBeGreaterThanOrEqual(1);
    });

    it('a repeated partnerReferenceNo is a definite DUPLICATE_REFERENCE (409xx01), and creates nothing', async () => {
      const c = client();
      const partnerReferenceNo = ref('ORDER');
      await c.createInvoiceTransaction({ partnerReferenceNo, amount: '1000.00', payMethod: 'QRIS' });
      const err = await caught(c.createInvoiceTransaction({ partnerReferenceNo, amount: '1000.00', payMethod: 'QRIS' }));
      expect(err).toMatchObject({ category: 'DUPLICATE_REFERENCE', outcome: 'definite', httpStatus: 409, caseCode: '01' });
      expect((await state(ctx.sandbox)).invoices.filter((i) => i.partnerReferenceNo === partnerReferenceNo)).toHaveLength(1);
    });

    it('create invoice (not yet bound to a method) and create invoice QR MPM (inferred page)', async () => {
      const c = client();
      const invoice = await c.createInvoice({
        partnerReferenceNo: ref('INV'),
        amount: '25000.00',
        payMethods: ['QRIS'],
        additionalInfo: { fullname: 'Test Buyer' },
      });
      expect(invoice.responseCode).toBe('2000000');
      expect(invoice.additionalInfo.invoiceId).toMatch(/^NETZ-INV-/);
      const qr = await c.createInvoiceQrMpm({ partnerReferenceNo: ref('MPM'), amount: '5000.00', terminalId: 'A01' });
      expect(qr.responseCode.startsWith('200')).toBe(true);
      expect(qr.qrContent).toMatch(/^0002/);
    });
  });

  describe('Toko Netzme: merchant, PIN and withdrawals', () => {
    it('balance detail and merchant detail', async () => {
      const c = client();
      const balance = await c.getBalanceDetail();
      expect(balance.responseCode).toBe('2001100');
      expect(balance.accountInfo.map((a) => a.balanceType)).toEqual(['totalBalance', 'settledBalance']);
      const merchant = (await state(ctx.sandbox)).merchants.find((m) => m.merchantId === ctx.creds.merchantId)!;
      const detail = await c.getMerchantDetail({ phoneNo: merchant.phoneNo });
      expect(detail.additionalInfo.custIdMerchant).toBe(ctx.creds.merchantId);
      const unknown = await caught(c.getMerchantDetail({ phoneNo: '080000000000' }));
      expect(unknown).toMatchObject({ category: 'FORBIDDEN', outcome: 'definite', responseCode: '4030818' });
    });

    it('create pin (same PIN accepted, a different one refused) and forgot pin (then rate-limited)', async () => {
      const c = client();
      expect((await c.createPin(ctx.creds.merchantPin!)).responseCode).toBe('2000000');
      const other = await caught(c.createPin('999999'));
      expect(other).toMatchObject({ category: 'BAD_REQUEST', outcome: 'definite' });
      const forgot = await c.forgotPin();
      expect(forgot.responseCode).toBe('2000000');
      const again = await caught(c.forgotPin());
      expect(again).toMatchObject({ category: 'RATE_LIMITED', outcome: 'definite', caseCode: '04' });
      expect(await requestCount(ctx.sandbox, '/api/v1.0/merchant/forgot-pin')).toBe(2);
    });

    it('withdraw: inquiry, process, information while pending, completion, information after', async () => {
      const c = client();
      const inquiry = await c.withdrawInquiry();
      expect(inquiry.responseCode).toBe('2004200');
      const partnerReferenceNo = ref('WD');
      const wd = await c.withdrawProcess({ partnerReferenceNo, amount: '50000.00', beneficiary: inquiry, pin: ctx.creds.merchantPin! });
      expect(wd.responseCode.startsWith('200')).toBe(true);
      expect(wd.referenceNo).toBeTruthy();
      const pending = await c.getWithdrawInformation({ referenceNo: wd.referenceNo });
      expect(pending.latestTransactionStatus).not.toBe('00');
      await control(ctx.sandbox, 'POST', `/sandbox/withdrawals/${wd.referenceNo}/complete`, { status: 'success' });
      const done = await c.getWithdrawInformation({ referenceNo: wd.referenceNo });
      expect(done.latestTransactionStatus).toBe('00');
      expect(done.amount?.value).toBe('50000.00');
    });

    it('a wrong PIN is refused definitely, and no transfer exists', async () => {
      const c = client();
      const inquiry = await c.withdrawInquiry();
      const partnerReferenceNo = ref('WD');
      const err = await caught(c.withdrawProcess({ partnerReferenceNo, amount: '1000.00', beneficiary: inquiry, pin: '000000' }));
      expect(err.outcome).toBe('definite');
      expect(err.httpStatus).toBeGreaterThanOrEqual(400);
      expect((await state(ctx.sandbox)).transfers.filter((t) => t.partnerReferenceNo === partnerReferenceNo)).toHaveLength(0);
    });
  });

  describe('Toko Netzme: deposit', () => {
    it('top-up, balance, history, deduct and split fee, insufficient funds', async () => {
      const c = client();
      const before = await c.getDepositBalance();
      expect(before.responseCode.startsWith('200')).toBe(true);
      const topup = await c.createTopupDepositTransaction({ partnerReferenceNo: ref('TOPUP'), amount: '100000.00', payMethod: 'BANK_TRANSFER' });
      expect(topup.responseCode).toBe('2004700');
      await control(ctx.sandbox, 'POST', `/sandbox/invoices/${topup.additionalInfo.trxId}/pay`, {});
      const after = await c.getDepositBalance();
      const value = (r: typeof after) => BigInt(r.accountInfo[0].amount.value.replace('.', ''));
      expect(value(after) - value(before)).toBe(10_000_000n);

      const deduct = await c.deductDepositSplitFee({
        partnerReferenceNo: ref('SALE'),
        amount: '20000.00',
        feeAmount: '500.00',
        sku: 'SKU-1',
        productName: 'Kopi',
        payMethod: 'BANK_TRANSFER',
        bankName: 'BCA',
        qty: 1,
      });
      expect(deduct.responseCode).toBe('2000000');
      const history = await c.getDepositTransactions({ fromDateTime: new Date(Date.now() - 86_400_000), toDateTime: new Date(Date.now() + 60_000) });
      expect(history.responseCode.startsWith('200')).toBe(true);
      expect(history.detailData.length).toBeGreaterThanOrEqual(1);

      await control(ctx.sandbox, 'PUT', `/sandbox/merchants/${ctx.creds.merchantId}/balances`, { depositBalance: '1.00' });
      const poor = await caught(
        c.deductDepositSplitFee({
          partnerReferenceNo: ref('SALE'),
          amount: '20000.00',
          feeAmount: '500.00',
          sku: 'SKU-1',
          productName: 'Kopi',
          payMethod: 'BANK_TRANSFER',
          bankName: 'BCA',
        }),
      );
      expect(poor).toMatchObject({ category: 'INSUFFICIENT_FUNDS', outcome: 'definite', caseCode: '14' });
    });

    it('deposit withdraw: inquiry, withdraw, information', async () => {
      const c = client();
      const inquiry = await c.depositWithdrawInquiry();
      expect(inquiry.responseCode).toBe('2004200');
      const wd = await c.depositWithdraw({ partnerReferenceNo: ref('DWD'), amount: '60000.00', beneficiary: inquiry, pin: ctx.creds.merchantPin! });
      expect(wd.responseCode.startsWith('200')).toBe(true);
      await control(ctx.sandbox, 'POST', `/sandbox/withdrawals/${wd.referenceNo}/complete`, { status: 'failed' });
      const info = await c.getDepositWithdrawInformation({ referenceNo: wd.referenceNo });
      expect(info.responseCode.startsWith('200')).toBe(true);
      expect(['06', '07']).toContain(info.latestTransactionStatus);
    });
  });

  describe('Netzme consumer side', () => {
    it('account status, balance, history, fixed top-up VA, QRIS detail and payment, upgrade, bill URL', async () => {
      const c = client();
      const custId = ctx.creds.consumer!.custId;
      const status = await c.getAccountStatus(custId);
      expect(status.responseCode).toBe('2000800');
      expect(status.additionalInfo.userStatus).toBeTruthy();
      const balance = await c.getConsumerBalance(custId);
      expect(balance.accountInfos.map((a) => a.balanceType)).toEqual(['Cash', 'Points']);
      const history = await c.getConsumerHistory({ custId, pageSize: 5 });
      expect(history.responseCode).toBe('2001200');
      const va = await c.getFixedTopupVa(custId);
      expect(va.responseCode.startsWith('200')).toBe(true);

      const invoice = await c.createInvoiceTransaction({ partnerReferenceNo: ref('ORDER'), amount: '12000.00', payMethod: 'QRIS' });
      const qrContent = invoice.additionalInfo.qrContent;
      expect(qrContent).toBeTruthy();
      const detail = await c.getQrisDetail({ custId, qrContent: qrContent! });
      expect(detail.responseCode.startsWith('200')).toBe(true);
      const payment = await c.payQris({ partnerReferenceNo: ref('PAY'), custId, qrContent: qrContent!, amount: '12000.00' });
      expect(payment.responseCode.startsWith('200')).toBe(true);

      const upgrade = await c.upgradeAccount({ custId });
      expect(upgrade.responseCode.startsWith('200')).toBe(true);

      const url = new URL(
        c.buildPaymentBillUrl({ userId: custId, billId: 'BILL-1', amount: '25000.00', description: 'tiket', expiredAt: new Date(Date.now() + 3_600_000) }),
      );
      expect(url.searchParams.get('aggregatorId')).toBe(ctx.creds.clientId);
      expect(url.searchParams.get('amount')).toBe('25000');
    });
  });
});
