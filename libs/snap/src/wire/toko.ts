/**
 * Toko Netzme (merchant side) request and response bodies, one pair per page of docs/netzme-protocol.md §3.
 * Request types never contain numbers (see common.ts). Response fields marked optional are either
 * documented as optional or not seen in every example; parse defensively.
 */
import type { Amount, FeeType, InvoiceBuyerInfo, InvoiceStatus, InvoiceTransactionStatus, PayMethod, SnapResponse, VirtualAccountData, WireExtra } from './common';

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

// ---- T11 Create Invoice ------------------------------------------------------------------------

export interface AmountDetail {
  basicAmount: Amount;
  shippingAmount: Amount;
}

export interface CreateInvoiceRequest {
  custIdMerchant: string;
  partnerReferenceNo: string;
  amount: Amount;
  amountDetail?: Partial<AmountDetail>;
  /** "0".."100" — documented as Int, always sent as a string. */
  commissionPercentage?: string;
  /** Seen in the doc curl (`["BANK_TRANSFER"]`), not in the field table. */
  payMethods?: Array<PayMethod | string>;
  additionalInfo?: InvoiceBuyerInfo & WireExtra;
}

export interface CreateInvoiceResponse extends SnapResponse {
  partnerReferenceNo: string;
  additionalInfo: {
    /** `NETZ-INV-<merchantId><digits><3 chars>` */
    invoiceId: string;
    status: boolean;
    [key: string]: unknown;
  };
}

// ---- T12 Create Invoice Transaction / T21 Topup Deposit -----------------------------------------

/** A type alias (not an interface) so that it fits the number-free `WireExtra` index signature. */
export type InvoiceItemDetail = {
  name: string;
  item_id: string;
  qty: string;
  amount: string;
};

export interface CreateInvoiceTransactionRequest {
  custIdMerchant: string;
  /** The partner's order reference: the idempotency key of the checkout. */
  partnerReferenceNo: string;
  amount: Amount;
  amountDetail: AmountDetail;
  payMethod: PayMethod | string;
  commissionPercentage?: string;
  /** Validity in seconds, as a string ("600"). */
  expireInSecond?: string;
  feeType?: FeeType;
  /** QRIS terminal label, e.g. "A01". */
  terminalId?: string;
  additionalInfo?: InvoiceBuyerInfo & {
    /** `topup_deposit` pays into the partner's deposit (T21). */
    apiSource?: 'topup_deposit';
    /** CREDIT_CARD only. */
    item_details?: InvoiceItemDetail[];
  } & WireExtra;
}

export interface CreateInvoiceTransactionResponse extends SnapResponse {
  partnerReferenceNo: string;
  payMethod: string;
  /** Hosted payment page. */
  paymentUrl: string;
  additionalInfo: {
    /** Invoice id (`NETZ-INV-…`). */
    id: string;
    /** Invoice transaction id: the key for Get Invoice Transaction and the paid callback. */
    trxId: string;
    /** Present and true on success ([woo] treats a missing status as failure). */
    status: boolean;
    /** PNG data URI of the QRIS code. */
    qrImage?: string;
    /** Raw QRIS string — INFERRED (not in the examples; the sandbox provides it). */
    qrContent?: string;
    terminalId?: string;
    /** QRIS National Merchant ID. */
    nmid?: string;
    /** String or number: type unknown (docs/netzme-protocol.md §6.13). */
    feeAmount?: string | number;
    totalAmount?: string | number;
    createdTs?: string;
    expiredTs?: string;
    virtualAccountData?: VirtualAccountData[];
    retailOutletData?: unknown[];
    statistic?: unknown[];
    [key: string]: unknown;
  };
}

// ---- T13 Create Invoice QR MPM (INFERRED ONLY) --------------------------------------------------

/** INFERRED from SNAP qr-mpm-generate; no Netzme source shows this page. */
export interface CreateInvoiceQrMpmRequest {
  partnerReferenceNo: string;
  custIdMerchant: string;
  amount: Amount;
  terminalId?: string;
  /** ISO-8601 end of validity. */
  validityPeriod?: string;
  additionalInfo?: WireExtra;
}

/** INFERRED. */
export interface CreateInvoiceQrMpmResponse extends SnapResponse {
  partnerReferenceNo: string;
  referenceNo: string;
  qrContent: string;
  qrUrl?: string;
  qrImage?: string;
  additionalInfo?: Record<string, unknown>;
}

// ---- T14 Get Invoice Transaction ----------------------------------------------------------------

export interface InvoiceTransactionRequest {
  /** The `trxId` returned by Create Invoice Transaction (the doc example is ambiguous; working clients send trxId). */
  originalPartnerReferenceNo: string;
  additionalInfo: { partnerReferenceNo: string };
}

export interface InvoiceTransactionResponse extends SnapResponse {
  partnerReferenceNo?: string;
  /** The invoice transaction id. */
  referenceNo?: string;
  amount: Amount;
  /** `PAYMENT` */
  type?: string;
  /** INIT (unpaid) -> SUCCESS (paid) | CLOSED (expired/cancelled). */
  status: InvoiceTransactionStatus | string;
  /** Created or paid time. */
  dateTime?: string;
  additionalInfo?: {
    amountLong?: number | string;
    createdTs?: string;
    desc?: string;
    descFromBuyer?: string;
    descFromMerchant?: string;
    email?: string;
    expiredTs?: string;
    paymentMethod?: string;
    paymentUrl?: string;
    feeAmount?: Amount;
    feeAmountLong?: number | string;
    feeType?: string;
    fullName?: string;
    invoiceId?: string;
    /** `paid`, `expired` (seen); `unpaid` INFERRED. */
    invoiceStatus?: InvoiceStatus | string;
    custIdMerchant?: string;
    paidTs?: string;
    payMethod?: string;
    phoneNo?: string;
    retailOutletData?: unknown[];
    totalAmount?: Amount;
    totalAmountLong?: number | string;
    additionalInfo?: { expiredTs?: string; [key: string]: unknown };
    [key: string]: unknown;
  };
}

// ---- T20 Deduct Deposit and Split Fee -----------------------------------------------------------

export interface DeductDepositSplitFeeRequest {
  /** Partner-generated request id (Netzme's legacy `requestId`). */
  referenceNo: string;
  /** The partner's transaction id; duplicates are refused with 4090001. */
  partnerReferenceNo: string;
  amount: Amount;
  feeAmount: Amount;
  additionalInfo: {
    custIdMerchant: string;
    sku: string;
    productName: string;
    paymentStatus: 'SUCCESS';
    payMethod: string;
    bankName: string;
    qty?: string;
    desc?: string;
    type: 'payment_notification_to_split_fee';
  };
}

export interface DeductDepositSplitFeeResponse extends SnapResponse {
  partnerReferenceNo: string;
  referenceNo: string;
  additionalInfo?: { type?: string; [key: string]: unknown };
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
