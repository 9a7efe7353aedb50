/**
 * Toko Netzme (merchant side) request and response bodies: invoices, invoice transactions (orders and deposit top-ups), their status, and split fees, one pair per page of
 * docs/netzme-protocol.md §3. Request types never contain numbers (see common.ts). Response fields
 * marked optional are either documented as optional or not seen in every example; parse defensively.
 */
import type {
  Amount,
  FeeType,
  InvoiceBuyerInfo,
  InvoiceStatus,
  InvoiceTransactionStatus,
  PayMethod,
  SnapResponse,
  VirtualAccountData,
  WireExtra,
} from './common';

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
