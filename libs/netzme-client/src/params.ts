import type { Amount, Beneficiary, FeeType, InvoiceBuyerInfo, InvoiceItemDetail, PayMethod, WireExtra } from '@app/snap';

/**
 * What callers hand to NetzmeClient methods. The merchant id comes from the client options;
 * everything numeric is either a string, or an integer the client converts to a string itself.
 */

/**
 * An amount: `{ value: "15000.00", currency: "IDR" }`, a decimal string ("15000", "15000.5") in
 * IDR, or a bigint of minor units (sen). Always sent as a two-decimal string.
 */
export type AmountInput = Amount | string | bigint;

/** Integer fields Netzme takes as strings (`expireInSecond`, `pageSize`, …). */
export type IntegerInput = string | number;

/**
 * A percentage from 0 to 100, sent as a decimal string: "0", "0.0" (the default of Netzme's own
 * WooCommerce plugin), "0.7". A number is converted (0.7 -> "0.7").
 */
export type PercentageInput = string | number;

/** Per-call knobs every client method accepts. */
export interface CallOptions {
  /**
   * X-EXTERNAL-ID to use. Only pass one to repeat the very same request (same body) on purpose,
   * e.g. re-sending a withdraw after an unknown outcome; otherwise a fresh id is generated.
   */
  externalId?: string;
  /** Per-attempt timeout override. */
  timeoutMs?: number;
  /** Cancels the call (counts as an unknown outcome when it happens after sending). */
  signal?: AbortSignal;
}

/** Options of read-only calls, whose partnerReferenceNo is generated unless given. */
export interface ReadOptions extends CallOptions {
  partnerReferenceNo?: string;
}

export interface TransactionListParams {
  /** ISO-8601 with offset, e.g. "2023-11-15T00:00:00+07:00" (or a Date, sent as Jakarta time). */
  fromDateTime: string | Date;
  toDateTime: string | Date;
  /** From 1; default 1. */
  pageNumber?: IntegerInput;
}

export interface WithdrawParams {
  /** Your withdraw id: Netzme's idempotency key (a repeat is refused with 409xx01). */
  partnerReferenceNo: string;
  amount: AmountInput;
  /** The four beneficiary fields from the inquiry (pass the inquiry response itself if you like). */
  beneficiary: Beneficiary;
  /** The clear PIN: hashed inside, never logged. */
  pin: string;
}

export interface DepositWithdrawParams extends WithdrawParams {
  /**
   * Partner-generated GUID Netzme wants beside partnerReferenceNo. Default: derived from
   * partnerReferenceNo, so that re-sending the same withdraw produces the same body.
   */
  referenceNo?: string;
}

export interface InvoiceCommonParams {
  /** Your order reference: the idempotency key Netzme checks. */
  partnerReferenceNo: string;
  amount: AmountInput;
  /** Goods part of the amount; default: the whole amount. */
  basicAmount?: AmountInput;
  /** Shipping part; default 0.00. */
  shippingAmount?: AmountInput;
  /** 0–100, decimals allowed ("0.7"), sent as a string. */
  commissionPercentage?: PercentageInput;
  /** Buyer data (`email`, `fullname`, `phoneNumber`, `description`, …), plus any extra string fields. */
  additionalInfo?: InvoiceBuyerInfo & WireExtra;
}

export interface CreateInvoiceParams extends InvoiceCommonParams {
  payMethods?: Array<PayMethod | string>;
}

export interface CreateInvoiceTransactionParams extends InvoiceCommonParams {
  payMethod: PayMethod | string;
  /** Validity in seconds. */
  expireInSecond?: IntegerInput;
  feeType?: FeeType;
  terminalId?: string;
  /** CREDIT_CARD only. */
  itemDetails?: InvoiceItemDetail[];
}

export type CreateTopupDepositTransactionParams = Omit<CreateInvoiceTransactionParams, 'itemDetails'>;

/** INFERRED page (T13). */
export interface CreateInvoiceQrMpmParams {
  partnerReferenceNo: string;
  amount: AmountInput;
  terminalId?: string;
  /** End of validity: ISO-8601 string or Date. */
  validityPeriod?: string | Date;
  additionalInfo?: WireExtra;
}

export interface DeductDepositSplitFeeParams {
  /** Your transaction id (duplicates refused with 4090001). */
  partnerReferenceNo: string;
  /** Request id Netzme also wants; default derived from partnerReferenceNo (stable on re-send). */
  referenceNo?: string;
  amount: AmountInput;
  feeAmount: AmountInput;
  sku: string;
  productName: string;
  /** e.g. BANK_TRANSFER */
  payMethod: string;
  /** e.g. BCA */
  bankName: string;
  qty?: IntegerInput;
  desc?: string;
}

export interface ConsumerHistoryParams {
  custId: string;
  /** Default 10. */
  pageSize?: IntegerInput;
  /** Cursor: 0 for the first page, then the last `seq` seen (INFERRED). */
  seqId?: IntegerInput;
}

export interface QrisDetailParams {
  custId: string;
  qrContent: string;
  /** For static QRIS: the amount the user typed. */
  amount?: AmountInput;
  /** Default: now (Jakarta time). */
  scanTime?: string | Date;
}

/** INFERRED page (N12). */
export interface PayQrisParams {
  partnerReferenceNo: string;
  custId: string;
  qrContent: string;
  amount: AmountInput;
  feeAmount?: AmountInput;
  /** Clear PIN, if Netzme wants one here (INFERRED): hashed with the consumer client id + custId. */
  pin?: string;
  /** referenceNo of the Get Detail Qris answer, when known. */
  qrisDetailReferenceNo?: string;
}

export interface PaymentUrlParams {
  /** The Netzme user (custId). */
  userId: string;
  /** Your bill id (comes back in the Payment Bill Notification). */
  billId: string;
  /** Whole rupiah (no sen). */
  amount: AmountInput;
  description: string;
  expiredAt: Date | string;
  /** Default `{clientId}{yyyyMMddHHmmss}{4-digit counter}` as Netzme describes. */
  requestId?: string;
}

/** INFERRED page (N18). */
export interface UpgradeAccountParams {
  custId: string;
  additionalInfo?: WireExtra;
}
