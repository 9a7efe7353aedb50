import type { CallbackKind } from '@app/snap';

/**
 * What a Netzme callback says, read once at the edge (callback-parser.ts) and handed to the module
 * that owns it. Owners never read a callback body themselves: every tolerated shape of Netzme's
 * (docs/netzme-protocol.md T15-T19, N13, N15, N17) is resolved here, and money is already exact.
 *
 * A callback proves little by itself (one static token), so these are claims: owners confirm them
 * with Netzme's status calls before money moves, and use the stated amounts only to refuse early.
 */

/** Amounts a payment callback states, in minor units (sen) of IDR; null where the field is absent. */
export interface StatedAmounts {
  /** `amount`: gross, what the buyer paid. Netzme's own plugin never reads it: often absent. */
  amount: bigint | null;
  /** `feeAmount`. */
  fee: bigint | null;
  /** `netAmount`: after the fee. */
  net: bigint | null;
}

/**
 * The ids a payment callback may name its invoice by. Netzme's readings differ (T15: the doc page
 * says `originalPartnerReferenceNo` is the trxId, Netzme's plugin reads its own partnerReferenceNo
 * there), so an owner matches a record on any of them and then asks Netzme with its OWN ids.
 */
export interface InvoiceReferences {
  /** Netzme's invoice transaction id (Create Invoice Transaction's `trxId`). */
  trxId?: string;
  /** Netzme's invoice id (`NETZ-INV-...`). */
  invoiceId?: string;
  /** The partnerReferenceNo we sent. */
  partnerReferenceNo?: string;
}

/** Descriptive facts of a payment as the callback states them (shown to admins; never money). */
export interface PaymentFacts {
  method?: string;
  channel?: string;
  rrn?: string;
  issuerName?: string;
  issuerId?: string;
  acquirerName?: string;
  customerPan?: string;
  buyerName?: string;
  bankCode?: string;
  /** `additionalInfo.paymentTime` as sent. */
  paymentTime?: string;
}

interface PaymentEventFields {
  references: InvoiceReferences;
  /** `latestTransactionStatus` (trimmed); absent in bodies Netzme's plugin handles, so optional. `00` = paid. */
  status?: string;
  amounts: StatedAmounts;
  /** `additionalInfo.paymentTime` (or `paidTs`) read as a time. */
  paidAt: Date | null;
  details: PaymentFacts;
  /**
   * `apiSource: "topup_deposit"` (T21, echoed by some senders): the sender says the invoice is a deposit
   * top-up. Not used to route (top-ups are found by their references like every invoice); named in the
   * anomaly reason when no invoice of ours matches.
   */
  topupMarked: boolean;
}

/** T15 Payment Success Callback (Invoice), route `invoice-paid`. */
export interface InvoicePaidEvent extends PaymentEventFields {
  type: 'invoice-paid';
}

/** T16/T17 (`qris-paid`, x-callback-token) and T18 (`qris-paid-snap`, SNAP signature): one event. */
export interface QrisPaidEvent extends PaymentEventFields {
  type: 'qris-paid';
  /** `originalReferenceNo`: the RRN of the QRIS payment. */
  rrn: string;
  /** `additionalInfo.invoiceNumber`: the invoice of a dynamic QR; absent for the merchant's static QRIS. */
  invoiceNumber?: string;
  scheme: 'token' | 'snap';
}

/** A payment notification an invoice owner (order or deposit top-up) confirms. */
export type PaymentNotificationEvent = InvoicePaidEvent | QrisPaidEvent;

/** `additionalInfo.type` of T19, and whose withdrawal it is. */
export const WITHDRAWAL_NOTIFICATION_TYPES = { submit_withdraw: 'merchant', submit_withdraw_deposit: 'deposit' } as const;
export type WithdrawalNotificationType = keyof typeof WITHDRAWAL_NOTIFICATION_TYPES;

/** T19 Withdraw Status Notification, route `withdrawal-status`. */
export interface WithdrawalStatusEvent {
  type: 'withdrawal-status';
  /** From `additionalInfo.type`: `submit_withdraw` (merchant balance) or `submit_withdraw_deposit` (deposit). */
  withdrawal: 'merchant' | 'deposit';
  notificationType: WithdrawalNotificationType;
  /** `originalPartnerReferenceNo`: our reference of the withdrawal. At least one of the two ids is present. */
  partnerReferenceNo?: string;
  /** `originalReferenceNo`: Netzme's id of the withdrawal. */
  referenceNo?: string;
  /** `latestTransactionStatus` (`00` success; failure values inferred), always present. */
  status: string;
  /** `transactionStatusDesc` (`success` / `failed`). */
  statusDesc?: string;
  /** `amount` in minor units of IDR, read strictly; null when absent. */
  amount: bigint | null;
}

/** N13 QRIS Payment Notification (consumer side): recorded only, no module owns it yet. */
export interface ConsumerQrisPaymentEvent {
  type: 'qris-payment';
  referenceNo: string;
  status: string;
}

/** N15 Payment Bill Notification: recorded only. */
export interface BillPaidEvent {
  type: 'bill-paid';
  referenceNo: string;
  billId?: string;
  status: string;
}

/** N17 Upgrade Account Notification: recorded only. `status` at top level (doc table) or in additionalInfo (doc curl). */
export interface AccountUpgradeEvent {
  type: 'account-upgrade';
  referenceNo: string;
  custId: string;
  status: string;
}

export type CallbackEvent = InvoicePaidEvent | QrisPaidEvent | WithdrawalStatusEvent | ConsumerQrisPaymentEvent | BillPaidEvent | AccountUpgradeEvent;

/**
 * An authentic callback that cannot be applied: kept in the inbox as an anomaly for a person, and
 * still answered 200 so that Netzme stops retrying. `reason` is what admins read.
 */
export interface UnreadableCallback {
  type: 'unreadable';
  kind: CallbackKind;
  reason: string;
}

export type CallbackReading = CallbackEvent | UnreadableCallback;
