import { Injectable, Optional } from '@nestjs/common';
import { DepositService } from '../deposit/deposit.service';
import { WithdrawalsService } from '../withdrawal/withdrawals.service';

/** What every owner function answers (the invoice, withdrawal and deposit modules agree on it). */
export interface OwnerResult {
  outcome: 'applied' | 'duplicate' | 'anomaly' | 'not-mine';
  reason?: string;
}

/** An owner that confirms with Netzme may also answer "ask me again later" (Netzme could not be asked). */
export type ConfirmingOwnerResult = OwnerResult | { outcome: 'retry'; reason: string };

/** Withdrawal module: Withdraw Status Notification, `additionalInfo.type = submit_withdraw`. */
export interface WithdrawalNotificationOwner {
  applyStatusNotification(payload: Record<string, unknown>): Promise<OwnerResult>;
}

/** Deposit module: deposit withdrawals (`submit_withdraw_deposit`); top-up payments are the invoice module's. */
export interface DepositNotificationOwner {
  applyWithdrawalNotification(payload: Record<string, unknown>): Promise<OwnerResult>;
}

/**
 * The modules that own withdrawal and deposit notifications, through their exported services. A
 * build without one of them (they are optional here) keeps such notifications as `pending_owner`
 * for the re-apply job instead of failing.
 */
@Injectable()
export class CallbackOwnersService {
  constructor(
    @Optional() private readonly withdrawalsService?: WithdrawalsService,
    @Optional() private readonly depositService?: DepositService,
  ) {}

  withdrawals(): WithdrawalNotificationOwner | null {
    return this.withdrawalsService ?? null;
  }

  depositWithdrawals(): Pick<DepositNotificationOwner, 'applyWithdrawalNotification'> | null {
    return this.depositService ?? null;
  }
}
