/**
 * Toko Netzme (merchant side) request and response bodies: the access token, PIN, balances, transaction lists and look-ups, one pair per page of
 * docs/netzme-protocol.md §3. Request types never contain numbers (see common.ts). Response fields
 * marked optional are either documented as optional or not seen in every example; parse defensively.
 */
import type { Amount, SnapResponse, WireExtra } from './common';

// ---- T2 Access token ---------------------------------------------------------------------------

export interface AccessTokenRequest {
  grantType: 'client_credentials';
  additionalInfo?: WireExtra;
}

export interface AccessTokenResponse extends SnapResponse {
  accessToken: string;
  tokenType: string;
  /** Seconds, as a string ("54000" = 15 h; some deployments "900"). */
  expiresIn: string;
  additionalInfo?: Record<string, unknown>;
}

// ---- T3 Create pin -----------------------------------------------------------------------------

export interface CreatePinRequest {
  custIdMerchant: string;
  partnerReferenceNo: string;
  additionalInfo: {
    /** hashPin(clientId, custIdMerchant, clearPin): lower-case hex HMAC-SHA256. */
    pin: string;
    type: 'create_pin';
  };
}

export interface CreatePinResponse extends SnapResponse {
  partnerReferenceNo: string;
  additionalInfo?: { type?: string; [key: string]: unknown };
}

// ---- T4 Forgot pin -----------------------------------------------------------------------------

export interface ForgotPinRequest {
  custIdMerchant: string;
  partnerReferenceNo: string;
  additionalInfo: { type: 'forgot_pin' };
}

export interface ForgotPinResponse extends SnapResponse {
  partnerReferenceNo: string;
  /** `timeLeftInMillis`: minimum wait before asking again (a JSON number in seed 000). */
  additionalInfo?: { timeLeftInMillis?: number | string; [key: string]: unknown };
}

// ---- T5 Get Balance Detail ---------------------------------------------------------------------

export interface BalanceDetailRequest {
  partnerReferenceNo: string;
  /** The merchant id (custIdMerchant). */
  accountNo: string;
}

export interface BalanceDetailResponse extends SnapResponse {
  partnerReferenceNo: string;
  referenceNo?: string;
  /** `totalBalance` (incl. unsettled) and `settledBalance` (withdrawable). Toko key is `accountInfo`. */
  accountInfo: Array<{ balanceType: 'totalBalance' | 'settledBalance' | string; availableBalance: Amount }>;
  additionalInfo?: { custIdMerchant?: string; [key: string]: unknown };
}

// ---- T6 Get Transaction List / T25 Get Deposit Transaction --------------------------------------

export interface TransactionListRequest {
  /** Page from "1". */
  pageNumber: string;
  partnerReferenceNo: string;
  /** ISO-8601 with offset, e.g. 2023-11-15T00:00:00+07:00. */
  fromDateTime: string;
  toDateTime: string;
  additionalInfo: { custIdMerchant: string };
}

export interface TransactionListItem {
  amount: Amount;
  /** Values not documented (INFERRED: as invoices, e.g. `paid`/`SUCCESS`). */
  status: string;
  /** `PAYMENT`, `TOP_UP`, … */
  type: string;
  dateTime?: string;
  additionalInfo?: {
    createdTs?: string;
    desc?: string;
    feeAmount?: Amount;
    invoiceId?: string;
    invoiceType?: string;
    merchantId?: string;
    paidTs?: string;
    paymentMethod?: string;
    serviceCharge?: Amount;
    totalAmount?: Amount | string | number;
    transactionId?: string;
    ts?: string;
    tsLong?: string | number;
    urlInvoice?: string;
    [key: string]: unknown;
  };
}

export interface TransactionListResponse extends SnapResponse {
  partnerReferenceNo: string;
  referenceNo?: string;
  detailData: TransactionListItem[];
  additionalInfo?: { type?: string; [key: string]: unknown };
}

/** T25: body as T6 (`additionalInfo.custIdMerchant`). */
export type DepositTransactionsRequest = TransactionListRequest;
/** T25: INFERRED as T6 (response not retrieved). */
export type DepositTransactionsResponse = TransactionListResponse;

// ---- T7 Get Merchant Detail --------------------------------------------------------------------

export interface MerchantDetailRequest {
  partnerReferenceNo: string;
  additionalInfo: { phoneNo: string };
}

export interface MerchantDetailResponse extends SnapResponse {
  partnerReferenceNo: string;
  referenceNo?: string;
  accountName: string;
  accountNo: string;
  additionalInfo: {
    custIdMerchant: string;
    clientId?: string;
    /** The merchant's static QRIS string. */
    qrStatic?: string;
    [key: string]: unknown;
  };
}

// ---- T10 Get QRIS Acquire Transaction -----------------------------------------------------------

export interface QrisAcquireTransactionRequest {
  /** RRN of the QRIS payment. */
  originalPartnerReferenceNo: string;
  additionalInfo: { partnerReferenceNo: string };
}

export interface QrisAcquireTransactionResponse extends SnapResponse {
  partnerReferenceNo?: string;
  originalPartnerReferenceNo: string;
  referenceNo?: string;
  amount: Amount;
  /** MDR fee. */
  mdrAmount?: Amount;
  dateTime?: string;
  type?: string;
  status?: string;
  additionalInfo?: {
    acquirerId?: string;
    customerName?: string;
    customerPan?: string;
    invoiceNumber?: string;
    invoiceTransactionId?: string;
    isOnUs?: boolean;
    issuerId?: string;
    merchantCity?: string;
    merchantCriteria?: string;
    merchantName?: string;
    merchantType?: string;
    status?: string;
    terminalId?: string;
    ts?: string;
    [key: string]: unknown;
  };
}

// ---- T26 Get Balance Deposit --------------------------------------------------------------------

export interface DepositBalanceRequest {
  partnerReferenceNo: string;
  accountNo: string;
}

export interface DepositBalanceResponse extends SnapResponse {
  referenceNo?: string;
  partnerReferenceNo: string;
  /** Note `amount`, not `availableBalance`, here. */
  accountInfo: Array<{ balanceType: string; amount: Amount }>;
  additionalInfo?: { type?: string; [key: string]: unknown };
}
