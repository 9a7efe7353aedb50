import { isNetzmeError, NetzmeClient, NetzmeError } from '@app/netzme-client';
import type { CreateInvoiceTransactionParams } from '@app/netzme-client';
import type { InvoiceTransactionResponse, TransactionListItem } from '@app/snap';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { PaymentNotificationEvent } from '../callback';
import type { JobContext, JobRunResult } from '../jobs/job-registry';
import { INVOICE_SETTINGS, InvoiceSettings } from './invoice.settings';
import { timed } from '../observability/server-timing';
import {
  checkPaidAmount,
  parseNetzmeTime,
  paymentFromCallback,
  PaymentEvidence,
  paymentFromStatus,
  readCreateAnswer,
  readRemoteState,
} from './netzme-invoice.mapper';
import { Order } from './order.entity';
import { ApplyOutcome, OrderPaymentsService } from './order-payments.service';
import { OrderPatch, InvoiceRepository } from './invoice.repository';
import { decideInvoice, InvoicePurpose, isTerminal, INVOICE_OPEN_STATUSES, TransitionSource } from './invoice-state';
import { InvoiceFailureCode } from './invoice-errors';

/** What confirming a payment notification came to; `retry`: ask again later (busy or Netzme unreachable). */
export type ConfirmOutcome = ApplyOutcome | { outcome: 'retry'; reason: string; orderId?: string };

/** The answer of the one invoice-payment entry point: the outcome and, when found, what the invoice is for. */
export type InvoicePaymentOutcome = ConfirmOutcome & { purpose?: InvoicePurpose };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs a Netzme call; the poller passes the job context's shared limiter. */
export type CallLimiter = <T>(fn: () => Promise<T>) => Promise<T>;
const direct: CallLimiter = (fn) => fn();

/**
 * Errors that a re-send of the very same request would meet again: Netzme looked at the request and
 * refused it, so nothing was created. Everything else (timeouts, 5xx, token or network trouble)
 * leaves the order UNKNOWN and is retried with the same partnerReferenceNo.
 */
const REFUSALS = new Set(['BAD_REQUEST', 'FORBIDDEN', 'NOT_FOUND', 'INSUFFICIENT_FUNDS', 'CONFLICT', 'INVALID_REQUEST']);

function describeError(err: unknown): string {
  if (isNetzmeError(err)) {
    const code = err.responseCode ? ` ${err.responseCode}` : err.networkCode ? ` ${err.networkCode}` : '';
    return `${err.category}${code}: ${err.message}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Everything between an order and Netzme after the row exists: sending (and safely re-sending)
 * Create Invoice Transaction with the order's own partnerReferenceNo, resolving unknown outcomes,
 * refreshing status, and the `order-status-poll` job. Every change goes through InvoiceRepository.
 */
@Injectable()
export class OrderSyncService {
  private readonly logger = new Logger('Orders');

  constructor(
    private readonly state: InvoiceRepository,
    private readonly payments: OrderPaymentsService,
    private readonly netzme: NetzmeClient,
    @Inject(INVOICE_SETTINGS) private readonly settings: InvoiceSettings,
  ) {}

  // ---- create / re-send ------------------------------------------------------------------------

  /**
   * Send Create Invoice Transaction for `order` and record the answer. Safe to repeat: Netzme
   * refuses a second invoice for the same partnerReferenceNo (409xx01), which we treat as "it has
   * the first one" and go looking for it instead.
   */
  async sendCreate(order: Order, source: TransitionSource, limit: CallLimiter = direct): Promise<Order> {
    let res;
    try {
      const params = this.createParams(order);
      // A deposit top-up is the same invoice with apiSource topup_deposit (T21); the answer reads the same.
      const send =
        order.purpose === 'DEPOSIT_TOPUP' ? () => this.netzme.createTopupDepositTransaction(params) : () => this.netzme.createInvoiceTransaction(params);
      res = await limit(() => timed('netzme', send));
    } catch (err) {
      return this.recordCreateError(order, err, source, limit);
    }
    const answer = readCreateAnswer(res, order);
    if (answer.kind === 'refused') {
      return this.fail(order, InvoiceFailureCode.NETZME_REFUSED, answer.message, source);
    }
    if (answer.kind === 'unreadable') {
      return this.markUnknown(order, answer.message, source);
    }
    return this.adopt(order, { ...answer.patch, statusReason: null }, source, 'Netzme created the invoice');
  }

  /** Claim an open invoice for a Netzme call (no other worker holds it); null when someone does. */
  claim(orderId: string): Promise<Order | null> {
    return this.state.claim(orderId, this.settings.pollLeaseMs);
  }

  /**
   * Bring one claimed open order forward: re-send the create call (CREATING past its lease, or
   * UNKNOWN), look up an invoice Netzme holds under our reference, or ask Netzme for the status.
   * Always releases the claim.
   */
  async refreshClaimed(order: Order, source: TransitionSource, limit: CallLimiter = direct): Promise<Order> {
    try {
      if (order.status === 'PENDING' && order.netzmeTrxId) {
        return await this.refreshStatus(order, source, limit);
      }
      if (order.netzmeHasReference && !order.netzmeTrxId) {
        return await this.lookupByReference(order, source, limit);
      }
      if (order.status === 'UNKNOWN' && !order.netzmeTrxId && !order.netzmeHasReference && this.expiredUnseen(order)) {
        // Its payment instructions never reached anyone and its time is over: nobody can pay it.
        return await this.expire(order, "Netzme's answer was lost and the invoice has expired unseen", source);
      }
      if (order.status === 'CREATING' || order.status === 'UNKNOWN') {
        await this.state.countCreateAttempt(order.id);
        return await this.sendCreate(order, source, limit);
      }
      return await this.reschedule(order, null); // nothing to ask Netzme: just release the claim
    } catch (err) {
      // Database trouble (Netzme errors are handled inside): release and try again later.
      await this.reschedule(order, `refresh failed: ${describeError(err)}`).catch(() => undefined);
      throw err;
    }
  }

  /** Past the invoice's own end (from its creation; Netzme's expiredTs is unknown without an answer) and the grace. */
  private expiredUnseen(order: Order): boolean {
    return Date.now() > order.createdAt.getTime() + order.expiresInSeconds * 1000 + this.settings.expiryGraceMs;
  }

  private createParams(order: Order): CreateInvoiceTransactionParams {
    // On a re-send the invoice should still end when the order does.
    const remaining = Math.ceil((order.createdAt.getTime() + order.expiresInSeconds * 1000 - Date.now()) / 1000);
    const expireInSecond = Math.min(order.expiresInSeconds, Math.max(60, remaining));
    const info: Record<string, string> = {};
    if (order.customer?.fullname) info.fullname = order.customer.fullname;
    if (order.customer?.email) info.email = order.customer.email;
    if (order.customer?.phoneNumber) info.phoneNumber = order.customer.phoneNumber;
    if (order.description) info.description = order.description;
    return {
      partnerReferenceNo: order.partnerReferenceNo,
      amount: order.amountMinor,
      payMethod: order.payMethod,
      expireInSecond: String(expireInSecond),
      // Top-ups never sent a feeType (Netzme's default applies): keep their wire body as it was.
      ...(order.purpose === 'ORDER' ? { feeType: order.feeType as CreateInvoiceTransactionParams['feeType'] } : {}),
      ...(Object.keys(info).length > 0 ? { additionalInfo: info } : {}),
    };
  }

  private async recordCreateError(order: Order, err: unknown, source: TransitionSource, limit: CallLimiter): Promise<Order> {
    if (isNetzmeError(err) && err.category === 'DUPLICATE_REFERENCE') {
      return this.onDuplicateReference(order, source, limit);
    }
    if (isNetzmeError(err) && err.outcome === 'definite' && REFUSALS.has(err.category)) {
      return this.fail(order, err.responseCode ? `NETZME_${err.responseCode}` : `NETZME_${err.category}`, netzmeMessage(err), source);
    }
    if (!isNetzmeError(err)) {
      this.logger.error(`order ${order.id}: create call failed unexpectedly: ${describeError(err)}`);
    }
    const what = isNetzmeError(err) && err.outcome === 'definite' ? 'Netzme could not be asked' : 'Netzme did not answer clearly';
    return this.markUnknown(
      order,
      `${what} (${describeError(err)}); the gateway retries with the same reference, which can never create a second invoice`,
      source,
    );
  }

  /**
   * Netzme says it already holds an invoice for our reference: an earlier attempt got through but
   * its answer was lost. Never create another one; find the one it has.
   */
  private async onDuplicateReference(order: Order, source: TransitionSource, limit: CallLimiter): Promise<Order> {
    const patch: OrderPatch = {
      netzmeHasReference: true,
      statusReason: `Netzme already holds an invoice for reference ${order.partnerReferenceNo} whose answer we never received; looking it up`,
    };
    const updated =
      order.status === 'CREATING'
        ? (await this.state.transition(order.id, 'UNKNOWN', { source, patch, reason: 'duplicate reference' })).order
        : await this.state.update(order.id, ['UNKNOWN'], patch);
    const current = updated ?? (await this.state.findById(order.id));
    if (!current || current.status !== 'UNKNOWN') {
      return current ?? order;
    }
    return this.lookupByReference(current, source, limit);
  }

  /**
   * Find the invoice Netzme holds under our reference: first Get Invoice Transaction with our
   * partnerReferenceNo (Netzme's own doc example sends it there), then the merchant's transaction
   * list (paid invoices carry their references). If neither knows it, the poller keeps looking for
   * ORDER_REVIEW_LOOKUP_MS and then leaves the order to a person (needsReview).
   */
  private async lookupByReference(order: Order, source: TransitionSource, limit: CallLimiter): Promise<Order> {
    let found: InvoiceTransactionResponse | null = null;
    try {
      const res = await limit(() => timed('netzme', () => this.netzme.getInvoiceTransaction(order.partnerReferenceNo)));
      const ref = res.partnerReferenceNo;
      if (!ref || ref === order.partnerReferenceNo) {
        found = res;
      }
    } catch (err) {
      if (!(isNetzmeError(err) && err.category === 'NOT_FOUND')) {
        return this.reschedule(order, `lookup by reference failed: ${describeError(err)}`);
      }
    }
    let ids = found ? idsFromStatus(found) : null;
    if (!ids?.trxId) {
      ids = await this.searchTransactionList(order, limit).catch(() => null);
    }
    if (!ids?.trxId) {
      if (Date.now() - order.createdAt.getTime() > this.settings.reviewLookupMs) {
        const reason = `Netzme holds reference ${order.partnerReferenceNo} but neither Get Invoice Transaction nor the transaction list reveals its ids: a person must check the Netzme dashboard`;
        this.logger.warn(`order ${order.id}: ${reason}`);
        return (
          (await this.state.update(order.id, ['UNKNOWN', 'CREATING'], { needsReview: true, statusReason: reason, nextPollAt: null, leaseUntil: null })) ?? order
        );
      }
      return this.reschedule(order, `Netzme holds reference ${order.partnerReferenceNo}; its ids are not visible yet, looking again later`);
    }
    if (!found) {
      // Found in the transaction list: fetch its status by the transaction id.
      found = await limit(() => timed('netzme', () => this.netzme.getInvoiceTransaction(ids.trxId!))).catch(() => null);
    }
    const info = found?.additionalInfo;
    const patch: OrderPatch = {
      netzmeTrxId: ids.trxId,
      netzmeInvoiceId: ids.invoiceId ?? null,
      paymentUrl: typeof info?.paymentUrl === 'string' ? info.paymentUrl : null,
      expiresAt: parseNetzmeTime(info?.expiredTs) ?? new Date(order.createdAt.getTime() + order.expiresInSeconds * 1000),
      statusReason: 'ids recovered by reference after a lost create answer (no QR image: show the payment URL)',
    };
    const adopted = await this.adopt(order, patch, source, 'invoice found by our reference');
    return found && adopted.status === 'PENDING' ? this.applyRemote(adopted, found, source) : adopted;
  }

  private async searchTransactionList(order: Order, limit: CallLimiter): Promise<{ trxId?: string; invoiceId?: string } | null> {
    const from = new Date(order.createdAt.getTime() - 60 * 60 * 1000);
    const to = new Date(Math.max(Date.now(), from.getTime() + 24 * 60 * 60 * 1000));
    for (let page = 1; page <= 5; page++) {
      const res = await limit(() => timed('netzme', () => this.netzme.getTransactionList({ fromDateTime: from, toDateTime: to, pageNumber: page })));
      const items: TransactionListItem[] = Array.isArray(res.detailData) ? res.detailData : [];
      const hit = items.find((item) => item.additionalInfo?.partnerReferenceNo === order.partnerReferenceNo);
      if (hit) {
        return { trxId: stringOr(hit.additionalInfo?.transactionId), invoiceId: stringOr(hit.additionalInfo?.invoiceId) };
      }
      if (items.length === 0) {
        break;
      }
    }
    return null;
  }

  // ---- payment notifications: confirm before trust -------------------------------------------

  /**
   * THE entry point for invoice payments, whatever the invoice is for (checkout order or deposit
   * top-up): a payment notification (T15 invoice, T16-T18 QRIS) names an invoice: ask Netzme (Get
   * Invoice Transaction) and move it only on Netzme's answer, with Netzme's amount. The callback
   * token is one static secret, so a callback alone proves nothing; what it says about the amount
   * is only used to refuse early (a stated amount that does not match the order is an anomaly).
   * Called after the callback was stored and acknowledged. Throws only on database trouble.
   */
  async confirmPaymentNotification(event: PaymentNotificationEvent, meta: { callbackId: string; claimWaitMs?: number }): Promise<InvoicePaymentOutcome> {
    const refs = event.references;
    const found = await this.state.findByNetzmeReference(refs);
    if (!found) {
      return {
        outcome: 'not-mine',
        reason: `no invoice with trxId ${refs.trxId ?? '-'}, invoice ${refs.invoiceId ?? '-'} or reference ${refs.partnerReferenceNo ?? '-'}`,
      };
    }
    const result = await this.confirmFound(found, event, meta);
    if (result.outcome === 'anomaly' && result.reason && result.orderId) {
      // Kept on the invoice for people (the top-up view shows it); the callback row keeps it too.
      await this.state.recordAnomaly(result.orderId, result.reason);
    }
    return { ...result, purpose: found.purpose };
  }

  private async confirmFound(found: Order, event: PaymentNotificationEvent, meta: { callbackId: string; claimWaitMs?: number }): Promise<ConfirmOutcome> {
    const status = event.status;
    if (status !== undefined && status !== '00') {
      // Netzme only documents 00 (paid) for these notifications; do not guess what others mean.
      return { outcome: 'anomaly', orderId: found.id, reason: `latestTransactionStatus ${status} is not a payment success (00)` };
    }
    const claimed = paymentFromCallback(event, meta.callbackId);
    if (claimed.paid) {
      const check = checkPaidAmount(found, claimed);
      if (!check.ok) {
        return { outcome: 'anomaly', orderId: found.id, reason: check.reason };
      }
    }
    // Take the order (a poll may hold it for a moment); give up after claimWaitMs and retry later.
    const deadline = Date.now() + (meta.claimWaitMs ?? 10_000);
    let order: Order | null = null;
    for (;;) {
      const current = await this.state.findById(found.id);
      if (!current) {
        return { outcome: 'not-mine', reason: 'the order disappeared' };
      }
      // Already final: the state machine says what a payment means now (duplicate, or money for a closed invoice).
      const decision = decideInvoice(current, { type: 'paid', amount: { ok: true } });
      if (!decision.to) {
        return { outcome: decision.outcome === 'anomaly' ? 'anomaly' : 'duplicate', orderId: current.id, reason: decision.reason };
      }
      order = await this.claim(current.id);
      if (order || Date.now() > deadline) {
        break;
      }
      await sleep(100);
    }
    if (!order) {
      return { outcome: 'retry', orderId: found.id, reason: 'the order is being refreshed by another worker; confirming later' };
    }
    try {
      return await this.confirmClaimed(order, claimed, meta.callbackId);
    } catch (err) {
      // Database trouble: release the claim so that the retry (or the poller) can take the order.
      await this.reschedule(order, null).catch(() => undefined);
      throw err;
    }
  }

  private async confirmClaimed(order: Order, claimed: PaymentEvidence, callbackId: string): Promise<ConfirmOutcome> {
    // Ask by our own ids only: a trxId taken from the callback could name someone else's invoice.
    const askWith = order.netzmeTrxId ?? order.partnerReferenceNo;
    let res: InvoiceTransactionResponse;
    try {
      res = await timed('netzme', () => this.netzme.getInvoiceTransaction(askWith));
    } catch (err) {
      await this.reschedule(order, null).catch(() => undefined);
      if (isNetzmeError(err) && err.category === 'NOT_FOUND') {
        return { outcome: 'anomaly', orderId: order.id, reason: `not confirmed: Netzme does not know invoice ${askWith}` };
      }
      return { outcome: 'retry', orderId: order.id, reason: `Netzme could not confirm the payment yet (${describeError(err)})` };
    }
    if (res.partnerReferenceNo && res.partnerReferenceNo !== order.partnerReferenceNo) {
      await this.reschedule(order, null);
      return {
        outcome: 'anomaly',
        orderId: order.id,
        reason: `Netzme's invoice ${askWith} belongs to reference ${res.partnerReferenceNo}, not ${order.partnerReferenceNo}`,
      };
    }
    const remote = readRemoteState(res);
    if (remote === 'paid') {
      const confirmed = paymentFromStatus(res);
      // Money from Netzme's answer; descriptive details (issuer, RRN, buyer) also from the callback.
      const evidence: PaymentEvidence = {
        ...confirmed,
        paidAt: confirmed.paidAt ?? claimed.paidAt,
        details: { ...claimed.details, ...definedOnly(confirmed.details), evidence: callbackId },
      };
      const ids = order.netzmeTrxId ? undefined : idsFromStatus(res);
      const outcome = await this.payments.applyPayment(order, evidence, 'callback', callbackId, ids);
      if (outcome.outcome === 'anomaly' && !isTerminal(order.status)) {
        await this.state.update(order.id, ['PENDING', 'UNKNOWN', 'CREATING'], {
          needsReview: true,
          statusReason: `Netzme reports a payment that does not match: ${outcome.reason}`,
          nextPollAt: null,
          leaseUntil: null,
        });
        return { ...outcome, reason: `Netzme confirms a payment that does not match: ${outcome.reason}` };
      }
      return outcome;
    }
    if (remote === 'closed') {
      await this.expire(order, 'Netzme closed the invoice (expired or cancelled)', 'callback');
      return { outcome: 'anomaly', orderId: order.id, reason: 'the callback reports a payment, but Netzme shows the invoice closed unpaid' };
    }
    // Unpaid (or not understood): exactly what a poll would do with this answer (final check after
    // expiry included), so that repeated callbacks can never keep an order from expiring.
    const after = await this.applyRemote(order, res, 'callback');
    if (remote === 'open') {
      return {
        outcome: 'anomaly',
        orderId: order.id,
        reason: `not confirmed: Netzme shows the invoice unpaid (status ${String(res.status)}); the order is ${after.status}${after.status === 'PENDING' ? ' and keeps being polled' : ''}`,
      };
    }
    return { outcome: 'retry', orderId: order.id, reason: `Netzme status "${String(res.status)}" not understood; confirming later` };
  }

  // ---- status --------------------------------------------------------------------------------

  /** Ask Netzme about a PENDING order and apply what it says. */
  private async refreshStatus(order: Order, source: TransitionSource, limit: CallLimiter): Promise<Order> {
    let res: InvoiceTransactionResponse;
    try {
      res = await limit(() => timed('netzme', () => this.netzme.getInvoiceTransaction(order.netzmeTrxId!)));
    } catch (err) {
      return this.reschedule(order, `status query failed: ${describeError(err)}`);
    }
    return this.applyRemote(order, res, source);
  }

  private async applyRemote(order: Order, res: InvoiceTransactionResponse, source: TransitionSource): Promise<Order> {
    const remote = readRemoteState(res);
    if (remote === 'paid') {
      const outcome = await this.payments.applyPayment(order, paymentFromStatus(res), source, source);
      if (outcome.outcome === 'anomaly') {
        // Netzme says paid but not what we expect: stop polling and leave it to a person.
        return (
          (await this.state.update(order.id, ['PENDING', 'UNKNOWN'], {
            needsReview: true,
            statusReason: `Netzme reports a payment that does not match: ${outcome.reason}`,
            nextPollAt: null,
            leaseUntil: null,
          })) ?? order
        );
      }
      return (await this.state.findById(order.id)) ?? order;
    }
    if (remote === 'closed') {
      return this.expire(order, 'Netzme closed the invoice (expired or cancelled)', source);
    }
    const finalCheckAt = order.expiresAt ? order.expiresAt.getTime() + this.settings.expiryGraceMs : null;
    if (remote === 'open' && finalCheckAt !== null && Date.now() >= finalCheckAt) {
      // The final check after expiry (+ grace for a late payment) still shows it unpaid.
      return this.expire(order, 'past its expiry and Netzme still shows it unpaid', source);
    }
    if (remote === 'unrecognised') {
      this.logger.warn(`order ${order.id}: Netzme status "${String(res.status)}" not understood; polling again later`);
    }
    return this.reschedule(order, null);
  }

  private async expire(order: Order, reason: string, source: TransitionSource): Promise<Order> {
    const result = await this.state.transition(order.id, 'EXPIRED', { source, reason, patch: { statusReason: reason } });
    return result.order ?? (await this.state.findById(order.id)) ?? order;
  }

  // ---- polling job ---------------------------------------------------------------------------

  /**
   * One tick of `order-status-poll`: claim a bounded batch of due open orders in one short
   * statement (FOR UPDATE SKIP LOCKED, pushing next_poll_at and the lease forward so other replicas
   * skip them), then refresh each through the shared Netzme limiter.
   */
  async pollDue(ctx: Pick<JobContext, 'limit' | 'batchSize' | 'signal'>): Promise<JobRunResult> {
    const batch = ctx.batchSize ?? this.settings.pollBatchSize;
    const claimed = await this.claimDue(batch);
    let errors = 0;
    const limit: CallLimiter = (fn) => ctx.limit(fn);
    await Promise.all(
      claimed.map(async (order) => {
        if (ctx.signal?.aborted) {
          return; // leased: becomes due again when the lease ends
        }
        try {
          await this.refreshClaimed(order, 'poll', limit);
        } catch (err) {
          errors++;
          this.logger.warn(`order ${order.id}: poll failed: ${describeError(err)}`);
        }
      }),
    );
    return { processed: claimed.length, errors, details: { claimed: claimed.length } };
  }

  claimDue(batch: number): Promise<Order[]> {
    return this.state.claimDue(batch, this.settings.pollLeaseMs);
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Next poll time: the back-off schedule by attempts so far, but never later than the final check. */
  nextPollAt(order: Pick<Order, 'pollAttempts' | 'expiresAt'>, now = Date.now()): Date {
    const schedule = this.settings.pollScheduleMs;
    let at = now + schedule[Math.min(order.pollAttempts, schedule.length - 1)];
    if (order.expiresAt) {
      const finalCheck = order.expiresAt.getTime() + this.settings.expiryGraceMs;
      if (now < finalCheck && at > finalCheck) {
        at = finalCheck;
      }
    }
    return new Date(at);
  }

  /** Store Netzme's ids and move to PENDING (or, if someone else got there first, just fill the ids). */
  private async adopt(order: Order, patch: OrderPatch, source: TransitionSource, reason: string): Promise<Order> {
    const expiresAt = patch.expiresAt ?? order.expiresAt;
    const result = await this.state.transition(
      order.id,
      'PENDING',
      { source, reason, patch: { ...patch, nextPollAt: this.nextPollAt({ pollAttempts: 0, expiresAt }), leaseUntil: null } },
      { copy: order },
    );
    if (result.order) {
      return result.order;
    }
    // Already moved on (a payment proven by reference, or a parallel re-send): keep the ids anyway.
    const current = await this.state.findById(order.id);
    if (current && !current.netzmeTrxId && patch.netzmeTrxId) {
      const { nextPollAt: _ignored, ...ids } = patch;
      return (await this.state.update(order.id, [current.status], { ...ids, statusReason: current.statusReason })) ?? current;
    }
    return current ?? order;
  }

  private async markUnknown(order: Order, reason: string, source: TransitionSource): Promise<Order> {
    const patch: OrderPatch = { statusReason: reason, nextPollAt: this.nextPollAt(order), leaseUntil: null };
    if (order.status === 'CREATING') {
      const moved = await this.state.transition(order.id, 'UNKNOWN', { source, reason, patch });
      if (moved.order) {
        return moved.order;
      }
    }
    return (await this.state.update(order.id, ['UNKNOWN'], patch)) ?? (await this.state.findById(order.id)) ?? order;
  }

  private async fail(order: Order, code: string, message: string, source: TransitionSource): Promise<Order> {
    const result = await this.state.transition(order.id, 'FAILED', {
      source,
      reason: message,
      patch: { failureCode: code, failureMessage: message, statusReason: null },
    });
    return result.order ?? (await this.state.findById(order.id)) ?? order;
  }

  /** Release the claim and come back later (status unchanged). */
  private async reschedule(order: Order, reason: string | null): Promise<Order> {
    const patch: OrderPatch = { nextPollAt: this.nextPollAt(order), leaseUntil: null };
    if (reason !== null && order.status !== 'PENDING') {
      patch.statusReason = reason;
    } else if (reason !== null) {
      this.logger.warn(`order ${order.id}: ${reason}`);
    }
    return (await this.state.update(order.id, INVOICE_OPEN_STATUSES, patch)) ?? order;
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** trxId / invoice id from a Get Invoice Transaction answer (referenceNo is the transaction id). */
function idsFromStatus(res: InvoiceTransactionResponse): { trxId?: string; invoiceId?: string } {
  const info = (res.additionalInfo ?? {}) as Record<string, unknown>;
  return { trxId: stringOr(info.transactionId) ?? stringOr(res.referenceNo), invoiceId: stringOr(info.invoiceId) };
}

function netzmeMessage(err: NetzmeError): string {
  return `Netzme refused the invoice${err.responseCode ? ` (${err.responseCode}${err.responseMessage ? ` ${err.responseMessage}` : ''})` : ''}`;
}
