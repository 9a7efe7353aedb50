import { Injectable, Logger } from '@nestjs/common';
import { checkPaidAmount, PaymentEvidence } from './netzme-invoice.mapper';
import type { Order } from './order.entity';
import { InvoiceRepository, TransitionChange, TransitionOptions } from './invoice.repository';
import { decideInvoice, InvoiceDecision, TransitionSource } from './invoice-state';

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

  constructor(private readonly state: InvoiceRepository) {}

  /** Move an invoice to PAID on the strength of `evidence`, if the amount is right and it is still open. */
  async applyPayment(
    order: Order,
    evidence: PaymentEvidence,
    source: TransitionSource,
    sourceRef: string | null,
    fillIds?: TransitionOptions['fillIds'],
  ): Promise<ApplyOutcome> {
    const decision = decideInvoice(order, { type: 'paid', amount: checkPaidAmount(order, evidence) });
    if (!decision.to) {
      if (decision.outcome === 'anomaly') {
        this.logger.warn(`invoice ${order.id}: payment not applied: ${decision.reason}`);
      }
      return this.outcomeOf(order, decision);
    }
    const result = await this.state.transition(order.id, decision.to, this.paidChange(evidence, source, sourceRef), { fillIds });
    if (result.changed) {
      return { outcome: 'applied', orderId: order.id };
    }
    // Someone else moved it between our read and our update: decide again on what it is now.
    const now = await this.state.findById(order.id);
    if (!now) {
      return { outcome: 'not-mine', reason: 'the order disappeared' };
    }
    const again = decideInvoice(now, { type: 'paid', amount: { ok: true } });
    return this.outcomeOf(
      now,
      again.outcome === 'applied' ? { to: null, outcome: 'anomaly', reason: `payment for an invoice that moved to ${now.status} meanwhile` } : again,
    );
  }

  private outcomeOf(order: Order, decision: InvoiceDecision): ApplyOutcome {
    return { outcome: decision.outcome === 'noop' ? 'duplicate' : decision.outcome, orderId: order.id, reason: decision.reason };
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
}
