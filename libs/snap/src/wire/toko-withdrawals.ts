/**
 * Toko Netzme (merchant side) request and response bodies: withdrawals from the merchant balance and from the deposit (T8/T22, T27/T23, T9/T24), one pair per page of
 * docs/netzme-protocol.md §3. Request types never contain numbers (see common.ts). Response fields
 * marked optional are either documented as optional or not seen in every example; parse defensively.
 */
import type { Amount, SnapResponse } from './common';

// ---- T8 Withdraw Inquiry / T22 Inquiry Withdraw Deposit -----------------------------------------

export interface WithdrawInquiryRequest {
  custIdMerchant: string;
  partnerReferenceNo: string;
  additionalInfo?: { type: 'withdraw_inquiry' };
}

export interface WithdrawInquiryResponse extends SnapResponse {
  partnerReferenceNo: string;
  referenceNo?: string;
  beneficiaryAccountName: string;
  beneficiaryAccountNumber: string;
  beneficiaryBankName: string;
  /** Numeric bank code as a string, e.g. "547". */
  beneficiaryBankCode: string;
  /** What can be withdrawn now. */
  amount: Amount;
  additionalInfo?: {
    amountAllowed?: boolean;
    minimumWithdrawalAmount?: Amount;
    [key: string]: unknown;
  };
}

export interface DepositWithdrawInquiryRequest {
  partnerReferenceNo: string;
  custIdMerchant: string;
}

export type DepositWithdrawInquiryResponse = WithdrawInquiryResponse;

// ---- T27 Withdraw Process / T23 Withdraw Deposit ------------------------------------------------

/** The four beneficiary fields, copied verbatim from the inquiry response. */
export interface Beneficiary {
  beneficiaryAccountName: string;
  beneficiaryAccountNumber: string;
  beneficiaryBankName: string;
  beneficiaryBankCode: string;
}

export interface WithdrawProcessRequest extends Beneficiary {
  /** The withdraw's idempotency key. */
  partnerReferenceNo: string;
  /** The merchant id. */
  customerNumber: string;
  amount: Amount;
  additionalInfo: {
    type: 'submit_withdraw';
    /** PIN hash, never the clear PIN. */
    pin: string;
  };
}

/** T27 response: INFERRED (SNAP transfer-bank, 2004300). The transfer completes asynchronously. */
export interface WithdrawProcessResponse extends SnapResponse {
  partnerReferenceNo: string;
  /** Netzme's id of the withdraw: the key for Get Information Withdraw. */
  referenceNo: string;
  amount?: Amount;
  beneficiaryAccountNumber?: string;
  additionalInfo?: { type?: string; [key: string]: unknown };
}

/** T23: T27's body plus a partner-generated `referenceNo` (GUID; Netzme's tool spells it `ReferenceNo`). */
export interface DepositWithdrawRequest extends Beneficiary {
  partnerReferenceNo: string;
  referenceNo: string;
  customerNumber: string;
  amount: Amount;
  additionalInfo: { type: 'submit_withdraw'; pin: string };
}

/** T23 response: INFERRED as T27. */
export type DepositWithdrawResponse = WithdrawProcessResponse;

// ---- T9 Get Information Withdraw / T24 Get Information Withdraw Deposit -------------------------

export interface WithdrawInformationRequest {
  /** A new request id. */
  partnerReferenceNo: string;
  /** The withdraw's Netzme `referenceNo` (from Withdraw Process / the notification's originalReferenceNo). */
  referenceNo: string;
}

/** T9/T24 response: INFERRED (mirrors the Withdraw Status Notification and SNAP debit status). */
export interface WithdrawInformationResponse extends SnapResponse {
  partnerReferenceNo?: string;
  originalReferenceNo: string;
  originalPartnerReferenceNo?: string;
  /** `00` success, `03` pending, `06` failed (INFERRED). */
  latestTransactionStatus: string;
  transactionStatusDesc?: string;
  amount?: Amount;
  additionalInfo?: { type?: string; [key: string]: unknown };
}

export type DepositWithdrawInformationRequest = WithdrawInformationRequest;
export type DepositWithdrawInformationResponse = WithdrawInformationResponse;
