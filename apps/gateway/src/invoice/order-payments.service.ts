import { Injectable, Logger } from '@nestjs/common';
import { callbackReferences, checkPaidAmount, PaymentEvidence, paymentFromCallback } from './netzme-invoice.mapper';
import type { Order } from './order.entity';
import { OrderStateService, TransitionChange, TransitionOptions } from './order-state.service';
import { isTerminal, TransitionSource } from './order-status';

/** What an owner module did with a notification (the callback module records it). */
export interface ApplyOutcome {
  outcome: 'applied' | 'duplicate' | 'anomaly' | 'not-mine';
  reason?: string;
  /** The order the notification was about, when we found one. */
  orderId?: string;
}

/** Which payment callback: T15 (invoice) or T16/T17/T18 (QRIS, RRN-keyed). */
export type PaymentNotificationKind = 'invoice' | 'qris';

/**
 * Applies proof of payment to orders. Used by the callback module (Netzme's payment notifications)
 * and by the poller (Get Invoice Transaction said SUCCESS): both end in the same state transition,
 * so a callback and a poll racing on one order leave one PAID and one "duplicate".
 */
@Injectable()
export class OrderPaymentsService {
  private readonly logger = new Logger('Orders');

  constructor(private readonly state: OrderStateService) {}

  /**
   * A Netzme payment notification. Never throws for bad content: an unknown invoice is `not-mine`
   * (another module may own it, e.g. a deposit top-up), a wrong amount or a payment for a closed
   * order is an `anomaly` for a person. Throws only when the database fails (the caller retries).
   */
  async applyPaymentNotification(kind: PaymentNotificationKind, payload: Record<string, unknown>, meta: { callbackId: string }): Promise<ApplyOutcome> {
    const status = typeof payload.latestTransactionStatus === 'string' ? payload.latestTransactionStatus : undefined;
    const refs = callbackReferences(kind, payload);
    const evidence = paymentFromCallback(payload, meta.callbackId);
    if (status === '00' && evidence.paid) {
      // Hot path: find, check the amount and move to PAID in one statement. Anything it does not
      // move (unknown, already paid, wrong amount, closed) is classified below.
      const moved = await this.state.transition({ refs }, 'PAID', this.paidChange(evidence, 'callback', meta.callbackId), {
        guard: { paidMinor: evidence.paid.minor, currency: evidence.paid.currency, feeMinor: evidence.fee?.minor ?? null },
        returning: 'id',
        // An order whose create answer was lost learns its Netzme ids from the payment.
        fillIds: explicitIds(kind, payload),
      });
      if (moved.changed) {
        return { outcome: 'applied', orderId: moved.orderId };
      }
    }
    const order = await this.state.findByNetzmeReference(refs);
    if (!order) {
      return { outcome: 'not-mine', reason: `no order with trxId ${refs.trxId ?? '-'}, invoice ${refs.invoiceId ?? '-'} or reference ${refs.partnerReferenceNo ?? '-'}` };
    }
    if (status !== '00') {
      // Netzme only documents 00 (paid) for these notifications; do not guess what others mean.
      return { outcome: 'anomaly', orderId: order.id, reason: `latestTransactionStatus ${status ?? '(missing)'} is not a payment success (00)` };
    }
    return this.applyPayment(order, evidence, 'callback', meta.callbackId, explicitIds(kind, payload));
  }

  /** Move an order to PAID on the strength of `evidence`, if the amount is right and the order still open. */
  async applyPayment(order: Order, evidence: PaymentEvidence, source: TransitionSource, sourceRef: string | null, fillIds?: TransitionOptions['fillIds']): Promise<ApplyOutcome> {
    if (isTerminal(order.status)) {
      return this.terminalOutcome(order);
    }
    const check = checkPaidAmount(order, evidence);
    if (!check.ok) {
      this.logger.warn(`order ${order.id}: payment not applied: ${check.reason}`);
      return { outcome: 'anomaly', orderId: order.id, reason: check.reason };
    }
    const result = await this.state.transition(order.id, 'PAID', this.paidChange(evidence, source, sourceRef), { fillIds });
    if (result.changed) {
      return { outcome: 'applied', orderId: order.id };
    }
    // Someone else moved it between our read and our update: report what it is now.
    const now = await this.state.findById(order.id);
    return now ? this.terminalOutcome(now) : { outcome: 'not-mine', reason: 'the order disappeared' };
  }

  private paidChange(evidence: PaymentEvidence, source: TransitionSource, sourceRef: string | null): TransitionChange {
    const paid = evidence.paid!;
    return {
      source,
      sourceRef,
      amountMinor: paid.minor,
      reason: source === 'poll' ? 'Netzme reports the invoice paid (status poll)' : 'payment notification',
      patch: {
        paidAt: evidence.paidAt ?? new Date(),
        paidAmountMinor: paid.minor,
        feeMinor: evidence.fee?.minor ?? null,
        netAmountMinor: evidence.net?.minor ?? (evidence.fee ? paid.minor - evidence.fee.minor : null),
        paymentDetails: evidence.details,
        statusReason: null,
      },
    };
  }

  private terminalOutcome(order: Order): ApplyOutcome {
    if (order.status === 'PAID') {
      return { outcome: 'duplicate', orderId: order.id, reason: 'the order is already PAID' };
    }
    // Money arrived for an order we consider closed: a person must look (refund or accept).
    return { outcome: 'anomaly', orderId: order.id, reason: `payment for an order that is ${order.status}` };
  }
}

/**
 * Ids a payment notification states explicitly (not guessed): T15 `originalReferenceNo` is the
 * invoice id and `additionalInfo.transactionId` the trxId; QRIS notifications name the invoice in
 * `additionalInfo.invoiceNumber`.
 */
function explicitIds(kind: PaymentNotificationKind, payload: Record<string, unknown>): { trxId?: string; invoiceId?: string } {
  const info = (payload.additionalInfo && typeof payload.additionalInfo === 'object' ? payload.additionalInfo : {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return kind === 'invoice'
    ? { trxId: text(info.transactionId), invoiceId: text(payload.originalReferenceNo) }
    : { trxId: text(info.transactionId), invoiceId: text(info.invoiceNumber) };
}
