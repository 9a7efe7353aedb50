import { CALLBACK_EXAMPLES } from './callback.examples';
import { parseCallback } from './callback-parser';
import { CALLBACK_KIND_INFO, CALLBACK_KIND_LIST, dedupeKey, mainReference, safeHeaders, successReply } from './callback-kinds';

describe('callback kinds', () => {
  const paid = {
    originalReferenceNo: 'NETZ-INV-1',
    originalPartnerReferenceNo: 'trx-1',
    latestTransactionStatus: '00',
    amount: { value: '10000.00', currency: 'IDR' },
    additionalInfo: { transactionId: 'trx-1' },
  };

  describe('dedupeKey', () => {
    it('is the same for the same notification, whatever else changes around it', () => {
      expect(dedupeKey('invoice-paid', paid)).toBe(
        dedupeKey('invoice-paid', { ...paid, transactionStatusDesc: 'Success', additionalInfo: { paymentTime: 'x' } }),
      );
      // A malformed amount ("10000", kept as an anomaly) must not make the well-formed one look like a repeat.
      expect(dedupeKey('invoice-paid', paid)).not.toBe(dedupeKey('invoice-paid', { ...paid, amount: { value: '10000', currency: 'IDR' } }));
    });

    it('differs for another status, another amount or other ids', () => {
      const base = dedupeKey('invoice-paid', paid);
      expect(dedupeKey('invoice-paid', { ...paid, latestTransactionStatus: '06' })).not.toBe(base);
      expect(dedupeKey('invoice-paid', { ...paid, amount: { value: '1.00', currency: 'IDR' } })).not.toBe(base);
      expect(dedupeKey('invoice-paid', { ...paid, originalReferenceNo: 'NETZ-INV-2' })).not.toBe(base);
    });

    it('treats the token and SNAP variants of a QRIS payment as one notification', () => {
      const qris = { originalReferenceNo: '411310123456', latestTransactionStatus: '00', amount: { value: '5000.00', currency: 'IDR' } };
      expect(dedupeKey('qris-paid', qris)).toBe(dedupeKey('qris-paid-snap', qris));
    });

    it('separates withdrawal notifications by type (merchant vs deposit)', () => {
      const wd = { originalReferenceNo: 'r', originalPartnerReferenceNo: 'p', latestTransactionStatus: '00', additionalInfo: { type: 'submit_withdraw' } };
      expect(dedupeKey('withdrawal-status', wd)).not.toBe(dedupeKey('withdrawal-status', { ...wd, additionalInfo: { type: 'submit_withdraw_deposit' } }));
    });
  });

  it.each([...CALLBACK_KIND_LIST])('the Swagger example of %s is read as its event and answered as documented', (kind) => {
    const { body, reply } = CALLBACK_EXAMPLES[kind];
    expect(parseCallback(kind, body).type).toBe(kind === 'qris-paid-snap' ? 'qris-paid' : kind);
    expect(successReply(kind, body)).toEqual(reply);
  });

  it('knows every kind of the one list in @app/snap, and nothing else', () => {
    expect(Object.keys(CALLBACK_KIND_INFO).sort()).toEqual([...CALLBACK_KIND_LIST].sort());
    expect(CALLBACK_KIND_LIST).toEqual(['invoice-paid', 'qris-paid', 'qris-paid-snap', 'withdrawal-status', 'qris-payment', 'bill-paid', 'account-upgrade']);
  });

  describe('successReply', () => {
    it('echoes the reference numbers where each page documents them', () => {
      expect(successReply('invoice-paid', paid)).toEqual({ responseCode: '2000000', responseMessage: 'Successful' });
      expect(successReply('withdrawal-status', { originalReferenceNo: 'r', originalPartnerReferenceNo: 'p' })).toEqual({
        responseCode: '2000000',
        responseMessage: 'Successful',
        originalReferenceNo: 'r',
        originalPartnerReferenceNo: 'p',
        additionalInfo: { originalReferenceNo: 'r', originalPartnerReferenceNo: 'p' },
      });
      expect(successReply('bill-paid', { originalReferenceNo: 'b' })).toEqual({
        responseCode: '2000000',
        responseMessage: 'Successful',
        additionalInfo: { originalReferenceNo: 'b' },
      });
      expect(successReply('account-upgrade', { originalReferenceNo: 'u' })).toEqual({
        responseCode: '2000000',
        responseMessage: 'Successful',
        originalReferenceNo: 'u',
      });
    });
  });

  it('mainReference picks what admins search by', () => {
    expect(mainReference('invoice-paid', paid)).toBe('NETZ-INV-1');
    expect(mainReference('withdrawal-status', { originalReferenceNo: 'r', originalPartnerReferenceNo: 'p' })).toBe('p');
    expect(mainReference('bill-paid', { originalReferenceNo: 'r', additionalInfo: { billId: 'b' } })).toBe('b');
  });

  it('safeHeaders redacts secrets and keeps the rest', () => {
    expect(
      safeHeaders({ 'X-Callback-Token': 'secret', Authorization: 'Bearer k', 'Content-Type': 'application/json', 'x-signature': 'sig', multi: ['a', 'b'] }),
    ).toEqual({
      'x-callback-token': '[REDACTED]',
      authorization: '[REDACTED]',
      'content-type': 'application/json',
      'x-signature': 'sig',
      multi: 'a, b',
    });
  });
});
