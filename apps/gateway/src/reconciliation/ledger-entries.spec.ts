import type { TransactionListItem } from '@app/snap';
import { depositEntries, netzmeSettlement, netzmeTime, orderEntry, paymentEntries, payoutEntry, withdrawStatusEntry } from './ledger-entries';

const invoicePayment = (over: Record<string, unknown> = {}, info: Record<string, unknown> = {}): TransactionListItem =>
  ({
    amount: { value: '15000.00', currency: 'IDR' },
    status: 'SUCCESS',
    type: 'PAYMENT',
    additionalInfo: {
      createdTs: '2026-11-20T09:59:00.000+07:00',
      feeAmount: { value: '105.00', currency: 'IDR' },
      invoiceId: 'NETZ-INV-M_1abc',
      invoiceType: 'api',
      paidTs: '2026-11-20T10:00:02.000+07:00',
      totalAmount: '15000',
      transactionId: 'trx-1',
      ts: '1795500002000',
      ...info,
    },
    ...over,
  }) as TransactionListItem;

describe('Netzme side', () => {
  describe('paymentEntries', () => {
    it('should read an invoice payment as an ORDER entry keyed by transaction and invoice id', () => {
      const { entries, skipped, unreadable } = paymentEntries([invoicePayment()]);
      expect(unreadable).toEqual([]);
      expect(skipped).toEqual({});
      expect(entries).toEqual([
        {
          source: 'ORDER',
          id: 'trx-1',
          keys: ['trx-1', 'NETZ-INV-M_1abc'],
          amountMinor: 1_500_000n,
          state: 'SETTLED',
          status: 'SUCCESS',
          at: new Date('2026-11-20T03:00:02.000Z'),
        },
      ]);
    });

    it('should read a QRIS payment without an invoice as QRIS_PAYMENT, keyed by its RRN', () => {
      const { entries } = paymentEntries([
        invoicePayment({}, { invoiceId: '', invoiceType: 'qris_static', transactionId: '411310123456', rrn: '411310123456' }),
      ]);
      expect(entries[0]).toMatchObject({ source: 'QRIS_PAYMENT', id: '411310123456', keys: ['411310123456', '411310123456'] });
    });

    it('should skip deposit top-ups (they belong to the deposit) and count them', () => {
      const { entries, skipped } = paymentEntries([invoicePayment({ type: 'TOP_UP' }), invoicePayment({ type: 'TOP_UP' })]);
      expect(entries).toEqual([]);
      expect(skipped).toEqual({ 'deposit top-up (transaction list)': 2 });
    });

    it('should fall back to totalAmount and accept amounts without decimals', () => {
      const { entries } = paymentEntries([invoicePayment({ amount: undefined }, { totalAmount: '9930' })]);
      expect(entries[0].amountMinor).toBe(993_000n);
    });

    it('should report items it cannot read instead of guessing', () => {
      const { entries, unreadable } = paymentEntries([
        invoicePayment({ amount: { value: '1.005', currency: 'IDR' } }, { totalAmount: undefined }),
        invoicePayment({}, { transactionId: '', invoiceId: '' }),
      ]);
      expect(entries).toEqual([]);
      expect(unreadable).toHaveLength(2);
      expect(unreadable[0]).toMatch(/readable amount/);
      expect(unreadable[1]).toMatch(/transaction id/);
    });
  });

  describe('depositEntries', () => {
    const movement = (type: string, amount: string, reference: string, ts: number) =>
      ({
        amount: { value: amount, currency: 'IDR' },
        status: 'SUCCESS',
        type,
        additionalInfo: { referenceNo: reference, transactionId: `e-${type}-${reference}`, tsLong: ts },
      }) as unknown as TransactionListItem;

    it('should turn a withdrawal debit into a settled DEPOSIT_WITHDRAWAL, and a reversed one into a failed one', () => {
      const { entries, skipped } = depositEntries([
        movement('WITHDRAW', '50000.00', 'ref-ok', 1_795_500_000_000),
        movement('WITHDRAW', '70000.00', 'ref-failed', 1_795_500_001_000),
        movement('WITHDRAW_REVERSAL', '70000.00', 'ref-failed', 1_795_500_002_000),
        movement('TOP_UP', '100000.00', 'P-TOPUP-1', 1_795_500_003_000),
        movement('SPLIT_FEE', '700.00', 'P-FEE-1', 1_795_500_004_000),
      ]);
      expect(entries).toEqual([
        {
          source: 'DEPOSIT_WITHDRAWAL',
          id: 'ref-ok',
          keys: ['ref-ok'],
          amountMinor: 5_000_000n,
          state: 'SETTLED',
          status: 'WITHDRAW',
          at: new Date(1_795_500_000_000),
        },
        {
          source: 'DEPOSIT_WITHDRAWAL',
          id: 'ref-failed',
          keys: ['ref-failed'],
          amountMinor: 7_000_000n,
          state: 'FAILED',
          status: 'WITHDRAW_REVERSED',
          at: new Date(1_795_500_001_000),
        },
      ]);
      expect(skipped).toEqual({ 'deposit top-up': 1, 'deposit split fee': 1 });
    });
  });

  describe('withdrawStatusEntry', () => {
    const ours = { referenceNo: 'ref-1', partnerReferenceNo: 'WD-1', createdAt: new Date('2026-11-20T03:00:00Z') };
    it.each([
      ['00', 'SETTLED'],
      ['03', 'OPEN'],
      ['06', 'FAILED'],
      ['07', 'FAILED'],
    ])('should read latestTransactionStatus %s as %s', (code, state) => {
      const entry = withdrawStatusEntry(
        {
          responseCode: '2000000',
          responseMessage: 'Successful',
          originalReferenceNo: 'ref-1',
          latestTransactionStatus: code,
          amount: { value: '50000.00', currency: 'IDR' },
        },
        ours,
      );
      expect(entry).toMatchObject({
        source: 'WITHDRAWAL',
        id: 'ref-1',
        keys: ['ref-1', 'WD-1'],
        amountMinor: 5_000_000n,
        state,
        status: code,
        at: ours.createdAt,
      });
    });

    it('should refuse an answer without status or amount', () => {
      expect(
        withdrawStatusEntry({ responseCode: '2000000', responseMessage: 'Successful', originalReferenceNo: 'ref-1', latestTransactionStatus: '' }, ours),
      ).toBeNull();
    });
  });

  it('should understand Netzme status words and times', () => {
    expect(['SUCCESS', 'paid', '00'].map(netzmeSettlement)).toEqual(['SETTLED', 'SETTLED', 'SETTLED']);
    expect(['INIT', 'unpaid', '03'].map(netzmeSettlement)).toEqual(['OPEN', 'OPEN', 'OPEN']);
    expect(['CLOSED', 'expired', '06', undefined].map(netzmeSettlement)).toEqual(['FAILED', 'FAILED', 'FAILED', 'FAILED']);
    expect(netzmeTime(undefined, '', '1795500002000')?.getTime()).toBe(1_795_500_002_000);
    expect(netzmeTime('2023-11-15T05:20:01+07:00')?.toISOString()).toBe('2023-11-14T22:20:01.000Z');
    expect(netzmeTime('not a date', null)).toBeNull();
  });
});

describe('our side', () => {
  it('should read a paid order at its payment time with the amount Netzme reported', () => {
    const entry = orderEntry({
      id: 'o-1',
      status: 'PAID',
      partnerReferenceNo: 'P-1',
      netzmeTrxId: 'trx-1',
      netzmeInvoiceId: null,
      amountMinor: 1_500_000n,
      paidAmountMinor: 1_500_100n,
      paidAt: new Date('2026-11-20T03:00:00Z'),
      createdAt: new Date('2026-11-20T02:50:00Z'),
    });
    expect(entry).toEqual({
      source: 'ORDER',
      id: 'o-1',
      keys: ['trx-1', 'P-1'],
      amountMinor: 1_500_100n,
      state: 'SETTLED',
      status: 'PAID',
      at: new Date('2026-11-20T03:00:00Z'),
    });
  });

  it.each([
    ['PENDING', 'OPEN'],
    ['UNKNOWN', 'OPEN'],
    ['CREATING', 'OPEN'],
    ['EXPIRED', 'FAILED'],
    ['FAILED', 'FAILED'],
  ])('should read an order in %s as %s', (status, state) => {
    const entry = orderEntry({
      id: 'o',
      status,
      partnerReferenceNo: 'P',
      netzmeTrxId: null,
      netzmeInvoiceId: null,
      amountMinor: 1n,
      paidAmountMinor: null,
      paidAt: null,
      createdAt: new Date(0),
    });
    expect(entry.state).toBe(state);
    expect(entry.at).toEqual(new Date(0));
  });

  it.each([
    ['SUCCEEDED', 'SETTLED'],
    ['PROCESSING', 'OPEN'],
    ['UNKNOWN', 'OPEN'],
    ['PENDING_SUBMIT', 'OPEN'],
    ['FAILED', 'FAILED'],
  ])('should read a payout in %s as %s', (status, state) => {
    const entry = payoutEntry({ id: 'w', status, amountMinor: 5n, partnerReferenceNo: 'WD-1', referenceNo: null, createdAt: new Date(0) }, 'WITHDRAWAL');
    expect(entry).toMatchObject({ state, keys: ['WD-1'] });
  });
});
