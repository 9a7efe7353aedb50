import { toMinorLenient } from '@app/snap';
import { mapNetzmeTransferStatus, type NetzmeTransferState } from './payout-state';
import type { WithdrawalKind } from './withdrawal.entity';

/** Notification `additionalInfo.type` per kind (docs/netzme-protocol.md T19). */
export const NOTIFICATION_TYPES: Record<WithdrawalKind, string> = {
  MERCHANT: 'submit_withdraw',
  DEPOSIT: 'submit_withdraw_deposit',
};

/** What a Withdraw Status Notification says, read leniently (pure: no I/O). */
export type PayoutNotification =
  | { kind: 'not-mine'; reason: string }
  | {
      kind: 'read';
      partnerReferenceNo?: string;
      referenceNo?: string;
      /** null: a status we do not understand. */
      state: NetzmeTransferState | null;
      latestTransactionStatus: unknown;
      transactionStatusDesc: unknown;
      currency?: string;
      /** undefined: no amount; null: an amount we cannot read exactly. */
      amountMinor?: bigint | null;
      rawAmount?: unknown;
    };

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
const record = (value: unknown) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});

/** Read a notification for payouts of `kind`: 'not-mine' when it names another kind or no payout at all. */
export function readPayoutNotification(kind: WithdrawalKind, payload: unknown): PayoutNotification {
  const body = record(payload);
  const type = text(record(body.additionalInfo).type);
  const partnerReferenceNo = text(body.originalPartnerReferenceNo);
  const referenceNo = text(body.originalReferenceNo);
  if (type && type !== NOTIFICATION_TYPES[kind]) {
    return { kind: 'not-mine', reason: `notification type ${type} belongs to another kind of withdrawal` };
  }
  if (!partnerReferenceNo && !referenceNo) {
    return { kind: 'not-mine', reason: 'the notification names no withdrawal (no originalPartnerReferenceNo / originalReferenceNo)' };
  }
  const amount = record(body.amount);
  return {
    kind: 'read',
    partnerReferenceNo,
    referenceNo,
    state: mapNetzmeTransferStatus(body.latestTransactionStatus, body.transactionStatusDesc),
    latestTransactionStatus: body.latestTransactionStatus,
    transactionStatusDesc: body.transactionStatusDesc,
    currency: typeof amount.currency === 'string' ? amount.currency : undefined,
    amountMinor: amount.value === undefined ? undefined : toMinorLenient(amount.value as string | number),
    rawAmount: amount.value,
  };
}
