import type { WithdrawalKind } from './withdrawal.entity';
import type { NetzmeTransferState } from './payout-state';

/** The payout account Netzme has on file, echoed verbatim into the transfer request. */
export interface Beneficiary {
  accountName: string;
  accountNumber: string;
  bankName: string;
  bankCode: string;
}

/** A fresh Withdraw Inquiry (merchant) or Inquiry Withdraw Deposit, in exact money. */
export interface PayoutInquiry {
  beneficiary: Beneficiary;
  withdrawableMinor: bigint;
  minimumMinor: bigint;
  allowed: boolean;
  currency: string;
  /** Netzme's id of the inquiry, for the audit trail. */
  referenceNo?: string;
}

export interface PayoutSubmitRequest {
  partnerReferenceNo: string;
  /** Partner-generated referenceNo (deposit withdrawals), null when Netzme assigns it. */
  referenceNo: string | null;
  merchantId: string;
  amountMinor: bigint;
  currency: string;
  beneficiary: Beneficiary;
  /** The clear PIN, hashed by the Netzme client; never stored or logged. */
  pin: string;
}

export type PayoutStatusAnswer =
  /** Netzme knows the transfer; `state` null = a status we do not understand (changes nothing). */
  | { kind: 'found'; state: NetzmeTransferState | null; netzmeStatus?: string; description?: string; referenceNo?: string; amountMinor?: bigint | null }
  /** Netzme says it has no such transfer. */
  | { kind: 'not-found' }
  /** Cannot be asked (e.g. no Netzme referenceNo to ask with). */
  | { kind: 'unsupported' };

/**
 * The Netzme calls one kind of payout needs. The engine holds all the safety rules (write first,
 * unknown outcomes, one in flight, resubmission with the same reference, polling); a rail only
 * speaks Netzme. Errors are thrown as NetzmeError (outcome 'definite' | 'unknown').
 */
export interface PayoutRail {
  readonly kind: WithdrawalKind;
  /** Prefix of our partnerReferenceNo, e.g. "WD" or "DW". */
  readonly referencePrefix: string;
  /** The merchant (custIdMerchant) whose money this rail moves. */
  merchantId(): string;
  inquiry(): Promise<PayoutInquiry>;
  /** Deposit withdrawals send a partner-generated referenceNo; merchant withdrawals get Netzme's. */
  newReferenceNo(): string | null;
  submit(request: PayoutSubmitRequest): Promise<{ referenceNo?: string }>;
  status(request: { partnerReferenceNo: string; referenceNo: string | null }): Promise<PayoutStatusAnswer>;
}
