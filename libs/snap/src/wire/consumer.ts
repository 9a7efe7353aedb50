/**
 * Netzme (consumer / wallet side) request and response bodies, docs/netzme-protocol.md §3 N1–N18.
 * Consumer calls use their own host and credentials, and also send `X-CLIENT-SECRET` (N2).
 */
import type { Amount, SnapResponse, VirtualAccountData, WireExtra } from './common';

// ---- N4 Get Account Status ---------------------------------------------------------------------

export interface AccountStatusRequest {
  partnerReferenceNo: string;
  additionalInfo: { custId: string };
}

export interface AccountStatusResponse extends SnapResponse {
  partnerReferenceNo: string;
  referenceNo?: string;
  additionalInfo: {
    /** `premium` (seen), `basic` (INFERRED). */
    userStatus: string;
    /** `regular` */
    userType?: string;
    /** Upgrade request status: `approved_v2` seen; `pending`, `rejected` INFERRED. */
    status?: string;
    benefits?: string[];
    [key: string]: unknown;
  };
}

// ---- N5 Get Balance ----------------------------------------------------------------------------

export interface ConsumerBalanceRequest {
  partnerReferenceNo: string;
  /** The user's custId. */
  accountNo: string;
}

export interface ConsumerBalanceResponse extends SnapResponse {
  partnerReferenceNo?: string;
  referenceNo?: string;
  /** Consumer key is `accountInfos` (Toko: `accountInfo`). `Cash` and `Points`. */
  accountInfos: Array<{ balanceType: 'Cash' | 'Points' | string; availableBalance: Amount }>;
  additionalInfo?: { ts?: string; type?: string; [key: string]: unknown };
}

// ---- N6 Get History ----------------------------------------------------------------------------

/**
 * The doc sends `pageSize` and `seqId` as JSON numbers; we send strings (never a number on the
 * wire, docs/netzme-protocol.md §1.7). Go's binding of a string into an int field would fail, so if Netzme
 * refuses "2" this is the one place to revisit.
 */
export interface ConsumerHistoryRequest {
  partnerReferenceNo: string;
  pageSize: string;
  additionalInfo: {
    /** Cursor: "0" for the first page, then the last item's `seq` (INFERRED). */
    seqId: string;
    custId: string;
    type: 'aggregator_transaction_history';
  };
}

export interface ConsumerHistoryItem {
  amount: Amount;
  dateTime?: string;
  /** e.g. `payment_bill` */
  type: string;
  /** e.g. `success` */
  status: string;
  additionalInfo?: {
    seq?: number | string;
    /** A JSON document as a string (side, type, trxId, billId, source, status, balance, description…). */
    details?: string;
    msgId?: string;
    duplicateEvent?: boolean;
    [key: string]: unknown;
  };
}

export interface ConsumerHistoryResponse extends SnapResponse {
  partnerReferenceNo?: string;
  referenceNo?: string;
  detailData: ConsumerHistoryItem[];
  additionalInfo?: { ts?: string; type?: string; [key: string]: unknown };
}

// ---- N7 Get Fixed Topup VA (GET, no body) --------------------------------------------------------

/** Query of `GET /api/v1.0/payment/fixed-va?custId=…`. */
export interface FixedTopupVaQuery {
  custId: string;
}

/** INFERRED: the response fields were not retrieved. */
export interface FixedTopupVaResponse extends SnapResponse {
  custId?: string;
  virtualAccountData?: VirtualAccountData[];
  additionalInfo?: { virtualAccountData?: VirtualAccountData[]; [key: string]: unknown };
}

// ---- N8–N11 Get Detail Qris --------------------------------------------------------------------

export interface QrisDetailRequest {
  partnerReferenceNo: string;
  qrContent: string;
  /** For static QRIS the user types the amount; dynamic QRIS carries it. */
  amount?: Amount;
  /** ISO-8601 with offset. */
  scanTime: string;
  additionalInfo: { type: 'aggregator_scan_qr'; custId: string };
}

export interface QrisDetailResponse extends SnapResponse {
  partnerReferenceNo: string;
  referenceNo?: string;
  transactionAmount?: Amount;
  feeAmount?: Amount;
  additionalInfo?: {
    merchantName?: string;
    merchantCategory?: string;
    merchantLocation?: string;
    /** A JSON number in the docs. */
    status?: number | string;
    statusMessage?: string;
    ts?: string;
    type?: string;
    body?: {
      discount?: number | string;
      qrContent?: string;
      /** e.g. `qr_type_qris_dynamic` */
      qrType?: string;
      invoiceAmount?: Amount | string | number;
      payableAmount?: Amount | string | number;
      qrisDetail?: Record<string, unknown>;
      [key: string]: unknown;
    };
    [key: string]: unknown;
  };
}

// ---- N12 QRIS Payment (INFERRED ONLY) ----------------------------------------------------------

/** INFERRED from SNAP qr-mpm-payment. */
export interface QrisPaymentRequest {
  partnerReferenceNo: string;
  qrContent: string;
  amount: Amount;
  feeAmount?: Amount;
  additionalInfo: {
    custId: string;
    /** INFERRED: PIN hash (HMAC-SHA256 keyed with clientId + custId), if Netzme takes one here. */
    pin?: string;
    /** The referenceNo of the preceding Get Detail Qris, when known. */
    qrisDetailReferenceNo?: string;
  } & WireExtra;
}

/** INFERRED. The final result arrives by the QRIS Payment Notification (N13). */
export interface QrisPaymentResponse extends SnapResponse {
  partnerReferenceNo: string;
  referenceNo?: string;
  amount?: Amount;
  additionalInfo?: Record<string, unknown>;
}

// ---- N14 Payment Bill / N16 Payment Netzme Seamless (webviews) ---------------------------------

/** Query parameters of the Payment Bill webview (N14), exactly as Netzme names them. */
export interface PaymentBillUrlQuery {
  /** `{ClientId}{YYYYMMDDHHmmSS}{4-digit counter}` */
  requestId: string;
  type: string;
  userId: string;
  billId: string;
  /** Integer rupiah, as a string. */
  amount: string;
  aggregatorId: string;
  description: string;
  /** ISO-8601 with `Z`. */
  expired_at: string;
}

// ---- N18 Upgrade Account (INFERRED ONLY) -------------------------------------------------------

/** INFERRED: starts the KYC ("CDD") flow for a user; the outcome arrives by N17. */
export interface UpgradeAccountRequest {
  partnerReferenceNo: string;
  additionalInfo: { custId: string; type: 'upgrade_account' } & WireExtra;
}

/** INFERRED: may carry a webview URL for the user to complete the upgrade. */
export interface UpgradeAccountResponse extends SnapResponse {
  partnerReferenceNo: string;
  referenceNo?: string;
  additionalInfo?: { url?: string; status?: string; [key: string]: unknown };
}
