import type { WithdrawalStatusEvent } from '../callback';
import { mapNetzmeTransferStatus, type NetzmeTransferState } from './payout-state';
import type { WithdrawalKind } from './withdrawal.entity';

/**
 * What a Withdraw Status Notification says about payouts of one kind (pure: no I/O). The callback
 * module already read the body once into a WithdrawalStatusEvent (docs/callbacks.md): whose
 * withdrawal it is (`additionalInfo.type`), the ids, the status, and the amount strictly as IDR
 * with two decimals. Only the payout reading of it is left here.
 */
export type PayoutNotification =
  | { kind: 'not-mine'; reason: string }
  | {
      kind: 'read';
      partnerReferenceNo?: string;
      referenceNo?: string;
      /** null: a status we do not understand. */
      state: NetzmeTransferState | null;
      /** The stated amount in sen, null when the notification states none. */
      amountMinor: bigint | null;
    };

/** The event's `withdrawal` (from `additionalInfo.type`) for each payout kind. */
const EVENT_WITHDRAWAL: Record<WithdrawalKind, WithdrawalStatusEvent['withdrawal']> = { MERCHANT: 'merchant', DEPOSIT: 'deposit' };

/** 'not-mine' when the notification is about another kind of withdrawal or names none at all. */
export function readPayoutNotification(kind: WithdrawalKind, event: WithdrawalStatusEvent): PayoutNotification {
  if (event.withdrawal !== EVENT_WITHDRAWAL[kind]) {
    return { kind: 'not-mine', reason: `notification type ${event.notificationType} belongs to another kind of withdrawal` };
  }
  // The parser never makes such an event; the engine does not rely on it.
  if (!event.partnerReferenceNo && !event.referenceNo) {
    return { kind: 'not-mine', reason: 'the notification names no withdrawal (no originalPartnerReferenceNo / originalReferenceNo)' };
  }
  return {
    kind: 'read',
    partnerReferenceNo: event.partnerReferenceNo,
    referenceNo: event.referenceNo,
    state: mapNetzmeTransferStatus(event.status, event.statusDesc),
    amountMinor: event.amount,
  };
}
