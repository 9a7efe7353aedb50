import { Injectable, Optional } from '@nestjs/common';
import { DepositService } from '../deposit';
import { OrderSyncService } from '../invoice/order-sync.service';
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
 * Invoice module: a payment notification (T15 invoice, T16-T18 QRIS) that may name an order. It
 * confirms with Netzme before the order moves, and names the order it touched.
 */
export interface InvoiceNotificationOwner {
  confirmPaymentNotification(event: PaymentNotificationEvent, meta: { callbackId: string }): Promise<ConfirmingOwnerResult & { orderId?: string }>;
}

/** Withdrawal module: Withdraw Status Notification of a merchant withdrawal (`submit_withdraw`). */
export interface WithdrawalNotificationOwner {
  applyStatusNotification(event: WithdrawalStatusEvent): Promise<OwnerResult>;
}

/** Deposit module: top-up payments and deposit withdrawals (`submit_withdraw_deposit`). */
export interface DepositNotificationOwner {
  applyTopupPayment(event: PaymentNotificationEvent): Promise<ConfirmingOwnerResult>;
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

  depositTopups(): Pick<DepositNotificationOwner, 'applyTopupPayment'> | null {
    return this.depositService ?? null;
  }

  depositWithdrawals(): Pick<DepositNotificationOwner, 'applyWithdrawalNotification'> | null {
    return this.depositService ?? null;
  }
}
