import { Injectable, Logger } from '@nestjs/common';
import { NetzmeClient } from '@app/netzme-client';
import type { WithdrawalStatusEvent } from '../callback';
import { netzmeHttpError, PayoutEngine, type NotificationResult } from '../payout';

export { WITHDRAWAL_STATUS_POLL_JOB } from '../payout';

/**
 * What is merchant-specific about withdrawals: the PIN (Create pin, Forgot pin) and the callback
 * module's entry point for merchant Withdraw Status Notifications. Everything else is the payout
 * engine (payout/), shared with deposit withdrawals.
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

  /**
   * Withdraw Status Notification (T19), for the callback module. Deposit notifications
   * (`submit_withdraw_deposit`) are 'not-mine' here: DepositService.applyWithdrawalNotification.
   */
  async applyStatusNotification(event: WithdrawalStatusEvent): Promise<NotificationResult> {
    const result = await this.engine.applyNotification('MERCHANT', event);
    if (result.outcome === 'anomaly') {
      this.logger.warn(`withdrawal status notification anomaly: ${result.reason}`);
    }
    return result;
  }
}
