import { HttpStatus, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { fromMinor, timestampedReference, toMinor, toMinorLenient } from '@app/snap';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm';
import { AppError, BadRequestError, ConflictError, NotFoundError } from '../common/app-error';
import { requestFingerprint } from '../idempotency/idempotency';
import type { JobRunResult } from '../jobs/job-registry';
import { Counter, MetricsService } from '../jobs/metrics.service';
import { PAYOUT_SETTINGS, type PayoutSettings } from './payout.settings';
import { WithdrawalEvent, type EventDetails, type WithdrawalEventSource } from './withdrawal-event.entity';
import { Withdrawal, type WithdrawalKind } from './withdrawal.entity';
import { describeFailure } from './payout-failure';
import type { PayoutInquiry, PayoutRail } from './payout-rail';
import { decide, IN_FLIGHT_STATUSES, isTerminal, mapNetzmeTransferStatus, type DecisionOutcome, type PayoutObservation, type PayoutStatus } from './payout-state';
import { PinMemory } from './pin-memory';

/** Runs a Netzme call under the jobs module's shared limits (or directly, on a request path). */
export type CallLimiter = <T>(fn: () => Promise<T>) => Promise<T>;
const direct: CallLimiter = (fn) => fn();

export interface CreatePayoutInput {
  amount: string;
  pin: string;
  idempotencyKey: string;
  requestedBy?: string;
}

export interface ObserveMeta {
  source: WithdrawalEventSource;
  actor?: string;
  /** Event type for a status change (default STATUS_CHANGED). */
  eventType?: string;
  details?: EventDetails;
}

export interface ObserveResult {
  outcome: DecisionOutcome | 'missing';
  reason?: string;
  from?: PayoutStatus;
  to?: PayoutStatus;
}

/** What applying a Withdraw Status Notification did (the callback module's contract). */
export interface NotificationResult {
  outcome: 'applied' | 'duplicate' | 'anomaly' | 'not-mine';
  reason?: string;
  withdrawalId?: string;
}

export interface PayoutListFilter {
  status?: PayoutStatus;
  from?: Date;
  to?: Date;
  page: number;
  pageSize: number;
}

/** Notification `additionalInfo.type` per kind (docs/netzme-protocol.md T19). */
const NOTIFICATION_TYPES: Record<WithdrawalKind, string> = {
  MERCHANT: 'submit_withdraw',
  DEPOSIT: 'submit_withdraw_deposit',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The one payout engine behind merchant withdrawals and deposit withdrawals. It owns every safety
 * rule; rails (one per kind) only speak Netzme:
 * - the row (with our partnerReferenceNo, the idempotency key and the request fingerprint) is
 *   committed before Withdraw Process is called;
 * - an unknown outcome is a state (UNKNOWN), resolved by asking Netzme, never by a new reference;
 * - the same reference is resubmitted only when Netzme says it has no such transfer;
 * - every change goes through `observe` (row lock + conditional UPDATE + event), shared by the
 *   request path, the poller, the notification and admins; terminal states never change.
 */
@Injectable()
export class PayoutEngine {
  private readonly logger = new Logger('PayoutEngine');
  private readonly rails = new Map<WithdrawalKind, PayoutRail>();
  private readonly pins: PinMemory;

  /** gateway_withdrawal_transitions_total{kind,from,to}, counted after the change committed. */
  private readonly transitions?: Counter;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PAYOUT_SETTINGS) private readonly settings: PayoutSettings,
    @Optional() metrics?: MetricsService,
  ) {
    this.pins = new PinMemory(settings.pinMemoryMs);
    this.transitions = metrics?.counter(
      'gateway_withdrawal_transitions_total',
      'Withdrawal status changes made on this replica, by kind (merchant, deposit), from and to status (from="none": created)',
      ['kind', 'from', 'to'],
    );
  }

  registerRail(rail: PayoutRail): void {
    this.rails.set(rail.kind, rail);
  }

  // ---- requests ---------------------------------------------------------------------------------

  inquiry(kind: WithdrawalKind): Promise<PayoutInquiry> {
    return this.railFor(kind).inquiry();
  }

  /**
   * Create a payout: replay by idempotency key, refuse a second one in flight, validate against a
   * fresh inquiry, commit the row, then call Netzme once. Returns `created: false` for a replay.
   */
  async create(kind: WithdrawalKind, input: CreatePayoutInput): Promise<{ created: boolean; withdrawal: Withdrawal }> {
    const rail = this.railFor(kind);
    const amountMinor = this.parseAmount(input.amount);
    // The PIN is a credential, not part of what is asked: it stays out of the fingerprint (anything
    // stored that is derived from a 6-digit PIN could be reversed).
    const fingerprint = requestFingerprint({ kind, amount: fromMinor(amountMinor) });

    const existing = await this.findByKey(kind, input.idempotencyKey);
    if (existing) {
      return { created: false, withdrawal: await this.replay(existing, fingerprint) };
    }
    const merchantId = rail.merchantId();
    const twinInFlight = await this.assertNoneInFlight(kind, merchantId, input.idempotencyKey);
    if (twinInFlight) {
      return { created: false, withdrawal: await this.replay(twinInFlight, fingerprint) };
    }

    const inquiry = await rail.inquiry();
    this.assertWithinInquiry(amountMinor, inquiry);

    // ON CONFLICT DO NOTHING: a concurrent twin (same key) or another withdrawal in flight (the
    // partial unique index) makes the insert a no-op instead of an error; then say which it was.
    const id = await this.insertPending(kind, merchantId, amountMinor, inquiry, rail, input, fingerprint);
    if (!id) {
      const twin = await this.findByKey(kind, input.idempotencyKey);
      if (twin) {
        return { created: false, withdrawal: await this.replay(twin, fingerprint) };
      }
      await this.assertNoneInFlight(kind, merchantId);
      throw new ConflictError('WITHDRAWAL_IN_FLIGHT', 'Another withdrawal was being created at the same moment; try again');
    }
    this.transitions?.inc({ kind: kind.toLowerCase(), from: 'none', to: 'PENDING_SUBMIT' });

    this.pins.remember(id, input.pin);
    await this.send(id, input.pin, { source: 'api', first: true, actor: input.requestedBy });
    return { created: true, withdrawal: await this.load(kind, id) };
  }

  async get(kind: WithdrawalKind, id: string): Promise<Withdrawal> {
    return this.load(kind, id);
  }

  async list(kind: WithdrawalKind, filter: PayoutListFilter): Promise<{ items: Withdrawal[]; total: number }> {
    const query = this.dataSource.getRepository(Withdrawal).createQueryBuilder('w').where('w.kind = :kind', { kind });
    if (filter.status) query.andWhere('w.status = :status', { status: filter.status });
    if (filter.from) query.andWhere('w.createdAt >= :from', { from: filter.from });
    if (filter.to) query.andWhere('w.createdAt < :to', { to: filter.to });
    const [items, total] = await query
      .orderBy('w.createdAt', 'DESC')
      .addOrderBy('w.id', 'DESC')
      .skip((filter.page - 1) * filter.pageSize)
      .take(filter.pageSize)
      .getManyAndCount();
    return { items, total };
  }

  /** Unresolved longer than the review threshold, or carrying an anomaly nobody acknowledged. */
  async reviewQueue(kind: WithdrawalKind): Promise<Withdrawal[]> {
    return this.dataSource
      .getRepository(Withdrawal)
      .createQueryBuilder('w')
      .where('w.kind = :kind', { kind })
      .andWhere(
        `((w.status IN (:...inFlight) AND w.createdAt < now() - make_interval(secs => :after)) OR w.anomaly IS NOT NULL)`,
        { inFlight: IN_FLIGHT_STATUSES, after: this.settings.reviewAfterMs / 1000 },
      )
      .orderBy('w.createdAt', 'ASC')
      .limit(500)
      .getMany();
  }

  needsReview(row: Withdrawal, now = Date.now()): boolean {
    return row.anomaly !== null || (!isTerminal(row.status) && row.createdAt.getTime() < now - this.settings.reviewAfterMs);
  }

  /**
   * An admin settles a payout in the review queue (after checking with Netzme out of band), or
   * acknowledges an anomaly on a finished one. Audited: who, when, why, previous status.
   */
  async resolve(kind: WithdrawalKind, id: string, input: { status: 'SUCCEEDED' | 'FAILED'; reason: string; actor: string }): Promise<Withdrawal> {
    const row = await this.load(kind, id);
    if (isTerminal(row.status)) {
      if (row.anomaly !== null && row.status === input.status) {
        await this.acknowledgeAnomaly(row, input);
        return this.load(kind, id);
      }
      throw new ConflictError('WITHDRAWAL_ALREADY_FINAL', `Withdrawal ${id} is already ${row.status}; a final status never changes`, { status: row.status });
    }
    if (!this.needsReview(row)) {
      throw new ConflictError(
        'WITHDRAWAL_NOT_IN_REVIEW',
        `Withdrawal ${id} is still being resolved automatically; it can be resolved by hand once it is in the review queue (unresolved for ${Math.round(this.settings.reviewAfterMs / 60000)} min)`,
        { status: row.status },
      );
    }
    const result = await this.observe(id, { type: 'manual', to: input.status, reason: input.reason }, { source: 'admin', actor: input.actor, eventType: 'MANUAL_RESOLUTION' });
    if (result.outcome !== 'applied') {
      const now = await this.load(kind, id);
      throw new ConflictError('WITHDRAWAL_ALREADY_FINAL', `Withdrawal ${id} became ${now.status} meanwhile`, { status: now.status });
    }
    return this.load(kind, id);
  }

  /**
   * An admin supplies the PIN again so that a payout Netzme has no record of can be resubmitted
   * with the SAME partnerReferenceNo (the PIN is never stored, so after a restart only a person can
   * do this). Netzme is asked first; the resubmission happens only if it does not know the transfer.
   */
  async resubmit(kind: WithdrawalKind, id: string, input: { pin: string; actor: string }): Promise<Withdrawal> {
    const row = await this.load(kind, id);
    if (row.status !== 'UNKNOWN' && row.status !== 'PENDING_SUBMIT') {
      throw new ConflictError('WITHDRAWAL_NOT_RESUBMITTABLE', `Withdrawal ${id} is ${row.status}: only a withdrawal whose outcome is unknown can be resubmitted`, { status: row.status });
    }
    if (row.status === 'PENDING_SUBMIT' && row.createdAt.getTime() > Date.now() - this.settings.submitGraceMs) {
      throw new ConflictError('WITHDRAWAL_BEING_SUBMITTED', `Withdrawal ${id} is being submitted right now; try again later`);
    }
    if (row.netzmeHasIt) {
      throw new ConflictError('WITHDRAWAL_KNOWN_TO_NETZME', `Netzme already has withdrawal ${id}; it is resolved by its status, never resubmitted`);
    }
    await this.refresh(id, direct, 'admin', input.actor, input.pin);
    await this.scheduleNextCheck(id);
    return this.load(kind, id);
  }

  // ---- Netzme's word: notifications and polling ---------------------------------------------------

  /** Withdraw Status Notification (T19) for this kind; the callback module calls this. */
  async applyNotification(kind: WithdrawalKind, payload: unknown): Promise<NotificationResult> {
    const body = (payload ?? {}) as Record<string, unknown>;
    const info = (typeof body.additionalInfo === 'object' && body.additionalInfo !== null ? body.additionalInfo : {}) as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
    const partnerRef = text(body.originalPartnerReferenceNo);
    const referenceNo = text(body.originalReferenceNo);
    const type = text(info.type);
    if (type && type !== NOTIFICATION_TYPES[kind]) {
      return { outcome: 'not-mine', reason: `notification type ${type} belongs to another kind of withdrawal` };
    }
    if (!partnerRef && !referenceNo) {
      return { outcome: 'not-mine', reason: 'the notification names no withdrawal (no originalPartnerReferenceNo / originalReferenceNo)' };
    }
    const rows = await this.dataSource.getRepository(Withdrawal).find({
      where: [...(partnerRef ? [{ kind, partnerReferenceNo: partnerRef }] : []), ...(referenceNo ? [{ kind, referenceNo }] : [])],
    });
    if (rows.length === 0) {
      return { outcome: 'not-mine', reason: 'no withdrawal of ours has these references' };
    }
    const [row] = rows;
    if (rows.length > 1) {
      const reason = `the notification's references point at two withdrawals (${rows.map((r) => r.id).join(', ')})`;
      await this.noteAnomaly(row.id, reason, 'callback');
      return { outcome: 'anomaly', reason, withdrawalId: row.id };
    }
    const state = mapNetzmeTransferStatus(body.latestTransactionStatus, body.transactionStatusDesc);
    if (state === null) {
      const reason = `unrecognised latestTransactionStatus ${JSON.stringify(body.latestTransactionStatus ?? null)} (${String(body.transactionStatusDesc ?? '')})`;
      await this.noteAnomaly(row.id, reason, 'callback');
      return { outcome: 'anomaly', reason, withdrawalId: row.id };
    }
    const amount = (typeof body.amount === 'object' && body.amount !== null ? body.amount : {}) as { value?: unknown; currency?: unknown };
    if (typeof amount.currency === 'string' && amount.currency !== row.currency) {
      const reason = `currency mismatch: Netzme says ${amount.currency}, we hold ${row.currency}`;
      await this.noteAnomaly(row.id, reason, 'callback');
      return { outcome: 'anomaly', reason, withdrawalId: row.id };
    }
    const amountMinor = amount.value === undefined ? undefined : toMinorLenient(amount.value as string | number);
    if (amount.value !== undefined && amountMinor === null) {
      const reason = `unreadable amount ${JSON.stringify(amount.value)}`;
      await this.noteAnomaly(row.id, reason, 'callback');
      return { outcome: 'anomaly', reason, withdrawalId: row.id };
    }
    if (amountMinor !== undefined && amountMinor !== null && amountMinor !== row.amountMinor) {
      const reason = `the notification says ${amountMinor} sen, the withdrawal is for ${row.amountMinor} sen`;
      await this.noteAnomaly(row.id, reason, 'callback');
      return { outcome: 'anomaly', reason, withdrawalId: row.id };
    }
    // Confirm before trust: the callback token is one static secret, so the notification only says
    // "look now". The withdrawal moves on Netzme's own status answer (the same call the poller makes).
    // A Netzme error propagates: the callback module keeps the callback and confirms it later.
    if (isTerminal(row.status)) {
      const same = (state === 'succeeded' && row.status === 'SUCCEEDED') || (state === 'failed' && row.status === 'FAILED');
      if (same) {
        return { outcome: 'duplicate', reason: `the withdrawal is already ${row.status}`, withdrawalId: row.id };
      }
    }
    // Asked with our own ids; Netzme's referenceNo from the notification only when we never learned
    // one (a lost Withdraw Process answer), since some status calls cannot be made without it.
    const answer = await this.railFor(kind).status({ partnerReferenceNo: row.partnerReferenceNo, referenceNo: row.referenceNo ?? referenceNo ?? null });
    if (answer.kind !== 'found' || answer.state === null) {
      const reason =
        answer.kind === 'found'
          ? `not confirmed: Netzme answered an unrecognised status ${JSON.stringify(answer.netzmeStatus ?? null)}`
          : `not confirmed: Netzme ${answer.kind === 'not-found' ? 'has no such transfer' : 'cannot be asked about this transfer yet'}; the notification said ${state}`;
      await this.noteAnomaly(row.id, reason, 'callback');
      return { outcome: 'anomaly', reason, withdrawalId: row.id };
    }
    const result = await this.observe(
      row.id,
      {
        type: 'status',
        state: answer.state,
        netzmeStatus: answer.netzmeStatus,
        referenceNo: answer.referenceNo ?? referenceNo,
        amountMinor: answer.amountMinor,
        reason: answer.state === 'failed' ? `Netzme reported the transfer failed: ${answer.description ?? answer.netzmeStatus ?? ''}`.trim() : undefined,
      },
      { source: 'callback', details: { latestTransactionStatus: answer.netzmeStatus ?? null, transactionStatusDesc: answer.description ?? null, originalReferenceNo: referenceNo ?? null, confirmedBy: 'status call' } },
    );
    if (answer.state !== state) {
      // Netzme's own answer was applied; the notification disagreed with it: a person should know.
      const reason = `not confirmed: the notification said ${state}, Netzme's status call says ${answer.state} (Netzme's answer applied: ${result.outcome})`;
      await this.noteAnomaly(row.id, reason, 'callback');
      return { outcome: 'anomaly', reason, withdrawalId: row.id };
    }
    const outcome = result.outcome === 'applied' ? 'applied' : result.outcome === 'anomaly' ? 'anomaly' : 'duplicate';
    return { outcome, reason: result.reason, withdrawalId: row.id };
  }

  /**
   * One poll tick for a kind: claim due unresolved rows (FOR UPDATE SKIP LOCKED, lease through
   * next_check_at), resolve each through Netzme, reschedule with backoff.
   */
  async pollDue(kind: WithdrawalKind, context: { limit?: CallLimiter; batchSize?: number; signal?: AbortSignal } = {}): Promise<JobRunResult> {
    if (context.signal?.aborted) {
      return { processed: 0, details: { claimed: 0, reason: 'shutting down' } };
    }
    const limit = context.limit ?? direct;
    const ids = await this.claimDue(kind, context.batchSize ?? this.settings.pollBatch);
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
          await this.setLastError(id, `status check failed: ${failure.message}`).catch(() => undefined);
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
    let row = await this.dataSource.getRepository(Withdrawal).findOneBy({ id });
    if (!row || isTerminal(row.status)) {
      this.pins.forget(id);
      return;
    }
    const rail = this.railFor(row.kind);
    if (row.status === 'PENDING_SUBMIT') {
      await this.observe(id, { type: 'lost', reason: 'the request that wrote this withdrawal did not finish (crash or hang): outcome unknown until Netzme is asked' }, { source, actor });
      row = (await this.dataSource.getRepository(Withdrawal).findOneBy({ id }))!;
    }

    const answer = await limit(() => rail.status({ partnerReferenceNo: row!.partnerReferenceNo, referenceNo: row!.referenceNo }));
    if (answer.kind === 'found') {
      if (answer.state === null) {
        await this.noteAnomaly(id, `Netzme answered an unrecognised status ${JSON.stringify(answer.netzmeStatus ?? null)} (${answer.description ?? ''})`, source);
        return;
      }
      await this.observe(
        id,
        {
          type: 'status',
          state: answer.state,
          netzmeStatus: answer.netzmeStatus,
          referenceNo: answer.referenceNo,
          amountMinor: answer.amountMinor,
          reason: answer.state === 'failed' ? `Netzme reported the transfer failed: ${answer.description ?? answer.netzmeStatus ?? ''}`.trim() : undefined,
        },
        { source, actor, details: { latestTransactionStatus: answer.netzmeStatus ?? null, transactionStatusDesc: answer.description ?? null } },
      );
      return;
    }

    // Netzme has no such transfer (or cannot be asked).
    if (row.netzmeHasIt) {
      if (answer.kind === 'not-found') {
        await this.noteAnomaly(id, 'Netzme no longer finds a transfer it acknowledged earlier', source);
      }
      return; // the notification (or a person) settles it
    }
    if (row.status !== 'UNKNOWN') {
      return;
    }
    const pin = suppliedPin ?? this.pins.recall(id);
    if (!pin) {
      await this.setLastError(id, 'Netzme has no record of this transfer and the PIN is no longer in memory: resubmit it with the PIN (POST …/resubmit) or resolve it by hand');
      return;
    }
    if (source === 'poll' && row.submitAttempts > this.settings.maxResubmits) {
      await this.setLastError(id, `resubmission limit (${this.settings.maxResubmits}) reached: needs a person`);
      return;
    }
    await this.send(id, pin, { source, first: false, actor, limit });
  }

  // ---- the one state-transition function ---------------------------------------------------------

  /**
   * Apply an observation to a payout: row lock, decide (pure rules), conditional UPDATE, event.
   * Every path that changes a payout comes through here.
   */
  async observe(id: string, observation: PayoutObservation, meta: ObserveMeta): Promise<ObserveResult> {
    const result = await this.dataSource.transaction(async (manager) => {
      const row = await manager.getRepository(Withdrawal).createQueryBuilder('w').setLock('pessimistic_write').where('w.id = :id', { id }).getOne();
      if (!row) {
        return { outcome: 'missing' as const };
      }
      const decision = decide({ status: row.status, amountMinor: row.amountMinor, referenceNo: row.referenceNo, netzmeHasIt: row.netzmeHasIt }, observation);
      const set: QueryDeepPartialEntity<Withdrawal> = {};
      const events: Array<Partial<WithdrawalEvent>> = [];
      const base = { withdrawalId: id, source: meta.source, actor: meta.actor ?? null };
      const details = { ...this.observationDetails(observation), ...meta.details };
      const { patch } = decision;

      if (patch.referenceNo) set.referenceNo = patch.referenceNo;
      if (patch.netzmeHasIt && !row.netzmeHasIt) set.netzmeHasIt = true;
      if (patch.netzmeStatus && patch.netzmeStatus !== row.netzmeStatus) set.netzmeStatus = patch.netzmeStatus;
      if (decision.to) {
        set.status = decision.to;
        if (patch.failureReason) set.failureReason = patch.failureReason;
        if (isTerminal(decision.to)) set.resolvedAt = () => 'now()';
        if (observation.type === 'manual') {
          set.anomaly = null;
          set.anomalyAt = null;
        }
        events.push({ ...base, type: meta.eventType ?? 'STATUS_CHANGED', fromStatus: row.status, toStatus: decision.to, reason: decision.reason ?? null, details });
      } else if (patch.referenceNo) {
        events.push({ ...base, type: 'REFERENCE_RECORDED', fromStatus: row.status, toStatus: row.status, reason: null, details });
      }
      if (decision.outcome === 'anomaly' && decision.reason !== row.anomaly) {
        set.anomaly = decision.reason ?? 'anomaly';
        set.anomalyAt = () => 'now()';
        events.push({ ...base, type: 'ANOMALY', fromStatus: row.status, toStatus: row.status, reason: decision.reason ?? null, details });
      }
      if (Object.keys(set).length > 0) {
        const update = await manager
          .createQueryBuilder()
          .update(Withdrawal)
          .set({ ...set, updatedAt: () => 'now()' })
          .where('id = :id AND status = :status', { id, status: row.status })
          .execute();
        if (update.affected !== 1) {
          // Cannot happen under the row lock; refuse loudly rather than record a change that did not happen.
          throw new Error(`withdrawal ${id} changed under its row lock`);
        }
      }
      if (events.length > 0) {
        await manager.getRepository(WithdrawalEvent).insert(events as QueryDeepPartialEntity<WithdrawalEvent>[]);
      }
      return { outcome: decision.outcome, reason: decision.reason, from: row.status, to: decision.to ?? row.status, netzmeHasIt: row.netzmeHasIt || !!patch.netzmeHasIt, kind: row.kind };
    });
    if (result.outcome !== 'missing' && result.from !== result.to) {
      this.transitions?.inc({ kind: result.kind!.toLowerCase(), from: result.from!, to: result.to! });
    }

    if (result.outcome !== 'missing' && (isTerminal(result.to!) || result.netzmeHasIt)) {
      this.pins.forget(id); // Netzme has it (or it is over): never resubmitted again
    }
    if (result.outcome === 'anomaly') {
      this.logger.warn(`withdrawal ${id}: anomaly from ${meta.source}: ${result.reason}`);
    } else if (result.outcome === 'applied' && result.from !== result.to) {
      this.logger.log(`withdrawal ${id}: ${result.from} -> ${result.to} (${meta.source})`);
    }
    const { outcome, reason, from, to } = result as ObserveResult;
    return { outcome, reason, from, to };
  }

  // ---- internals ---------------------------------------------------------------------------------

  private railFor(kind: WithdrawalKind): PayoutRail {
    const rail = this.rails.get(kind);
    if (!rail) {
      throw new Error(`no payout rail registered for ${kind}`);
    }
    return rail;
  }

  private parseAmount(amount: string): bigint {
    let minor: bigint;
    try {
      minor = toMinor(amount);
    } catch {
      throw new BadRequestError('INVALID_AMOUNT', `amount must be a positive decimal string with at most two decimals, such as "50000.00" (got ${JSON.stringify(amount)})`);
    }
    if (minor <= 0n) {
      throw new BadRequestError('INVALID_AMOUNT', 'amount must be greater than 0');
    }
    return minor;
  }

  private assertWithinInquiry(amountMinor: bigint, inquiry: PayoutInquiry): void {
    const fmt = (minor: bigint) => `${fromMinor(minor)} ${inquiry.currency}`;
    const details = { amount: fromMinor(amountMinor), withdrawable: fromMinor(inquiry.withdrawableMinor), minimum: fromMinor(inquiry.minimumMinor) };
    if (!inquiry.allowed) {
      throw new AppError(HttpStatus.UNPROCESSABLE_ENTITY, 'WITHDRAWAL_NOT_ALLOWED', `Netzme does not allow a withdrawal right now (withdrawable ${fmt(inquiry.withdrawableMinor)}, minimum ${fmt(inquiry.minimumMinor)})`, details);
    }
    if (amountMinor < inquiry.minimumMinor) {
      throw new AppError(HttpStatus.UNPROCESSABLE_ENTITY, 'AMOUNT_BELOW_MINIMUM', `amount ${fmt(amountMinor)} is below the minimum withdrawal of ${fmt(inquiry.minimumMinor)}`, details);
    }
    if (amountMinor < this.settings.minAmountMinor) {
      throw new AppError(HttpStatus.UNPROCESSABLE_ENTITY, 'AMOUNT_BELOW_MINIMUM', `amount ${fmt(amountMinor)} is below the gateway's minimum withdrawal of ${fmt(this.settings.minAmountMinor)} (WITHDRAWAL_MIN_AMOUNT)`, {
        ...details,
        gatewayMinimum: fromMinor(this.settings.minAmountMinor),
      });
    }
    if (amountMinor > inquiry.withdrawableMinor) {
      throw new AppError(HttpStatus.UNPROCESSABLE_ENTITY, 'AMOUNT_ABOVE_WITHDRAWABLE', `amount ${fmt(amountMinor)} is above the withdrawable amount of ${fmt(inquiry.withdrawableMinor)}`, details);
    }
  }

  private async findByKey(kind: WithdrawalKind, idempotencyKey: string): Promise<Withdrawal | null> {
    return this.dataSource.getRepository(Withdrawal).findOneBy({ kind, idempotencyKey });
  }

  /**
   * 409 when another withdrawal of this merchant is in flight. Returns the in-flight row instead
   * when it carries the same idempotency key (a concurrent twin committed after our key lookup).
   */
  private async assertNoneInFlight(kind: WithdrawalKind, merchantId: string, idempotencyKey?: string): Promise<Withdrawal | null> {
    const inFlight = await this.dataSource
      .getRepository(Withdrawal)
      .createQueryBuilder('w')
      .where('w.kind = :kind AND w.merchantId = :merchantId AND w.status IN (:...statuses)', { kind, merchantId, statuses: IN_FLIGHT_STATUSES })
      .getOne();
    if (inFlight && inFlight.idempotencyKey === idempotencyKey) {
      return inFlight;
    }
    if (inFlight) {
      throw new ConflictError(
        'WITHDRAWAL_IN_FLIGHT',
        `Withdrawal ${inFlight.id} is still ${inFlight.status}; only one withdrawal may be in flight at a time. Wait until it is SUCCEEDED or FAILED.`,
        { withdrawalId: inFlight.id, status: inFlight.status },
      );
    }
    return null;
  }

  /** Same key: same body -> the same withdrawal (after its Netzme answer, if it comes soon); else 409. */
  private async replay(row: Withdrawal, fingerprint: string): Promise<Withdrawal> {
    if (row.requestFingerprint !== fingerprint) {
      throw new ConflictError('IDEMPOTENCY_KEY_REUSED', `This Idempotency-Key was already used for a different withdrawal request (withdrawal ${row.id}); use a new key for a new withdrawal`, {
        withdrawalId: row.id,
      });
    }
    const deadline = Date.now() + this.settings.replayWaitMs;
    let current = await this.load(row.kind, row.id);
    while (current.status === 'PENDING_SUBMIT' && Date.now() < deadline) {
      await sleep(100);
      current = await this.load(row.kind, row.id);
    }
    return current;
  }

  private async insertPending(
    kind: WithdrawalKind,
    merchantId: string,
    amountMinor: bigint,
    inquiry: PayoutInquiry,
    rail: PayoutRail,
    input: CreatePayoutInput,
    fingerprint: string,
  ): Promise<string | null> {
    return this.dataSource.transaction(async (manager: EntityManager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(Withdrawal)
        .values({
          kind,
          merchantId,
          status: 'PENDING_SUBMIT',
          amountMinor,
          currency: inquiry.currency,
          partnerReferenceNo: timestampedReference(rail.referencePrefix),
          referenceNo: rail.newReferenceNo(),
          netzmeHasIt: false,
          idempotencyKey: input.idempotencyKey,
          requestFingerprint: fingerprint,
          beneficiaryAccountName: inquiry.beneficiary.accountName,
          beneficiaryAccountNumber: inquiry.beneficiary.accountNumber,
          beneficiaryBankName: inquiry.beneficiary.bankName,
          beneficiaryBankCode: inquiry.beneficiary.bankCode,
          withdrawableMinor: inquiry.withdrawableMinor,
          minimumMinor: inquiry.minimumMinor,
          submitAttempts: 0,
          checkAttempts: 0,
          // The poller leaves the row to its request until the grace has passed.
          nextCheckAt: () => `now() + make_interval(secs => ${this.settings.submitGraceMs / 1000})`,
          requestedBy: input.requestedBy ?? null,
        })
        .orIgnore()
        .returning(['id'])
        .execute();
      const id = (inserted.raw as Array<{ id?: string }>)[0]?.id;
      if (!id) {
        return null;
      }
      await manager.getRepository(WithdrawalEvent).insert({
        withdrawalId: id,
        type: 'CREATED',
        fromStatus: null,
        toStatus: 'PENDING_SUBMIT',
        source: 'api',
        actor: input.requestedBy ?? null,
        reason: null,
        details: {
          amount: fromMinor(amountMinor),
          withdrawable: fromMinor(inquiry.withdrawableMinor),
          minimum: fromMinor(inquiry.minimumMinor),
          inquiryReferenceNo: inquiry.referenceNo ?? null,
        },
      });
      return id;
    });
  }

  /**
   * Call Withdraw Process (or Withdraw Deposit) for a committed row, always with its own
   * partnerReferenceNo, and record what came back. A definite refusal fails the payout only on the
   * first send: a resubmission's refusal cannot prove the first one did not go through.
   */
  private async send(id: string, pin: string, opts: { source: WithdrawalEventSource; first: boolean; actor?: string; limit?: CallLimiter }): Promise<void> {
    const row = await this.markSent(id, opts);
    const rail = this.railFor(row.kind);
    const limit = opts.limit ?? direct;
    try {
      const answer = await limit(() =>
        rail.submit({
          partnerReferenceNo: row.partnerReferenceNo,
          referenceNo: row.referenceNo,
          merchantId: row.merchantId,
          amountMinor: row.amountMinor,
          currency: row.currency,
          beneficiary: {
            accountName: row.beneficiaryAccountName,
            accountNumber: row.beneficiaryAccountNumber,
            bankName: row.beneficiaryBankName,
            bankCode: row.beneficiaryBankCode,
          },
          pin,
        }),
      );
      await this.observe(id, { type: 'accepted', referenceNo: answer.referenceNo }, { source: opts.source, actor: opts.actor });
      await this.setLastError(id, null);
    } catch (err) {
      const failure = describeFailure(err);
      const details = { category: failure.category, responseCode: failure.responseCode ?? null };
      if (failure.category === 'DUPLICATE_REFERENCE') {
        await this.observe(id, { type: 'exists', referenceNo: failure.referenceNo }, { source: opts.source, actor: opts.actor, details });
      } else if (failure.outcome === 'definite' && opts.first) {
        await this.observe(id, { type: 'refused', reason: `Netzme refused the transfer: ${failure.message}`, code: failure.responseCode }, { source: opts.source, actor: opts.actor, details });
      } else if (failure.outcome === 'definite') {
        await this.appendEvent(id, { type: 'RESUBMISSION_REFUSED', source: opts.source, actor: opts.actor, reason: failure.message, details });
        await this.setLastError(id, `resubmission refused: ${failure.message}`);
      } else {
        await this.observe(id, { type: 'lost', reason: `no answer to the transfer call: ${failure.message}`, code: failure.responseCode }, { source: opts.source, actor: opts.actor, details });
        await this.setLastError(id, `transfer outcome unknown: ${failure.message}`);
      }
    } finally {
      if (opts.first) {
        await this.scheduleNextCheck(id);
      }
    }
  }

  /** Count the attempt and record it before the call: a crash mid-call still shows it was (maybe) sent. */
  private async markSent(id: string, opts: { source: WithdrawalEventSource; first: boolean; actor?: string }): Promise<Withdrawal> {
    return this.dataSource.transaction(async (manager) => {
      await manager
        .createQueryBuilder()
        .update(Withdrawal)
        .set({ submitAttempts: () => 'submit_attempts + 1', submittedAt: () => 'COALESCE(submitted_at, now())', updatedAt: () => 'now()' })
        .where('id = :id', { id })
        .execute();
      const row = await manager.getRepository(Withdrawal).findOneByOrFail({ id });
      await manager.getRepository(WithdrawalEvent).insert({
        withdrawalId: id,
        type: opts.first ? 'SUBMITTED' : 'RESUBMITTED',
        fromStatus: row.status,
        toStatus: row.status,
        source: opts.source,
        actor: opts.actor ?? null,
        reason: opts.first ? null : 'Netzme has no record of this transfer: sending the same partnerReferenceNo again',
        details: { attempt: row.submitAttempts, partnerReferenceNo: row.partnerReferenceNo },
      });
      return row;
    });
  }

  private async claimDue(kind: WithdrawalKind, batchSize: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `UPDATE withdrawals w
          SET next_check_at = now() + make_interval(secs => $3::double precision / 1000),
              check_attempts = w.check_attempts + 1
         FROM (SELECT id FROM withdrawals
                WHERE kind = $1 AND status = ANY($4::text[]) AND next_check_at <= now()
                ORDER BY next_check_at
                LIMIT $2
                FOR UPDATE SKIP LOCKED) due
        WHERE w.id = due.id
        RETURNING w.id`,
      [kind, Math.max(1, Math.floor(batchSize)), this.settings.pollLeaseMs, IN_FLIGHT_STATUSES],
    );
    // pg returns [rows, count] for UPDATE ... RETURNING through TypeORM's query().
    const list = Array.isArray(rows[0]) ? (rows[0] as Array<{ id: string }>) : rows;
    return list.map((r) => r.id);
  }

  /** Next look at an unresolved row: base delay doubling per check, capped. */
  private async scheduleNextCheck(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE withdrawals
          SET next_check_at = now() + make_interval(secs => LEAST($2::double precision, $3::double precision * power(2, LEAST(GREATEST(check_attempts - 1, 0), 20))) / 1000)
        WHERE id = $1 AND status = ANY($4::text[])`,
      [id, this.settings.pollMaxDelayMs, this.settings.pollDelayMs, IN_FLIGHT_STATUSES],
    );
  }

  private async setLastError(id: string, message: string | null): Promise<void> {
    await this.dataSource.getRepository(Withdrawal).update({ id }, { lastError: message });
  }

  private async noteAnomaly(id: string, reason: string, source: WithdrawalEventSource): Promise<void> {
    const row = await this.dataSource.getRepository(Withdrawal).findOneBy({ id });
    if (!row || row.anomaly === reason) {
      return;
    }
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(Withdrawal).update({ id }, { anomaly: reason, anomalyAt: new Date() });
      await manager.getRepository(WithdrawalEvent).insert({ withdrawalId: id, type: 'ANOMALY', fromStatus: row.status, toStatus: row.status, source, actor: null, reason, details: null });
    });
    this.logger.warn(`withdrawal ${id}: anomaly from ${source}: ${reason}`);
  }

  private async acknowledgeAnomaly(row: Withdrawal, input: { reason: string; actor: string }): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(Withdrawal).update({ id: row.id }, { anomaly: null, anomalyAt: null });
      await manager.getRepository(WithdrawalEvent).insert({
        withdrawalId: row.id,
        type: 'ANOMALY_ACKNOWLEDGED',
        fromStatus: row.status,
        toStatus: row.status,
        source: 'admin',
        actor: input.actor,
        reason: input.reason,
        details: { anomaly: row.anomaly },
      });
    });
  }

  private async appendEvent(id: string, event: { type: string; source: WithdrawalEventSource; actor?: string; reason?: string; details?: EventDetails }): Promise<void> {
    const row = await this.dataSource.getRepository(Withdrawal).findOneByOrFail({ id });
    await this.dataSource.getRepository(WithdrawalEvent).insert({
      withdrawalId: id,
      type: event.type,
      fromStatus: row.status,
      toStatus: row.status,
      source: event.source,
      actor: event.actor ?? null,
      reason: event.reason ?? null,
      details: event.details ?? null,
    });
  }

  private async load(kind: WithdrawalKind, id: string): Promise<Withdrawal> {
    const row = await this.dataSource.getRepository(Withdrawal).findOne({ where: { id, kind }, relations: { events: true }, order: { events: { id: 'ASC' } } });
    if (!row) {
      throw new NotFoundError('WITHDRAWAL_NOT_FOUND', `No ${kind === 'DEPOSIT' ? 'deposit ' : ''}withdrawal with id ${id}`);
    }
    return row;
  }

  private observationDetails(observation: PayoutObservation): EventDetails {
    switch (observation.type) {
      case 'accepted':
      case 'exists':
        return observation.referenceNo ? { referenceNo: observation.referenceNo } : {};
      case 'refused':
      case 'lost':
        return observation.code ? { responseCode: observation.code } : {};
      case 'status':
        return {
          state: observation.state,
          ...(observation.referenceNo ? { referenceNo: observation.referenceNo } : {}),
          ...(observation.amountMinor !== undefined && observation.amountMinor !== null ? { amount: fromMinor(observation.amountMinor) } : {}),
        };
      case 'manual':
        return {};
    }
  }
}
