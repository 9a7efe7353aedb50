import type { OrderSyncService } from '../invoice/order-sync.service';
import type { CallbackInboxService } from './callback-inbox.service';
import { CallbackOwnersService } from './callback-owners.service';
import { CallbackProcessorService, reapplyDelay } from './callback-processor.service';

/** Routing decisions only (the SQL side is covered end to end in test/callback). */
describe(CallbackProcessorService.name, () => {
  const notMine = { confirmPaymentNotification: async () => ({ outcome: 'not-mine' as const, reason: 'no order' }) } as unknown as OrderSyncService;
  const inbox = {} as CallbackInboxService;
  const wd = (type: string) => ({ originalReferenceNo: 'r', originalPartnerReferenceNo: 'p', latestTransactionStatus: '00', additionalInfo: { type } });

  describe('without the withdrawal and deposit modules', () => {
    const processor = new CallbackProcessorService(inbox, notMine, new CallbackOwnersService());

    it('keeps their notifications as pending_owner (never failed, never lost)', async () => {
      expect(await processor.route('withdrawal-status', wd('submit_withdraw'), 'cb')).toMatchObject({ status: 'pending_owner', owner: 'withdrawal' });
      expect(await processor.route('withdrawal-status', wd('submit_withdraw_deposit'), 'cb')).toMatchObject({ status: 'pending_owner', owner: 'deposit' });
    });

    it('an invoice the invoice module does not know is an anomaly (top-ups are invoices of that module too)', async () => {
      expect(await processor.route('invoice-paid', { originalReferenceNo: 'x' }, 'cb')).toMatchObject({ status: 'anomaly', owner: null });
      expect(await processor.route('invoice-paid', { additionalInfo: { apiSource: 'topup_deposit' } }, 'cb')).toMatchObject({ status: 'anomaly', owner: null });
    });
  });

  describe('with owners', () => {
    const owners = {
      withdrawals: () => ({ applyStatusNotification: async () => ({ outcome: 'applied' as const, withdrawalId: 'w-1' }) }),
      depositWithdrawals: () => ({ applyWithdrawalNotification: async () => ({ outcome: 'not-mine' as const, reason: 'unknown reference' }) }),
    } as unknown as CallbackOwnersService;
    const processor = new CallbackProcessorService(inbox, notMine, owners);

    it('routes by additionalInfo.type and keeps the id the owner names', async () => {
      expect(await processor.route('withdrawal-status', wd('submit_withdraw'), 'cb')).toEqual({ status: 'applied', owner: 'withdrawal', subjectId: 'w-1', reason: null });
      expect(await processor.route('withdrawal-status', wd('submit_withdraw_deposit'), 'cb')).toMatchObject({ status: 'anomaly', owner: null, reason: 'unknown reference' });
      expect(await processor.route('withdrawal-status', wd('what'), 'cb')).toMatchObject({ status: 'anomaly', reason: 'unknown withdrawal notification type "what"' });
    });

    it('records a top-up payment under the deposit owner, an order payment under invoice', async () => {
      const invoices = (purpose: string) => ({ confirmPaymentNotification: async () => ({ outcome: 'duplicate' as const, orderId: 't-1', purpose }) }) as unknown as OrderSyncService;
      const topups = new CallbackProcessorService(inbox, invoices('DEPOSIT_TOPUP'), owners);
      expect(await topups.route('invoice-paid', { originalReferenceNo: 'x' }, 'cb')).toEqual({ status: 'duplicate', owner: 'deposit', subjectId: 't-1', reason: null });
      const orders = new CallbackProcessorService(inbox, invoices('ORDER'), owners);
      expect(await orders.route('qris-paid', { additionalInfo: { invoiceNumber: 'x' } }, 'cb')).toEqual({ status: 'duplicate', owner: 'invoice', subjectId: 't-1', reason: null });
    });

    it('records notifications nobody owns, and static QRIS payments', async () => {
      for (const kind of ['qris-payment', 'bill-paid', 'account-upgrade'] as const) {
        expect(await processor.route(kind, {}, 'cb')).toMatchObject({ status: 'recorded', owner: null });
      }
      expect(await processor.route('qris-paid', { additionalInfo: { invoiceNumber: '' } }, 'cb')).toMatchObject({ status: 'recorded', reason: 'static QRIS payment (no invoice)' });
    });
  });

  describe('amounts are read strictly (an anomaly for review, never a payment)', () => {
    const asked: unknown[] = [];
    const orders = { confirmPaymentNotification: async (_k: string, p: unknown) => (asked.push(p), { outcome: 'applied' as const, orderId: 'o-1' }) } as unknown as OrderSyncService;
    const processor = new CallbackProcessorService(inbox, orders, new CallbackOwnersService());
    const base = { originalReferenceNo: 'NETZ-INV-1', latestTransactionStatus: '00' };
    // Literal bodies as an attacker (or a sloppy sender) would write them.
    const bad = [
      '{"amount":{"value":"15000","currency":"IDR"}}',
      '{"amount":{"value":15000,"currency":"IDR"}}',
      '{"amount":{"value":" 15000.00","currency":"IDR"}}',
      '{"amount":{"value":"015000.00","currency":"IDR"}}',
      '{"amount":{"value":"15000.00"}}',
      '{"amount":{"value":"15000.00","currency":"USD"}}',
      '{"amount":"15000.00"}',
      '{"amount":{"value":"15000.00","currency":"IDR"},"feeAmount":{"value":"15000.01","currency":"IDR"}}',
      '{"amount":{"value":"15000.00","currency":"IDR"},"netAmount":{"value":"15000","currency":"IDR"}}',
    ];

    it.each(bad)('%s is an anomaly and never reaches the order owner', async (fields) => {
      asked.length = 0;
      const result = await processor.route('invoice-paid', { ...base, ...(JSON.parse(fields) as object) }, 'cb');
      expect(result).toMatchObject({ status: 'anomaly', owner: null });
      expect((result as { reason: string }).reason).toMatch(/^unreadable amount, not a payment: /);
      expect(asked).toHaveLength(0);
    });

    it('well-formed or absent amounts go to the owner (which confirms with Netzme)', async () => {
      for (const fields of ['{"amount":{"value":"15000.00","currency":"IDR"},"feeAmount":{"value":"105.00","currency":"IDR"}}', '{"netAmount":{"value":"14895.00","currency":"IDR"}}', '{}']) {
        asked.length = 0;
        expect(await processor.route('invoice-paid', { ...base, ...(JSON.parse(fields) as object) }, 'cb')).toMatchObject({ status: 'applied', owner: 'invoice', subjectId: 'o-1' });
        expect(asked).toHaveLength(1);
      }
    });
  });

  it('backs off re-applies: 1 s, 5 s, 30 s, 2 min, then every 10 min', () => {
    expect([1, 2, 3, 4, 5, 9].map(reapplyDelay)).toEqual([1000, 5000, 30000, 120000, 600000, 600000]);
  });
});
