import type { Order } from './order.entity';
import type { InvoicePurpose, InvoiceStatus, TransitionSource } from './invoice-state';

/**
 * The shapes InvoiceRepository takes and returns (kept apart so the repository file holds the SQL
 * and little else).
 */

/** Fields a writer may set together with a status change (or while the status stays the same). */
export type OrderPatch = Partial<
  Pick<
    Order,
    | 'netzmeInvoiceId'
    | 'netzmeTrxId'
    | 'qrImage'
    | 'qrContent'
    | 'paymentUrl'
    | 'virtualAccounts'
    | 'expiresAt'
    | 'paidAt'
    | 'paidAmountMinor'
    | 'feeMinor'
    | 'netAmountMinor'
    | 'paymentDetails'
    | 'failureCode'
    | 'failureMessage'
    | 'statusReason'
    | 'needsReview'
    | 'netzmeHasReference'
    | 'nextPollAt'
    | 'leaseUntil'
    | 'lastPolledAt'
  >
>;

export interface TransitionChange {
  patch?: OrderPatch;
  source: TransitionSource;
  /** E.g. the callback id that proved the payment. */
  sourceRef?: string | null;
  reason?: string | null;
  /** Amount seen by the writer, kept in the history row. */
  amountMinor?: bigint | null;
}

export interface TransitionResult {
  /** True when this call moved the order; false when it was not in an allowed-from status. */
  changed: boolean;
  /** The order after the change (changed, full row) or null (not changed). */
  order: Order | null;
  orderId?: string;
  previousStatus?: InvoiceStatus;
}

/** A new order as the create call writes it (status CREATING), before Netzme is called. */
export interface NewOrder {
  id: string;
  /** ORDER when not given. */
  purpose?: InvoicePurpose;
  merchantId: string;
  /** Checkout orders only (null for deposit top-ups). */
  merchantOrderId: string | null;
  idempotencyKey: string | null;
  requestFingerprint: string;
  partnerReferenceNo: string;
  amountMinor: bigint;
  currency: string;
  payMethod: string;
  expiresInSeconds: number;
  feeType: string;
  description: string | null;
  customer: Order['customer'];
  /** How long the creator owns the order (its Netzme call) before a repeat or the poller may take over. */
  leaseMs: number;
}

/** Filters of GET /orders, already parsed. */
export interface OrderListFilter {
  status?: InvoiceStatus;
  merchantOrderId?: string;
  needsReview?: boolean;
  from?: Date;
  to?: Date;
  /** Keyset cursor: rows after the one with this id. */
  afterId?: string;
}

/** Which order: by our id, or by the ids Netzme's notifications carry. */
export type OrderLocator = { id: string } | { refs: { trxId?: string | null; invoiceId?: string | null; partnerReferenceNo?: string | null } };

export interface TransitionOptions {
  /** Netzme ids learnt from a notification: stored where the order has none yet (never overwritten). */
  fillIds?: { trxId?: string | null; invoiceId?: string | null };
  /**
   * The caller's copy of the order, as it read it. The change is first tried as a compare-and-set on
   * the copy's status, which needs no row lock and no second look-up; if the order has moved on
   * since, the general locked statement decides as usual. Only for changes by order id.
   * When this service handed the copy out itself (the create insert, or an earlier change made this
   * way), its row version (Postgres `xmin`) joins the compare-and-set: when the change applies, the
   * row was exactly this copy, so only what Postgres sets comes back and the result is the copy with
   * the change applied, instead of every column being returned and parsed.
   */
  copy?: Order;
}
