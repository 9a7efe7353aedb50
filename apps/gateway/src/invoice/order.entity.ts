import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '../database/bigint.transformer';
import type { PaymentFacts } from '../callback';
import type { InvoicePurpose, InvoiceStatus } from './invoice-state';

/** Buyer data we pass to Netzme (Create Invoice Transaction `additionalInfo`). */
export interface OrderCustomer {
  fullname?: string;
  email?: string;
  phoneNumber?: string;
}

/** What Netzme told us about the payment (callback or status poll): the facts a payment callback states. */
export interface OrderPaymentDetails extends PaymentFacts {
  /** Where the evidence came from: a callback id, or "poll". */
  evidence?: string;
}

export interface OrderVirtualAccount {
  bankCode: string;
  virtualAccountNo: string;
}

/**
 * A Netzme invoice transaction of ours: a checkout order (purpose ORDER) or a deposit top-up
 * (purpose DEPOSIT_TOPUP, sent with apiSource topup_deposit). The row is written (status CREATING,
 * with our partnerReferenceNo) before Netzme is called, and completed afterwards; both purposes go
 * through the same state machine, poller and payment-callback path.
 */
@Entity({ name: 'orders' })
@Index('UQ_orders_merchant_order_id', ['merchantId', 'merchantOrderId'], { unique: true })
@Index('UQ_orders_idempotency_key', ['merchantId', 'purpose', 'idempotencyKey'], { unique: true, where: '"idempotency_key" IS NOT NULL' })
@Index('UQ_orders_partner_reference_no', ['partnerReferenceNo'], { unique: true })
@Index('UQ_orders_netzme_trx_id', ['netzmeTrxId'], { unique: true, where: '"netzme_trx_id" IS NOT NULL' })
@Index('IDX_orders_netzme_invoice_id', ['netzmeInvoiceId'], { where: '"netzme_invoice_id" IS NOT NULL' })
@Index('IDX_orders_next_poll_at', ['nextPollAt'], { where: `"status" IN ('CREATING', 'UNKNOWN', 'PENDING') AND "next_poll_at" IS NOT NULL` })
@Index('IDX_orders_created_at', ['createdAt', 'id'])
@Index('IDX_orders_status_created_at', ['status', 'createdAt'])
@Check('CHK_orders_status', `"status" IN ('CREATING', 'UNKNOWN', 'PENDING', 'PAID', 'EXPIRED', 'FAILED')`)
@Check('CHK_orders_amount_positive', '"amount_minor" > 0')
@Check('CHK_orders_purpose', `"purpose" IN ('ORDER', 'DEPOSIT_TOPUP')`)
@Check('CHK_orders_merchant_order_id', `"purpose" <> 'ORDER' OR "merchant_order_id" IS NOT NULL`)
export class Order {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** custIdMerchant: the Netzme merchant this gateway acts for. */
  @Column({ name: 'merchant_id', type: 'text' })
  merchantId: string;

  /** What the invoice is for: a checkout order, or a top-up of the prepaid deposit. */
  @Column({ type: 'text', default: 'ORDER' })
  purpose: InvoicePurpose;

  /** The shop's own order id (checkout orders only; null for deposit top-ups). */
  @Column({ name: 'merchant_order_id', type: 'text', nullable: true })
  merchantOrderId: string | null;

  @Column({ name: 'idempotency_key', type: 'text', nullable: true })
  idempotencyKey: string | null;

  /** SHA-256 of the normalised request: a repeat with another body is refused (409). */
  @Column({ name: 'request_fingerprint', type: 'text' })
  requestFingerprint: string;

  /** OUR reference at Netzme; Netzme refuses a second invoice with it (409xx01). */
  @Column({ name: 'partner_reference_no', type: 'text' })
  partnerReferenceNo: string;

  @Column({ type: 'text' })
  status: InvoiceStatus;

  @Column({ name: 'amount_minor', type: 'bigint', transformer: bigintTransformer })
  amountMinor: bigint;

  @Column({ type: 'text', default: 'IDR' })
  currency: string;

  @Column({ name: 'pay_method', type: 'text' })
  payMethod: string;

  @Column({ name: 'expires_in_seconds', type: 'integer' })
  expiresInSeconds: number;

  /** on_seller (fee taken from the merchant) or on_buyer (the buyer pays amount + fee). */
  @Column({ name: 'fee_type', type: 'text', default: 'on_seller' })
  feeType: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'jsonb', nullable: true })
  customer: OrderCustomer | null;

  @Column({ name: 'netzme_invoice_id', type: 'text', nullable: true })
  netzmeInvoiceId: string | null;

  /** Netzme's invoice transaction id: the key of status polls and paid callbacks. */
  @Column({ name: 'netzme_trx_id', type: 'text', nullable: true })
  netzmeTrxId: string | null;

  @Column({ name: 'qr_image', type: 'text', nullable: true })
  qrImage: string | null;

  @Column({ name: 'qr_content', type: 'text', nullable: true })
  qrContent: string | null;

  @Column({ name: 'payment_url', type: 'text', nullable: true })
  paymentUrl: string | null;

  @Column({ name: 'virtual_accounts', type: 'jsonb', nullable: true })
  virtualAccounts: OrderVirtualAccount[] | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'paid_at', type: 'timestamptz', nullable: true })
  paidAt: Date | null;

  @Column({ name: 'paid_amount_minor', type: 'bigint', nullable: true, transformer: bigintTransformer })
  paidAmountMinor: bigint | null;

  @Column({ name: 'fee_minor', type: 'bigint', nullable: true, transformer: bigintTransformer })
  feeMinor: bigint | null;

  @Column({ name: 'net_amount_minor', type: 'bigint', nullable: true, transformer: bigintTransformer })
  netAmountMinor: bigint | null;

  @Column({ name: 'payment_details', type: 'jsonb', nullable: true })
  paymentDetails: OrderPaymentDetails | null;

  @Column({ name: 'failure_code', type: 'text', nullable: true })
  failureCode: string | null;

  @Column({ name: 'failure_message', type: 'text', nullable: true })
  failureMessage: string | null;

  /** Why the order is where it is (UNKNOWN outcome, review reason, ...), for people. */
  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason: string | null;

  /**
   * Netzme refused a re-send as a duplicate reference: it holds an invoice for our reference whose
   * ids we never received, so the poller looks it up instead of re-sending.
   */
  @Column({ name: 'netzme_has_reference', type: 'boolean', default: false })
  netzmeHasReference: boolean;

  /** Last thing Netzme told us that did not fit (wrong amount, payment for a closed invoice ...), for people. */
  @Column({ type: 'text', nullable: true })
  anomaly: string | null;

  /** Set when only a person can finish the order (e.g. Netzme has our reference but we lack its ids). */
  @Column({ name: 'needs_review', type: 'boolean', default: false })
  needsReview: boolean;

  /** Create Invoice Transaction calls sent with this reference (1 + re-sends while UNKNOWN). */
  @Column({ name: 'create_attempts', type: 'integer', default: 0 })
  createAttempts: number;

  @Column({ name: 'poll_attempts', type: 'integer', default: 0 })
  pollAttempts: number;

  /** When the poller should look at the order next; NULL once terminal (or left for review). */
  @Column({ name: 'next_poll_at', type: 'timestamptz', nullable: true })
  nextPollAt: Date | null;

  /** While set and in the future, a worker (the create call, a poll, a retry) owns the Netzme call. */
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  @Column({ name: 'last_polled_at', type: 'timestamptz', nullable: true })
  lastPolledAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}

/** Column name of each Order property (raw SQL in this module maps rows with it). */
export const ORDER_COLUMNS: Readonly<Record<keyof Order, string>> = {
  id: 'id',
  purpose: 'purpose',
  merchantId: 'merchant_id',
  merchantOrderId: 'merchant_order_id',
  idempotencyKey: 'idempotency_key',
  requestFingerprint: 'request_fingerprint',
  partnerReferenceNo: 'partner_reference_no',
  status: 'status',
  amountMinor: 'amount_minor',
  currency: 'currency',
  payMethod: 'pay_method',
  expiresInSeconds: 'expires_in_seconds',
  feeType: 'fee_type',
  description: 'description',
  customer: 'customer',
  netzmeInvoiceId: 'netzme_invoice_id',
  netzmeTrxId: 'netzme_trx_id',
  qrImage: 'qr_image',
  qrContent: 'qr_content',
  paymentUrl: 'payment_url',
  virtualAccounts: 'virtual_accounts',
  expiresAt: 'expires_at',
  paidAt: 'paid_at',
  paidAmountMinor: 'paid_amount_minor',
  feeMinor: 'fee_minor',
  netAmountMinor: 'net_amount_minor',
  paymentDetails: 'payment_details',
  failureCode: 'failure_code',
  failureMessage: 'failure_message',
  statusReason: 'status_reason',
  anomaly: 'anomaly',
  netzmeHasReference: 'netzme_has_reference',
  needsReview: 'needs_review',
  createAttempts: 'create_attempts',
  pollAttempts: 'poll_attempts',
  nextPollAt: 'next_poll_at',
  leaseUntil: 'lease_until',
  lastPolledAt: 'last_polled_at',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

const BIGINT_PROPS = new Set<keyof Order>(['amountMinor', 'paidAmountMinor', 'feeMinor', 'netAmountMinor']);
const DATE_PROPS = new Set<keyof Order>(['expiresAt', 'paidAt', 'nextPollAt', 'leaseUntil', 'lastPolledAt', 'createdAt', 'updatedAt']);

/**
 * How each column is read, worked out once: orderFromRow runs several times per checkout, and
 * `Object.entries` plus two set lookups per column cost more than the copying itself.
 */
const COLUMN_READERS: ReadonlyArray<readonly [prop: string, column: string, kind: 'bigint' | 'date' | 'plain']> = (
  Object.entries(ORDER_COLUMNS) as Array<[keyof Order, string]>
).map(([prop, column]) => [prop, column, BIGINT_PROPS.has(prop) ? 'bigint' : DATE_PROPS.has(prop) ? 'date' : 'plain'] as const);

/** An Order with every column null: the base of a row built in code (see InvoiceRepository.insertCreating). */
export function blankOrder(): Order {
  const order = new Order() as unknown as Record<string, unknown>;
  for (const [prop] of COLUMN_READERS) {
    order[prop] = null;
  }
  return order as unknown as Order;
}

/** A raw `orders` row (from RETURNING * or a plain SELECT) as an Order. */
export function orderFromRow(row: Record<string, unknown>): Order {
  const order = new Order() as unknown as Record<string, unknown>;
  for (const [prop, column, kind] of COLUMN_READERS) {
    const value = row[column];
    if (value === undefined || value === null) {
      order[prop] = null;
    } else if (kind === 'bigint') {
      order[prop] = BigInt(value as string);
    } else if (kind === 'date') {
      order[prop] = value instanceof Date ? value : new Date(value as string);
    } else {
      order[prop] = value;
    }
  }
  return order as unknown as Order;
}
