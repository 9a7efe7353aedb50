import { Inject, Injectable, Logger } from '@nestjs/common';
import type { WithdrawalStatusEvent } from '../callback';
import { ConflictError } from '../http/app-error';
import type { JobRunResult } from '../jobs/job-registry';
import { PayoutErrorCode } from './payout-errors';
import { describeFailure } from './payout-failure';
import { readPayoutNotification } from './payout-notification';
import { PayoutQueries } from './payout-queries.service';
import type { PayoutStatusAnswer } from './payout-rail';
import { PayoutRails } from './payout-rails';
import { PayoutRepository } from './payout.repository';
import { PAYOUT_SETTINGS, type PayoutSettings } from './payout.settings';
import { isTerminal, type NetzmeTransferState, type PayoutObservation } from './payout-state';
import { direct, PayoutSubmitter, type CallLimiter } from './payout-submit.service';
import { PayoutTransitions } from './payout-transitions.service';
import { PinMemory } from './pin-memory';
import type { WithdrawalEventSource } from './withdrawal-event.entity';
import type { Withdrawal, WithdrawalKind } from './withdrawal.entity';

/** What applying a Withdraw Status Notification did (the callback module's contract). */
export interface NotificationResult {
  outcome: 'applied' | 'duplicate' | 'anomaly' | 'not-mine';
  reason?: string;
  withdrawalId?: string;
}

type FoundAnswer = Extract<PayoutStatusAnswer, { kind: 'found' }>;

/** Netzme's found answer as an observation ('failed' carries Netzme's words as the reason). */
function statusObservation(answer: FoundAnswer & { state: NetzmeTransferState }, referenceNo?: string): PayoutObservation {
  return {
    type: 'status',
    state: answer.state,
    netzmeStatus: answer.netzmeStatus,
    referenceNo: answer.referenceNo ?? referenceNo,
    amountMinor: answer.amountMinor,
    reason: answer.state === 'failed' ? `Netzme reported the transfer failed: ${answer.description ?? answer.netzmeStatus ?? ''}`.trim() : undefined,
  };
}

/**
 * Bringing payouts to a final state: Netzme's notification (confirmed by its status call), the
 * poller, and admins (manual resolution, resubmission with the PIN).
 */
@Injectable()
export class PayoutResolver {
  private readonly logger = new Logger('PayoutEngine');

  constructor(
    private readonly repo: PayoutRepository,
    private readonly rails: PayoutRails,
    private readonly transitions: PayoutTransitions,
    private readonly submitter: PayoutSubmitter,
    private readonly queries: PayoutQueries,
    private readonly pins: PinMemory,
    @Inject(PAYOUT_SETTINGS) private readonly settings: PayoutSettings,
  ) {}

  /** Withdraw Status Notification (T19) for this kind, read once by the callback module; it calls this. */
  async applyNotification(kind: WithdrawalKind, event: WithdrawalStatusEvent): Promise<NotificationResult> {
    const said = readPayoutNotification(kind, event);
    if (said.kind === 'not-mine') {
      return { outcome: 'not-mine', reason: said.reason };
    }
    const rows = await this.repo.findByReferences(kind, said.partnerReferenceNo, said.referenceNo);
    if (rows.length === 0) {
      return { outcome: 'not-mine', reason: 'no withdrawal of ours has these references' };
    }
    const [row] = rows;
    const anomaly = async (reason: string): Promise<NotificationResult> => {
      await this.transitions.noteAnomaly(row.id, reason, 'callback');
      return { outcome: 'anomaly', reason, withdrawalId: row.id };
    };
    if (rows.length > 1) {
      return anomaly(`the notification's references point at two withdrawals (${rows.map((r) => r.id).join(', ')})`);
    }
    const { state, referenceNo } = said;
    if (state === null) {
      return anomaly(`unrecognised latestTransactionStatus ${JSON.stringify(event.status)} (${event.statusDesc ?? ''})`);
    }
    // The callback module read the amount strictly (IDR, two decimals); a stated amount must be ours.
    if (said.amountMinor !== null && said.amountMinor !== row.amountMinor) {
      return anomaly(`the notification says ${said.amountMinor} sen, the withdrawal is for ${row.amountMinor} sen`);
    }
    // Confirm before trust: the callback token is one static secret, so the notification only says
    // "look now". The withdrawal moves on Netzme's own status answer (the same call the poller makes).
    // A Netzme error propagates: the callback module keeps the callback and confirms it later.
    if (isTerminal(row.status) && ((state === 'succeeded' && row.status === 'SUCCEEDED') || (state === 'failed' && row.status === 'FAILED'))) {
      return { outcome: 'duplicate', reason: `the withdrawal is already ${row.status}`, withdrawalId: row.id };
    }
    // Asked with our own ids; Netzme's referenceNo from the notification only when we never learned
    // one (a lost Withdraw Process answer), since some status calls cannot be made without it.
    const answer = await this.rails.of(kind).status({ partnerReferenceNo: row.partnerReferenceNo, referenceNo: row.referenceNo ?? referenceNo ?? null });
    if (answer.kind !== 'found' || answer.state === null) {
      return anomaly(
        answer.kind === 'found'
          ? `not confirmed: Netzme answered an unrecognised status ${JSON.stringify(answer.netzmeStatus ?? null)}`
          : `not confirmed: Netzme ${answer.kind === 'not-found' ? 'has no such transfer' : 'cannot be asked about this transfer yet'}; the notification said ${state}`,
      );
    }
    const result = await this.transitions.observe(row.id, statusObservation({ ...answer, state: answer.state }, referenceNo), {
      source: 'callback',
      details: {
        latestTransactionStatus: answer.netzmeStatus ?? null,
        transactionStatusDesc: answer.description ?? null,
        originalReferenceNo: referenceNo ?? null,
        confirmedBy: 'status call',
      },
    });
    if (answer.state !== state) {
      // Netzme's own answer was applied; the notification disagreed with it: a person should know.
      return anomaly(`not confirmed: the notification said ${state}, Netzme's status call says ${answer.state} (Netzme's answer applied: ${result.outcome})`);
    }
    const outcome = result.outcome === 'applied' ? 'applied' : result.outcome === 'anomaly' ? 'anomaly' : 'duplicate';
    return { outcome, reason: result.reason, withdrawalId: row.id };
  }

  /** One poll tick for a kind: claim due unresolved rows (claimDue), resolve each through Netzme, reschedule with backoff. */
  async pollDue(kind: WithdrawalKind, context: { limit?: CallLimiter; batchSize?: number; signal?: AbortSignal } = {}): Promise<JobRunResult> {
    if (context.signal?.aborted) {
      return { processed: 0, details: { claimed: 0, reason: 'shutting down' } };
    }
    const limit = context.limit ?? direct;
    const ids = await this.repo.claimDue(kind, context.batchSize ?? this.settings.pollBatch, this.settings.pollLeaseMs);
    let processed = 0;
    let errors = 0;
    await Promise.all(
      ids.map(async (id) => {
        try {
          await this.refresh(id, limit, 'poll');
          processed++;
        } catch (err) {
          errors++;
          const failure = describeFailure(err);
          this.logger.warn(`could not refresh withdrawal ${id}: ${failure.message}`);
          await this.repo.setLastError(id, `status check failed: ${failure.message}`).catch(() => undefined);
        } finally {
          await this.scheduleNextCheck(id).catch(() => undefined);
        }
      }),
    );
    return { processed, errors, details: { claimed: ids.length } };
  }

  /**
   * Bring one unresolved payout closer to a final state. A PENDING_SUBMIT row reaching this point
   * was abandoned by its request (crash, hang): it becomes UNKNOWN. Then Netzme is asked; only
   * when it has no such transfer is the same reference resubmitted (needs the PIN in memory).
   */
  async refresh(id: string, limit: CallLimiter = direct, source: WithdrawalEventSource = 'poll', actor?: string, suppliedPin?: string): Promise<void> {
    let row = await this.repo.findById(id);
    if (!row || isTerminal(row.status)) {
      this.pins.forget(id);
      return;
    }
    const rail = this.rails.of(row.kind);
    if (row.status === 'PENDING_SUBMIT') {
      await this.transitions.observe(
        id,
        { type: 'lost', reason: 'the request that wrote this withdrawal did not finish (crash or hang): outcome unknown until Netzme is asked' },
        { source, actor },
      );
      row = (await this.repo.findById(id))!;
    }
    const asked: Withdrawal = row;
    const answer = await limit(() => rail.status({ partnerReferenceNo: asked.partnerReferenceNo, referenceNo: asked.referenceNo }));
    if (answer.kind === 'found') {
      if (answer.state === null) {
        await this.transitions.noteAnomaly(
          id,
          `Netzme answered an unrecognised status ${JSON.stringify(answer.netzmeStatus ?? null)} (${answer.description ?? ''})`,
          source,
        );
        return;
      }
      await this.transitions.observe(id, statusObservation({ ...answer, state: answer.state }), {
        source,
        actor,
        details: { latestTransactionStatus: answer.netzmeStatus ?? null, transactionStatusDesc: answer.description ?? null },
      });
      return;
    }
    // Netzme has no such transfer (or cannot be asked).
    if (row.netzmeHasIt) {
      if (answer.kind === 'not-found') {
        await this.transitions.noteAnomaly(id, 'Netzme no longer finds a transfer it acknowledged earlier', source);
      }
      return; // the notification (or a person) settles it
    }
    if (row.status !== 'UNKNOWN') {
      return;
    }
    const pin = suppliedPin ?? this.pins.recall(id);
    if (!pin) {
      await this.repo.setLastError(
        id,
        'Netzme has no record of this transfer and the PIN is no longer in memory: resubmit it with the PIN (POST …/resubmit) or resolve it by hand',
      );
      return;
    }
    if (source === 'poll' && row.submitAttempts > this.settings.maxResubmits) {
      await this.repo.setLastError(id, `resubmission limit (${this.settings.maxResubmits}) reached: needs a person`);
      return;
    }
    await this.submitter.send(id, pin, { source, first: false, actor, limit });
  }

  /**
   * An admin settles a payout in the review queue (after checking with Netzme out of band), or
   * acknowledges an anomaly on a finished one. Audited: who, when, why, previous status.
   */
  async resolve(kind: WithdrawalKind, id: string, input: { status: 'SUCCEEDED' | 'FAILED'; reason: string; actor: string }): Promise<Withdrawal> {
    const row = await this.queries.get(kind, id);
    if (isTerminal(row.status)) {
      if (row.anomaly !== null && row.status === input.status) {
        await this.repo.acknowledgeAnomaly(row, input.reason, input.actor);
        return this.queries.get(kind, id);
      }
      throw new ConflictError(PayoutErrorCode.WITHDRAWAL_ALREADY_FINAL, `Withdrawal ${id} is already ${row.status}; a final status never changes`, {
        status: row.status,
      });
    }
    if (!this.queries.needsReview(row)) {
      throw new ConflictError(
        PayoutErrorCode.WITHDRAWAL_NOT_IN_REVIEW,
        `Withdrawal ${id} is still being resolved automatically; it can be resolved by hand once it is in the review queue (unresolved for ${Math.round(this.settings.reviewAfterMs / 60000)} min)`,
        { status: row.status },
      );
    }
    const result = await this.transitions.observe(
      id,
      { type: 'manual', to: input.status, reason: input.reason },
      { source: 'admin', actor: input.actor, eventType: 'MANUAL_RESOLUTION' },
    );
    if (result.outcome !== 'applied') {
      const now = await this.queries.get(kind, id);
      throw new ConflictError(PayoutErrorCode.WITHDRAWAL_ALREADY_FINAL, `Withdrawal ${id} became ${now.status} meanwhile`, { status: now.status });
    }
    return this.queries.get(kind, id);
  }

  /**
   * An admin supplies the PIN again so that a payout Netzme has no record of can be resubmitted
   * with the SAME partnerReferenceNo (the PIN is never stored, so after a restart only a person can
   * do this). Netzme is asked first; the resubmission happens only if it does not know the transfer.
   */
  async resubmit(kind: WithdrawalKind, id: string, input: { pin: string; actor: string }): Promise<Withdrawal> {
    const row = await this.queries.get(kind, id);
    if (row.status !== 'UNKNOWN' && row.status !== 'PENDING_SUBMIT') {
      throw new ConflictError(
        PayoutErrorCode.WITHDRAWAL_NOT_RESUBMITTABLE,
        `Withdrawal ${id} is ${row.status}: only a withdrawal whose outcome is unknown can be resubmitted`,
        { status: row.status },
      );
    }
    if (row.status === 'PENDING_SUBMIT' && row.createdAt.getTime() > Date.now() - this.settings.submitGraceMs) {
      throw new ConflictError(PayoutErrorCode.WITHDRAWAL_BEING_SUBMITTED, `Withdrawal ${id} is being submitted right now; try again later`);
    }
    if (row.netzmeHasIt) {
      throw new ConflictError(
        PayoutErrorCode.WITHDRAWAL_KNOWN_TO_NETZME,
        `Netzme already has withdrawal ${id}; it is resolved by its status, never resubmitted`,
      );
    }
    await this.refresh(id, direct, 'admin', input.actor, input.pin);
    await this.scheduleNextCheck(id);
    return this.queries.get(kind, id);
  }

  private scheduleNextCheck(id: string): Promise<void> {
    return this.repo.scheduleNextCheck(id, this.settings.pollDelayMs, this.settings.pollMaxDelayMs);
  }
}
