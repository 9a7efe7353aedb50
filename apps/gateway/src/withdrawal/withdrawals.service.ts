import { Injectable, Logger } from '@nestjs/common';
import { NetzmeClient } from '@app/netzme-client';
import type { WithdrawStatusCallback } from '@app/snap';
import { netzmeHttpError, PayoutEngine, toInquiryView, toWithdrawalView, type NotificationResult, type PayoutStatus, type WithdrawalInquiryView, type WithdrawalPage, type WithdrawalView } from '../payout';

export { WITHDRAWAL_STATUS_POLL_JOB } from '../payout';

/**
 * Merchant withdrawals (merchant balance -> bank) for the API, the callback module and the
 * scheduler. The safety machinery lives in PayoutEngine (shared with deposit withdrawals).
 */
@Injectable()
export class WithdrawalsService {
  private readonly logger = new Logger('Withdrawals');

  constructor(
    private readonly engine: PayoutEngine,
    private readonly netzmeClient: NetzmeClient,
  ) {}

  /** T3 Create pin. The clear PIN is hashed by the client and never kept. */
  async createPin(pin: string): Promise<{ pinSet: true; partnerReferenceNo: string }> {
    try {
      const answer = await this.netzmeClient.createPin(pin);
      return { pinSet: true, partnerReferenceNo: answer.partnerReferenceNo };
    } catch (err) {
      throw netzmeHttpError(err, 'Create PIN');
    }
  }

  /** T4 Forgot pin: Netzme starts its out-of-band reset. */
  async forgotPin(): Promise<{ requested: true; retryAfterMs: number | null; partnerReferenceNo: string }> {
    try {
      const answer = await this.netzmeClient.forgotPin();
      const wait = Number(answer.additionalInfo?.timeLeftInMillis);
      return { requested: true, retryAfterMs: Number.isFinite(wait) ? wait : null, partnerReferenceNo: answer.partnerReferenceNo };
    } catch (err) {
      throw netzmeHttpError(err, 'Forgot PIN');
    }
  }

  async inquiry(): Promise<WithdrawalInquiryView> {
    try {
      return toInquiryView(await this.engine.inquiry('MERCHANT'));
    } catch (err) {
      throw netzmeHttpError(err, 'Withdraw inquiry');
    }
  }

  async create(input: { amount: string; pin: string; idempotencyKey: string; requestedBy?: string }): Promise<{ created: boolean; withdrawal: WithdrawalView }> {
    try {
      const { created, withdrawal } = await this.engine.create('MERCHANT', input);
      return { created, withdrawal: toWithdrawalView(withdrawal, this.engine.needsReview(withdrawal)) };
    } catch (err) {
      throw netzmeHttpError(err, 'Withdraw inquiry');
    }
  }

  async get(id: string): Promise<WithdrawalView> {
    const row = await this.engine.get('MERCHANT', id);
    return toWithdrawalView(row, this.engine.needsReview(row));
  }

  async list(filter: { status?: PayoutStatus; from?: Date; to?: Date; page: number; pageSize: number }): Promise<WithdrawalPage> {
    const { status, from, to, page, pageSize } = filter;
    const { items, total = 0 } = await this.engine.list('MERCHANT', { status, from, to, offset: (page - 1) * pageSize, limit: pageSize, withTotal: true });
    return { items: items.map((row) => toWithdrawalView(row, this.engine.needsReview(row), false)), total, page: filter.page, pageSize: filter.pageSize };
  }

  async reviewQueue(): Promise<WithdrawalView[]> {
    const rows = await this.engine.reviewQueue('MERCHANT');
    return rows.map((row) => toWithdrawalView(row, true, false));
  }

  async resolve(id: string, input: { status: 'SUCCEEDED' | 'FAILED'; reason: string; actor: string }): Promise<WithdrawalView> {
    const row = await this.engine.resolve('MERCHANT', id, input);
    return toWithdrawalView(row, this.engine.needsReview(row));
  }

  async resubmit(id: string, input: { pin: string; actor: string }): Promise<WithdrawalView> {
    try {
      const row = await this.engine.resubmit('MERCHANT', id, input);
      return toWithdrawalView(row, this.engine.needsReview(row));
    } catch (err) {
      throw netzmeHttpError(err, 'Withdrawal status check');
    }
  }

  /**
   * Withdraw Status Notification (T19), for the callback module. Deposit notifications
   * (`submit_withdraw_deposit`) are 'not-mine' here: DepositService.applyWithdrawalNotification.
   */
  async applyStatusNotification(payload: WithdrawStatusCallback | Record<string, unknown>): Promise<NotificationResult> {
    const result = await this.engine.applyNotification('MERCHANT', payload);
    if (result.outcome === 'anomaly') {
      this.logger.warn(`withdrawal status notification anomaly: ${result.reason}`);
    }
    return result;
  }
}
