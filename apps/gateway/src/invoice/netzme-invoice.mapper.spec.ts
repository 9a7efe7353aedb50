import type { CreateInvoiceTransactionResponse, InvoiceTransactionResponse } from '@app/snap';
import { checkPaidAmount, parseNetzmeTime, PaymentEvidence, readCreateAnswer, readMoney, readRemoteState } from './netzme-invoice.mapper';

const order = { createdAt: new Date('2023-11-15T05:00:00Z'), expiresInSeconds: 600 };

describe('netzme invoice mapper', () => {
  it('parseNetzmeTime reads ISO with offsets, epoch millis and refuses junk', () => {
    expect(parseNetzmeTime('2023-11-15T06:13:21.000+07:00')?.toISOString()).toBe('2023-11-14T23:13:21.000Z');
    expect(parseNetzmeTime('1663940662217')?.getTime()).toBe(1663940662217);
    expect(parseNetzmeTime('soon')).toBeNull();
    expect(parseNetzmeTime('')).toBeNull();
    expect(parseNetzmeTime(undefined)).toBeNull();
  });

  it('readMoney never goes through a float and refuses sub-sen precision', () => {
    expect(readMoney({ value: '10000.00', currency: 'IDR' })).toEqual({ minor: 1000000n, currency: 'IDR' });
    expect(readMoney({ value: '10000', currency: 'IDR' })).toEqual({ minor: 1000000n, currency: 'IDR' });
    expect(readMoney('9930.5')).toEqual({ minor: 993050n, currency: 'IDR' });
    expect(readMoney({ value: '1.001', currency: 'IDR' })).toBeNull();
    expect(readMoney({ value: 'abc' })).toBeNull();
  });

  describe('readCreateAnswer', () => {
    const res = (info: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      ({
        responseCode: '2004700',
        responseMessage: 'Successful',
        partnerReferenceNo: 'GW1',
        payMethod: 'QRIS',
        paymentUrl: 'https://pay',
        additionalInfo: info,
        ...extra,
      }) as unknown as CreateInvoiceTransactionResponse;

    it('takes ids, QR, VA numbers and expiry', () => {
      const answer = readCreateAnswer(
        res({
          id: 'NETZ-INV-1',
          trxId: 'trx',
          status: true,
          qrImage: 'data:image/png;base64,AA',
          expiredTs: '2023-11-15T12:10:00.000+07:00',
          virtualAccountData: [{ bankCode: 'BNI', virtualAccountNo: 8860832146006 }],
        }),
        order,
      );
      expect(answer).toEqual({
        kind: 'created',
        patch: expect.objectContaining({
          netzmeTrxId: 'trx',
          netzmeInvoiceId: 'NETZ-INV-1',
          qrImage: 'data:image/png;base64,AA',
          paymentUrl: 'https://pay',
          virtualAccounts: [{ bankCode: 'BNI', virtualAccountNo: '8860832146006' }],
        }),
      });
      expect(answer.kind === 'created' && answer.patch.expiresAt?.toISOString()).toBe('2023-11-15T05:10:00.000Z');
    });

    it('falls back to our own expiry when Netzme sends none', () => {
      const answer = readCreateAnswer(res({ id: 'i', trxId: 't', status: true }), order);
      expect(answer.kind === 'created' && answer.patch.expiresAt?.toISOString()).toBe('2023-11-15T05:10:00.000Z');
    });

    it('status false is a refusal; no trxId is unreadable (outcome unknown)', () => {
      expect(readCreateAnswer(res({ status: false }), order).kind).toBe('refused');
      expect(readCreateAnswer(res({ id: 'i', status: true }), order).kind).toBe('unreadable');
    });
  });

  it('readRemoteState follows status, with invoiceStatus as a second opinion', () => {
    const r = (status: string, invoiceStatus?: string) => ({ status, additionalInfo: { invoiceStatus } }) as unknown as InvoiceTransactionResponse;
    expect(readRemoteState(r('SUCCESS'))).toBe('paid');
    expect(readRemoteState(r('INIT', 'paid'))).toBe('paid');
    expect(readRemoteState(r('CLOSED'))).toBe('closed');
    expect(readRemoteState(r('', 'expired'))).toBe('closed');
    expect(readRemoteState(r('INIT', 'unpaid'))).toBe('open');
    expect(readRemoteState(r('WEIRD'))).toBe('unrecognised');
  });

  describe('checkPaidAmount', () => {
    const o = { amountMinor: 1500000n, currency: 'IDR', feeType: 'on_seller' };
    // Evidence as a status answer gives it (amounts read leniently there; callbacks are read strictly by the callback module).
    const evidence = (paid: unknown, fee?: unknown): PaymentEvidence => ({ paid: readMoney(paid), fee: readMoney(fee), net: null, paidAt: null, details: {} });
    const ev = (value: string, currency = 'IDR', fee?: string) => evidence({ value, currency }, fee ? { value: fee, currency } : undefined);

    it('accepts exactly the order amount in IDR', () => {
      expect(checkPaidAmount(o, ev('15000.00'))).toEqual({ ok: true });
      expect(checkPaidAmount(o, ev('15000'))).toEqual({ ok: true });
    });

    it('refuses another amount, another currency or no amount', () => {
      expect(checkPaidAmount(o, ev('14999.99'))).toMatchObject({ ok: false });
      expect(checkPaidAmount(o, ev('15000.00', 'USD'))).toMatchObject({ ok: false, reason: 'paid in USD, the order is in IDR' });
      expect(checkPaidAmount(o, evidence(undefined))).toMatchObject({ ok: false });
    });

    it('with the fee on the buyer, accepts amount + fee', () => {
      expect(checkPaidAmount({ ...o, feeType: 'on_buyer' }, ev('15105.00', 'IDR', '105.00'))).toEqual({ ok: true });
      expect(checkPaidAmount(o, ev('15105.00', 'IDR', '105.00'))).toMatchObject({ ok: false });
    });
  });
});
