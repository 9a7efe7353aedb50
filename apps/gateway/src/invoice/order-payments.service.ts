import { Injectable, Logger } from '@nestjs/common';
import { checkPaidAmount, PaymentEvidence } from './netzme-invoice.mapper';
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

/**
 * Applies proof of payment to orders: always Netzme's own word (Get Invoice Transaction said
 * SUCCESS), whether the poller asked or a payment callback made OrderSyncService ask right away
 * (confirm before trust). Both end in the same state transition, so a callback and a poll racing on
 * one order leave one PAID and one "duplicate".
 */
@Injectable()
export class OrderPaymentsService {
  private readonly logger = new Logger('Orders');

  constructor(private readonly state: OrderStateService) {}

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
