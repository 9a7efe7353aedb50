import { Injectable, Logger } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';

/** What every owner function answers (the invoice, withdrawal and deposit modules agree on it). */
export interface OwnerResult {
  outcome: 'applied' | 'duplicate' | 'anomaly' | 'not-mine';
  reason?: string;
  [key: string]: unknown;
}

/** Withdrawal module: Withdraw Status Notification, `additionalInfo.type = submit_withdraw`. */
export interface WithdrawalNotificationOwner {
  applyStatusNotification(payload: Record<string, unknown>): Promise<OwnerResult>;
}

/** Deposit module: top-up payments and deposit withdrawals (`submit_withdraw_deposit`). */
export interface DepositNotificationOwner {
  applyTopupPayment(payload: Record<string, unknown>): Promise<OwnerResult>;
  applyWithdrawalNotification(payload: Record<string, unknown>): Promise<OwnerResult>;
}

/**
 * Finds the services that own withdrawal and deposit notifications: the withdrawal module's
 * WithdrawalsService and the deposit module's DepositService, by their exported name and the method
 * they promise. Looked up when needed (not injected) so the callback module starts, and keeps
 * notifications as `pending_owner`, in builds where one of those modules is not there yet.
 */
@Injectable()
export class CallbackOwnersService {
  private readonly logger = new Logger('Callbacks');
  private readonly cache = new Map<string, unknown>();
  private readonly warned = new Set<string>();

  constructor(private readonly discovery: DiscoveryService) {}

  withdrawals(): WithdrawalNotificationOwner | null {
    return this.find<WithdrawalNotificationOwner>('WithdrawalsService', ['applyStatusNotification']);
  }

  depositTopups(): Pick<DepositNotificationOwner, 'applyTopupPayment'> | null {
    return this.find<DepositNotificationOwner>('DepositService', ['applyTopupPayment']);
  }

  depositWithdrawals(): Pick<DepositNotificationOwner, 'applyWithdrawalNotification'> | null {
    return this.find<DepositNotificationOwner>('DepositService', ['applyWithdrawalNotification']);
  }

  private find<T>(name: string, methods: string[]): T | null {
    const key = `${name}:${methods.join(',')}`;
    if (this.cache.has(key)) {
      return this.cache.get(key) as T;
    }
    const wrapper = this.discovery
      .getProviders()
      .find((w) => w.metatype?.name === name && w.instance && methods.every((m) => typeof (w.instance as Record<string, unknown>)[m] === 'function'));
    const instance = (wrapper?.instance as T | undefined) ?? null;
    if (instance) {
      this.cache.set(key, instance);
    } else if (!this.warned.has(key)) {
      this.warned.add(key);
      this.logger.warn(`${name}.${methods.join('/')} is not available: such notifications are kept as pending_owner`);
    }
    return instance;
  }
}
