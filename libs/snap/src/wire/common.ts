/**
 * Shapes shared by every vSNAP body (docs/netzme-protocol.md §1.11, §2).
 *
 * Rule for request types: no field is ever a `number`. Netzme re-minifies JSON numbers before
 * hashing (docs/netzme-protocol.md §1.7: 10000 -> 1e4), so a number in a body we sign breaks the signature.
 * Response and callback types may contain numbers where Netzme is known (or suspected) to send them.
 */

/** `{ "value": "10000.00", "currency": "IDR" }` — value is always a decimal string. */
export interface Amount {
  value: string;
  currency: string;
}

/** Any JSON value without numbers: what a request body may contain. */
export type WireJson = string | boolean | null | WireJson[] | { [key: string]: WireJson | undefined };

/** Free-form extra fields on request objects (still no numbers). */
export interface WireExtra {
  [key: string]: WireJson | undefined;
}

/** Every vSNAP response and callback reply carries these two fields. */
export interface SnapResponse {
  /** 7 digits: HTTP status (3) + service code (2) + case code (2). */
  responseCode: string;
  responseMessage: string;
}

/** Compile-time guard: maps any `number`/`bigint` in T to `never`, so a numeric field cannot be passed. */
export type NoNumbers<T> = T extends number | bigint
  ? never
  : T extends (infer U)[]
    ? NoNumbers<U>[]
    : T extends object
      ? { [K in keyof T]: NoNumbers<T[K]> }
      : T;

/** The only currency Netzme accepts (Deduct Deposit answers 4040024 "Invalid Currency." otherwise). */
export const NETZME_CURRENCY = 'IDR';

/**
 * Pay methods of Create Invoice Transaction: the docs' list (T12), then the ones Netzme's own QA tool
 * offers (INDOMARET … VA_BCA_PZ; seen in Netzme's tooling, not on the doc page).
 */
export const PAY_METHODS = [
  'QRIS',
  'BANK_TRANSFER',
  'BCA',
  'NETZME',
  'NETZME_SEAMLESS',
  'RETAIL_OUTLET',
  'OVO',
  'DANA',
  'CREDIT_CARD',
  'QRIS_DINAMIS_TERMINAL',
  'INDOMARET',
  'DKI',
  'VA_BCA',
  'VA_BRI',
  'VA_BNI',
  'VA_MANDIRI',
  'VA_PERMATA',
  'VA_CIMB',
  'VA_BCA_PZ',
] as const;
export type PayMethod = (typeof PAY_METHODS)[number];

/** Who pays the service fee on an invoice (T12): `on_seller` is Netzme's default. */
export const FEE_TYPES = ['on_seller', 'on_buyer'] as const;
export type FeeType = (typeof FEE_TYPES)[number];

/** Values Netzme requires in `additionalInfo.type` (or sends back there). */
export const ADDITIONAL_INFO_TYPES = {
  createPin: 'create_pin',
  forgotPin: 'forgot_pin',
  withdrawInquiry: 'withdraw_inquiry',
  submitWithdraw: 'submit_withdraw',
  submitWithdrawDeposit: 'submit_withdraw_deposit',
  splitFee: 'payment_notification_to_split_fee',
  depositBalance: 'disburse_get_balance',
  consumerBalance: 'get_aggregator_balance',
  consumerHistory: 'aggregator_transaction_history',
  scanQr: 'aggregator_scan_qr',
  paymentBill: 'aggregator_payment_bill',
  /** INFERRED (N16 page cut off): the `type` of the seamless-payment webview. */
  seamlessPayment: 'aggregator_payment_seamless',
  /** INFERRED (N18 not retrieved). */
  upgradeAccount: 'upgrade_account',
} as const;

/** `additionalInfo.apiSource` that turns Create Invoice Transaction into a deposit top-up (T21). */
export const API_SOURCE_TOPUP_DEPOSIT = 'topup_deposit';

/** `status` of an invoice transaction (Get Invoice Transaction, T14). */
export const INVOICE_TRANSACTION_STATUSES = ['INIT', 'SUCCESS', 'CLOSED'] as const;
export type InvoiceTransactionStatus = (typeof INVOICE_TRANSACTION_STATUSES)[number];

/** `additionalInfo.invoiceStatus` (lower case). `paid`/`expired` seen; `unpaid` INFERRED. */
export const INVOICE_STATUSES = ['unpaid', 'paid', 'expired'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/**
 * `latestTransactionStatus` (SNAP vocabulary). Netzme sends `00` for success; `07` is seen for
 * failed QRIS consumer payments; `03` pending and `06` failed are INFERRED from SNAP (docs/netzme-protocol.md §6.5).
 */
export const LATEST_TRANSACTION_STATUS = {
  SUCCESS: '00',
  INITIATED: '01',
  PAYING: '02',
  PENDING: '03',
  REFUNDED: '04',
  CANCELLED: '05',
  FAILED: '06',
  /** SNAP "not found"; Netzme uses it for failed QRIS consumer payments (N13). */
  NOT_FOUND_OR_FAILED: '07',
} as const;
export type LatestTransactionStatus = (typeof LATEST_TRANSACTION_STATUS)[keyof typeof LATEST_TRANSACTION_STATUS];

/** `{bankCode, virtualAccountNo}` entries returned for BANK_TRANSFER invoices and fixed top-up VAs. */
export interface VirtualAccountData {
  bankCode: string;
  virtualAccountNo: string;
  [key: string]: unknown;
}

/** Buyer / invoice data accepted in `additionalInfo` of Create Invoice and Create Invoice Transaction. */
export interface InvoiceBuyerInfo {
  email?: string;
  notes?: string;
  description?: string;
  /** `+62…` */
  phoneNumber?: string;
  imageUrl?: string;
  /** Netzme: "must be alphabetic". */
  fullname?: string;
}
