import type { CallbackRepository } from './callback.repository';
import type { CallbackEvent } from './callback-events';
import { CallbackOwnersService } from './callback-owners.service';
import { parseCallback } from './callback-parser';
import { CallbackProcessorService, reapplyDelay } from './callback-processor.service';
import type { OrderSyncService } from '../invoice';

/** Routing decisions only (the SQL side is covered end to end in test/callback). */
describe(CallbackProcessorService.name, () => {
  const notMine = { confirmPaymentNotification: async () => ({ outcome: 'not-mine' as const, reason: 'no order' }) } as unknown as OrderSyncService;
  const inbox = {} as CallbackRepository;
  /** An event as the parser reads it from a literal body. */
  const event = (kind: Parameters<typeof parseCallback>[0], body: string): CallbackEvent => {
    const read = parseCallback(kind, JSON.parse(body) as Record<string, unknown>);
    if (read.type === 'unreadable') throw new Error(read.reason);
    return read;
  };
  const wd = (type: string) =>
    event(
      'withdrawal-status',
      `{"originalReferenceNo":"r","originalPartnerReferenceNo":"p","latestTransactionStatus":"00","additionalInfo":{"type":"${type}"}}`,
    );

  describe('without the withdrawal and deposit modules', () => {
    const processor = new CallbackProcessorService(inbox, new CallbackOwnersService(notMine));

    it('keeps their notifications as pending_owner (never failed, never lost)', async () => {
      expect(await processor.route(wd('submit_withdraw'), 'cb')).toMatchObject({ status: 'pending_owner', owner: 'withdrawal' });
      expect(await processor.route(wd('submit_withdraw_deposit'), 'cb')).toMatchObject({ status: 'pending_owner', owner: 'deposit' });
    });

    it('an invoice the invoice module does not know is an anomaly (top-ups are invoices of that module too)', async () => {
      expect(await processor.route(event('invoice-paid', '{"originalReferenceNo":"x"}'), 'cb')).toMatchObject({
        status: 'anomaly',
        owner: null,
        reason: 'unknown invoice: no order',
      });
      expect(await processor.route(event('invoice-paid', '{"originalReferenceNo":"x","additionalInfo":{"apiSource":"topup_deposit"}}'), 'cb')).toMatchObject({
        status: 'anomaly',
        owner: null,
        reason: 'unknown invoice: no order (marked as a deposit top-up)',
      });
      expect(
        await processor.route(event('qris-paid', '{"originalReferenceNo":"411310123456","additionalInfo":{"invoiceNumber":"NETZ-INV-1"}}'), 'cb'),
      ).toMatchObject({
        status: 'anomaly',
        owner: null,
        reason: 'QRIS payment of unknown invoice NETZ-INV-1',
      });
    });
  });

  describe('with owners', () => {
    const owners = {
      invoices: () => notMine,
      withdrawals: () => ({ applyStatusNotification: async () => ({ outcome: 'applied' as const, withdrawalId: 'w-1' }) }),
      depositWithdrawals: () => ({ applyWithdrawalNotification: async () => ({ outcome: 'not-mine' as const, reason: 'unknown reference' }) }),
    } as unknown as CallbackOwnersService;
    const processor = new CallbackProcessorService(inbox, owners);

    it('routes by additionalInfo.type and keeps the id the owner names', async () => {
      expect(await processor.route(wd('submit_withdraw'), 'cb')).toEqual({ status: 'applied', owner: 'withdrawal', subjectId: 'w-1', reason: null });
      expect(await processor.route(wd('submit_withdraw_deposit'), 'cb')).toMatchObject({ status: 'anomaly', owner: null, reason: 'unknown reference' });
    });

    it('records a top-up payment under the deposit owner, an order payment under invoice, also when paid by QRIS', async () => {
      const asked: CallbackEvent[] = [];
      const invoices = (purpose: string) =>
        new CallbackProcessorService(inbox, {
          ...owners,
          invoices: () => ({
            confirmPaymentNotification: async (e: CallbackEvent) => (asked.push(e), { outcome: 'duplicate' as const, orderId: 't-1', purpose }),
          }),
        } as unknown as CallbackOwnersService);
      const topups = invoices('DEPOSIT_TOPUP');
      expect(await topups.route(event('invoice-paid', '{"originalReferenceNo":"x"}'), 'cb')).toEqual({
        status: 'duplicate',
        owner: 'deposit',
        subjectId: 't-1',
        reason: null,
      });
      expect(await topups.route(event('qris-paid', '{"originalReferenceNo":"411310123456","additionalInfo":{"invoiceNumber":"NETZ-INV-1"}}'), 'cb')).toEqual({
        status: 'duplicate',
        owner: 'deposit',
        subjectId: 't-1',
        reason: null,
      });
      const orders = invoices('ORDER');
      expect(await orders.route(event('qris-paid', '{"originalReferenceNo":"411310123456","additionalInfo":{"invoiceNumber":"x"}}'), 'cb')).toEqual({
        status: 'duplicate',
        owner: 'invoice',
        subjectId: 't-1',
        reason: null,
      });
      expect(asked.map((e) => e.type)).toEqual(['invoice-paid', 'qris-paid', 'qris-paid']);
    });

    it('records notifications nobody owns, and static QRIS payments', async () => {
      expect(await processor.route(event('qris-payment', '{"originalReferenceNo":"r","latestTransactionStatus":"00"}'), 'cb')).toMatchObject({
        status: 'recorded',
        owner: null,
      });
      expect(
        await processor.route(event('bill-paid', '{"originalReferenceNo":"r","latestTransactionStatus":"00","additionalInfo":{"billId":"b"}}'), 'cb'),
      ).toMatchObject({ status: 'recorded', owner: null });
      expect(await processor.route(event('account-upgrade', '{"originalReferenceNo":"r","custId":"c","status":"approved"}'), 'cb')).toMatchObject({
        status: 'recorded',
        owner: null,
      });
      expect(await processor.route(event('qris-paid', '{"originalReferenceNo":"411310123456","additionalInfo":{"invoiceNumber":""}}'), 'cb')).toMatchObject({
        status: 'recorded',
        reason: 'static QRIS payment (no invoice)',
      });
    });
  });

  describe('the invoice owner gets the typed event', () => {
    const asked: CallbackEvent[] = [];
    const orders = {
      confirmPaymentNotification: async (e: CallbackEvent) => (asked.push(e), { outcome: 'applied' as const, orderId: 'o-1' }),
    } as unknown as OrderSyncService;
    const processor = new CallbackProcessorService(inbox, new CallbackOwnersService(orders));

    it('with its amounts already in minor units, or null where absent', async () => {
      for (const [fields, amount] of [
        ['"amount":{"value":"15000.00","currency":"IDR"},"feeAmount":{"value":"105.00","currency":"IDR"}', 1500000n],
        ['"netAmount":{"value":"14895.00","currency":"IDR"}', null],
      ] as const) {
        asked.length = 0;
        const e = event('invoice-paid', `{"originalReferenceNo":"NETZ-INV-1","latestTransactionStatus":"00",${fields}}`);
        expect(await processor.route(e, 'cb')).toMatchObject({ status: 'applied', owner: 'invoice', subjectId: 'o-1' });
        expect(asked).toEqual([e]);
        expect(asked[0]).toMatchObject({ type: 'invoice-paid', amounts: { amount } });
      }
    });

    it('a stored body it cannot read (re-apply) is an anomaly and never reaches the owner', async () => {
      const finished: unknown[] = [];
      const recording = new CallbackProcessorService(
        { finish: async (_id: string, result: unknown) => void finished.push(result) } as unknown as CallbackRepository,
        new CallbackOwnersService(orders),
      );
      asked.length = 0;
      const rawBody = '{"originalReferenceNo":"NETZ-INV-1","latestTransactionStatus":"00","amount":{"value":"15000","currency":"IDR"}}';
      expect(await recording.applyStored({ id: 'cb-1', kind: 'invoice-paid', rawBody, attempts: 1 })).toMatchObject({ status: 'anomaly', owner: null });
      expect(finished).toEqual([
        {
          status: 'anomaly',
          owner: null,
          reason: expect.stringMatching(/^unreadable amount, not a payment: amount.value must be a decimal string with two decimals/),
        },
      ]);
      expect(asked).toHaveLength(0);
    });
  });

  it('backs off re-applies: 1 s, 5 s, 30 s, 2 min, then every 10 min', () => {
    expect([1, 2, 3, 4, 5, 9].map(reapplyDelay)).toEqual([1000, 5000, 30000, 120000, 600000, 600000]);
  });
});
