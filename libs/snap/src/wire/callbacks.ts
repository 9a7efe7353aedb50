/**
 * What Netzme POSTs to partners (docs/netzme-protocol.md T15–T19, N13, N15, N17) and what it expects back.
 * Shared by the gateway (receiver) and the sandbox (sender). v1 callbacks are authenticated by the
 * `x-callback-token` header; the SNAP QRIS variant (T18) by an asymmetric signature (§1.8).
 * Callback bodies come from Netzme, so unlike requests they may contain JSON numbers.
 */
import type { Amount, SnapResponse } from './common';

/**
 * Names of the callback kinds: the same strings the sandbox uses for callback URLs
 * (`<callbackBaseUrl>/<kind>`) and callback fault targets.
 */
export const CALLBACK_KINDS = {
  /** T15 Payment Success Callback (Invoice). Config key `create_invoice_vsnap`. */
  invoicePayment: 'invoice-paid',
  /** T16/T17 Payment Success Callback QRIS (non-invoice / V2). Config key `notify_vsnap`. */
  qrisPayment: 'qris-paid',
  /** T18 SNAP Payment Success Callback QRIS: as qris-payment, signed asymmetrically. */
  qrisPaymentSnap: 'qris-paid-snap',
  /** T19 Withdraw Status Notification (merchant balance and deposit). Config key `withdraw_vsnap`. */
  withdrawStatus: 'withdrawal-status',
  /** N13 QRIS Payment Notification (consumer side). */
  consumerQrisPayment: 'qris-payment',
  /** N15 Payment Bill Notification. Config key `bill_vsnap`. */
  paymentBill: 'bill-paid',
  /** N17 Upgrade Account Notification. Config key `cdd_vsnap`. */
  upgradeAccount: 'account-upgrade',
} as const;
export type CallbackKind = (typeof CALLBACK_KINDS)[keyof typeof CALLBACK_KINDS];
/** The one list of callback kinds: the sandbox sends them, the gateway routes them (`/callbacks/netzme/<kind>`). */
export const CALLBACK_KIND_LIST: readonly CallbackKind[] = Object.values(CALLBACK_KINDS);

export function isCallbackKind(value: string): value is CallbackKind {
  return (CALLBACK_KIND_LIST as readonly string[]).includes(value);
}

/** Example paths printed in Netzme's docs (the real path is whatever the partner registered). */
export const CALLBACK_DOC_PATHS: Record<CallbackKind, string> = {
  'invoice-paid': '/api/v1.0/snap/invoice/notif',
  'qris-paid': '/api/v1.0/snap/qr/qr-mpm-notify',
  'qris-paid-snap': '/api/v1.0/snap/qr/qr-mpm-notify',
  'withdrawal-status': '/api/v1.0/snap/withdraw/notif',
  'qris-payment': '/v1.0/snap/qr/qr-notify',
  'bill-paid': '/v1.0/snap/debit/notify',
  'account-upgrade': '/v1.0/snap/account/upgrade/notify',
};

// ---- T15 Payment Success Callback (Invoice) ----------------------------------------------------

export interface InvoiceQrDetail {
  buyerUserId?: string;
  buyerFullname?: string;
  merchantFee?: string | number;
  issuerName?: string;
  acquirerName?: string;
  customerPan?: string;
  merchantPan?: string;
  merchantName?: string;
  merchantLocation?: string;
  terminalId?: string;
  referenceId?: string;
  invoiceId?: string;
  rrn?: string;
  /** (sic) YYYYMMDD as a JSON integer. */
  localTrasactionDate?: number | string;
  issuerId?: string;
  [key: string]: unknown;
}

export interface InvoicePaymentCallback {
  /** Invoice id (`NETZ-INV-…`). */
  originalReferenceNo: string;
  /**
   * The doc page: the invoice transaction id (`trxId`). Evidence from Netzme's official WooCommerce
   * plugin: the partner's own `partnerReferenceNo` (it splits this field on '-' to find its order;
   * docs/netzme-protocol.md §6.6).
   * Receivers match on either; the sandbox sends the partner reference unless told otherwise.
   */
  originalPartnerReferenceNo: string;
  /** Read by Netzme's WooCommerce plugin; not on the doc page. The sandbox sends the invoice id (INFERRED). */
  id?: string;
  /** Read by Netzme's WooCommerce plugin; not on the doc page. The sandbox sends the merchant id (INFERRED). */
  merchant?: string;
  /** `00` = paid. */
  latestTransactionStatus: string;
  transactionStatusDesc?: string;
  /** Gross amount. Netzme's plugin never reads it: a receiver must not require it. */
  amount: Amount;
  /** After fee (the only amount Netzme's plugin reads). */
  netAmount?: Amount;
  feeAmount?: Amount;
  additionalInfo?: {
    custIdMerchant?: string;
    bankCode?: string;
    paymentTime?: string;
    /** BANK_TRANSFER | NETZME | BCA | QRIS | RETAIL_OUTLET */
    paymentMethod?: string;
    paymentChannel?: string;
    /** = trxId */
    transactionId?: string;
    /** QRIS only. */
    qrDetail?: InvoiceQrDetail;
    isSplitFee?: boolean;
    /** (sic) */
    spiltFees?: unknown[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

// ---- T16/T17/T18 Payment Success Callback QRIS ---------------------------------------------------

export interface QrisPaymentCallback {
  /** RRN */
  originalReferenceNo: string;
  originalPartnerReferenceNo?: string;
  amount: Amount;
  netAmount?: Amount;
  /** Merchant fee. */
  feeAmount?: Amount;
  latestTransactionStatus: string;
  transactionStatusDesc?: string;
  additionalInfo?: {
    invoiceNumber?: string;
    custIdMerchant?: string;
    buyerUserId?: string;
    buyerFullname?: string;
    customerPan?: string;
    acquirerName?: string;
    issuerName?: string;
    merchantPan?: string;
    merchantName?: string;
    merchantLocation?: string;
    /** QRIS transaction type. */
    type?: string;
    rrn?: string;
    localTrasactionDate?: number | string;
    issuerId?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/**
 * T18 headers (INFERRED; the page is cut off): `X-TIMESTAMP` and `X-SIGNATURE` = base64
 * SHA256withRSA over `POST:<path>:<sha256hex(minify(body))>:<timestamp>` with Netzme's key.
 */
export const SNAP_CALLBACK_SIGNATURE_HEADERS = { timestamp: 'x-timestamp', signature: 'x-signature' } as const;

// ---- T19 Withdraw Status Notification ----------------------------------------------------------

export interface WithdrawStatusCallback {
  /** Netzme's id of the withdraw (the `referenceNo` of Withdraw Process). */
  originalReferenceNo: string;
  /** The partner's reference of the withdraw. */
  originalPartnerReferenceNo: string;
  amount: Amount;
  /** `00` success; failure values INFERRED (`06`, or `07`). */
  latestTransactionStatus: string;
  /** `success` / `failed` */
  transactionStatusDesc?: string;
  additionalInfo: {
    /** `submit_withdraw` (merchant balance) or `submit_withdraw_deposit` (deposit). */
    type: 'submit_withdraw' | 'submit_withdraw_deposit' | string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

// ---- N13 QRIS Payment Notification (consumer) ---------------------------------------------------

export interface ConsumerQrisPaymentCallback {
  /** `Success` / `Failed` */
  transactionStatusDesc: string;
  /** `00` success / `07` failed */
  latestTransactionStatus: string;
  originalReferenceNo: string;
  originalPartnerReferenceNo?: string;
  amount?: Amount;
  additionalInfo?: Record<string, unknown>;
  [key: string]: unknown;
}

// ---- N15 Payment Bill Notification -------------------------------------------------------------

export interface PaymentBillCallback {
  latestTransactionStatus: string;
  transactionStatusDesc?: string;
  originalReferenceNo: string;
  /** The user's remaining balance. */
  balance?: Amount;
  additionalInfo: {
    type: 'payment_bill' | string;
    /** The partner's bill id from the webview URL. */
    billId: string;
    /** The partner's client id. */
    source?: string;
    description?: string;
    refId?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

// ---- N17 Upgrade Account Notification ----------------------------------------------------------

export interface UpgradeAccountCallback {
  originalReferenceNo: string;
  custId: string;
  motherMaidenName?: string;
  /** `approved` | `rejected`; the doc curl puts it inside additionalInfo instead — accept both. */
  status?: 'approved' | 'rejected' | string;
  additionalInfo?: {
    /** `upgrade_account` (the curl shows `cdd`). */
    type?: string;
    status?: 'approved' | 'rejected' | string;
    identificationCardImageUrl?: string;
    selfieImageUrl?: string;
    benefits?: string[];
    rejectReasons?: string[];
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** Callback payload type by kind. */
export interface CallbackPayloads {
  'invoice-paid': InvoicePaymentCallback;
  'qris-paid': QrisPaymentCallback;
  'qris-paid-snap': QrisPaymentCallback;
  'withdrawal-status': WithdrawStatusCallback;
  'qris-payment': ConsumerQrisPaymentCallback;
  'bill-paid': PaymentBillCallback;
  'account-upgrade': UpgradeAccountCallback;
}

// ---- Replies ----------------------------------------------------------------------------------

/**
 * What the partner answers (HTTP 200). Withdraw (T19) echoes the two ids, the doc table at top
 * level and the doc example inside additionalInfo: emit both. Bill (N15) and upgrade (N17) echo
 * `originalReferenceNo`.
 */
export interface CallbackReply extends SnapResponse {
  originalReferenceNo?: string;
  originalPartnerReferenceNo?: string;
  additionalInfo?: { originalReferenceNo?: string; originalPartnerReferenceNo?: string; [key: string]: unknown };
}

/** The success reply: `{"responseCode":"2000000","responseMessage":"Successful"}`. */
export const CALLBACK_SUCCESS_REPLY: Readonly<CallbackReply> = Object.freeze({ responseCode: '2000000', responseMessage: 'Successful' });
