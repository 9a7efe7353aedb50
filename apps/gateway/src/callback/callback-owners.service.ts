import { Injectable, Optional } from '@nestjs/common';
import { DepositService } from '../deposit';
import { OrderSyncService, type InvoicePurpose } from '../invoice';
import { WithdrawalsService } from '../withdrawal';
import type { PaymentNotificationEvent, WithdrawalStatusEvent } from './callback-events';

/** What every owner function answers (the invoice, withdrawal and deposit modules agree on it). */
export interface OwnerResult {
  outcome: 'applied' | 'duplicate' | 'anomaly' | 'not-mine';
  reason?: string;
}

/** An owner that confirms with Netzme may also answer "ask me again later" (Netzme could not be asked). */
export type ConfirmingOwnerResult = OwnerResult | { outcome: 'retry'; reason: string };

/**
 * Invoice module: a payment notification (T15 invoice, T16-T18 QRIS) that may name an invoice of
 * ours, a checkout order or a deposit top-up alike. It confirms with Netzme before the invoice
 * moves, and names the invoice it touched and what that invoice is for.
 */
export interface InvoiceNotificationOwner {
  confirmPaymentNotification(
    event: PaymentNotificationEvent,
    meta: { callbackId: string },
  ): Promise<ConfirmingOwnerResult & { orderId?: string; purpose?: InvoicePurpose }>;
}

/** Withdrawal module: Withdraw Status Notification of a merchant withdrawal (`submit_withdraw`). */
export interface WithdrawalNotificationOwner {
  applyStatusNotification(event: WithdrawalStatusEvent): Promise<OwnerResult>;
}

/** Deposit module: deposit withdrawals (`submit_withdraw_deposit`); top-up payments are the invoice module's. */
export interface DepositNotificationOwner {
  applyWithdrawalNotification(event: WithdrawalStatusEvent): Promise<OwnerResult>;
}

/**
 * The modules that own the notifications, through their exported services and the ports above. A
 * build without the withdrawal or deposit module (optional here) keeps their notifications as
 * `pending_owner` for the re-apply job instead of failing.
 */
@Injectable()
export class CallbackOwnersService {
  constructor(
    private readonly orderSync: OrderSyncService,
    @Optional() private readonly withdrawalsService?: WithdrawalsService,
    @Optional() private readonly depositService?: DepositService,
  ) {}

  invoices(): InvoiceNotificationOwner {
    return this.orderSync;
  }

  withdrawals(): WithdrawalNotificationOwner | null {
    return this.withdrawalsService ?? null;
  }

  depositWithdrawals(): Pick<DepositNotificationOwner, 'applyWithdrawalNotification'> | null {
    return this.depositService ?? null;
  }
}
