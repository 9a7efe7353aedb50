import type { BankAccount } from '../merchants/merchants.service';

export type WithdrawalKind = 'merchant' | 'deposit';
export type WithdrawalStatus = 'PROCESSING' | 'SUCCESS' | 'FAILED';

/** A payout to the merchant's (or partner's) bank account. Debited once when accepted. */
export interface Withdrawal {
  referenceNo: string;
  partnerReferenceNo: string;
  clientId: string;
  merchantId: string;
  kind: WithdrawalKind;
  type: 'submit_withdraw' | 'submit_withdraw_deposit';
  amountMinor: bigint;
  beneficiary: BankAccount;
  status: WithdrawalStatus;
  createdAtMs: number;
  completedAtMs?: number;
  /** Repeats of the same partnerReferenceNo that were refused with 409xx01. */
  duplicatesRefused: number;
}

/** latestTransactionStatus: 00 success, 03 pending, 06 failed (SNAP; 03/06 INFERRED for Netzme). */
export function latestTransactionStatus(status: WithdrawalStatus): { code: string; desc: string } {
  switch (status) {
    case 'SUCCESS':
      return { code: '00', desc: 'success' };
    case 'FAILED':
      return { code: '06', desc: 'failed' };
    case 'PROCESSING':
      return { code: '03', desc: 'processing' };
  }
}

/** What `exportState()` hands to the state file (persistence) and `importState()` takes back. */
export interface WithdrawalsState {
  /** In acceptance order. */
  withdrawals: Withdrawal[];
  /** referenceNos of finished transfers in the order they finished. */
  finishedOrder: string[];
  /** `<clientId> <kind> <partnerReferenceNo>` of finished transfers dropped by the retention limit. */
  evictedReferences: string[];
  /** Netzme referenceNos of those transfers (a deposit withdrawal may choose its own). */
  evictedReferenceNos: string[];
}
