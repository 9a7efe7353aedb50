import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type QueryDeepPartialEntity } from 'typeorm';
import { scheduleWithBackoff } from '../database/backoff';
import { claimDue } from '../database/claim-due';
import { PAYOUT_OPEN_STATUSES, type PayoutStatus } from './payout-state';
import { WithdrawalEvent, type EventDetails, type WithdrawalEventSource } from './withdrawal-event.entity';
import { Withdrawal, type WithdrawalKind } from './withdrawal.entity';

/** One history row to write (the payout id is the repository's to fill in). */
export interface NewPayoutEvent {
  type: string;
  fromStatus: PayoutStatus | null;
  toStatus: PayoutStatus | null;
  source: WithdrawalEventSource;
  actor?: string | null;
  reason?: string | null;
  details?: EventDetails | null;
}

/** Column changes of one conditional UPDATE (TypeORM's partial entity: values or SQL functions). */
export type PayoutChange = QueryDeepPartialEntity<Withdrawal>;

/** The row as written before Withdraw Process is called (PENDING_SUBMIT). */
export type PendingPayout = Pick<
  Withdrawal,
  | 'kind'
  | 'merchantId'
  | 'amountMinor'
  | 'currency'
  | 'partnerReferenceNo'
  | 'referenceNo'
  | 'idempotencyKey'
  | 'requestFingerprint'
  | 'beneficiaryAccountName'
  | 'beneficiaryAccountNumber'
  | 'beneficiaryBankName'
  | 'beneficiaryBankCode'
  | 'withdrawableMinor'
  | 'minimumMinor'
  | 'requestedBy'
>;

export interface PayoutListFilter {
  status?: PayoutStatus;
  from?: Date;
  to?: Date;
  /** Keyset: only rows after this one (newest first). */
  afterId?: string;
  /** Deprecated offset paging: rows to skip. */
  offset?: number;
  limit: number;
  /** Also count all matching rows (the deprecated page/pageSize answer carries `total`). */
  withTotal?: boolean;
}

/** Every SQL statement of the payout module: the services call this, never the DataSource. */
@Injectable()
export class PayoutRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(id: string): Promise<Withdrawal | null> {
    return this.rows().findOneBy({ id });
  }

  /** One payout of a kind with its history, oldest event first. */
  findWithEvents(kind: WithdrawalKind, id: string): Promise<Withdrawal | null> {
    return this.rows().findOne({ where: { id, kind }, relations: { events: true }, order: { events: { id: 'ASC' } } });
  }

  findByKey(kind: WithdrawalKind, idempotencyKey: string): Promise<Withdrawal | null> {
    return this.rows().findOneBy({ kind, idempotencyKey });
  }

  findInFlight(kind: WithdrawalKind, merchantId: string): Promise<Withdrawal | null> {
    return this.rows()
      .createQueryBuilder('w')
      .where('w.kind = :kind AND w.merchantId = :merchantId AND w.status IN (:...statuses)', { kind, merchantId, statuses: PAYOUT_OPEN_STATUSES })
      .getOne();
  }

  /** The payouts of a kind carrying either reference (a notification names one or both). */
  findByReferences(kind: WithdrawalKind, partnerReferenceNo?: string, referenceNo?: string): Promise<Withdrawal[]> {
    return this.rows().find({
      where: [...(partnerReferenceNo ? [{ kind, partnerReferenceNo }] : []), ...(referenceNo ? [{ kind, referenceNo }] : [])],
    });
  }

  /**
   * Insert the PENDING_SUBMIT row and its CREATED event in one transaction. ON CONFLICT DO NOTHING:
   * a concurrent twin (same key) or another payout in flight (the partial unique index) makes it a
   * no-op (null) instead of an error. The poller leaves the row to its request for `graceMs`.
   */
  async insertPending(row: PendingPayout, graceMs: number, details: EventDetails): Promise<string | null> {
    return this.dataSource.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(Withdrawal)
        .values({
          ...row,
          status: 'PENDING_SUBMIT',
          netzmeHasIt: false,
          submitAttempts: 0,
          checkAttempts: 0,
          nextCheckAt: () => `now() + make_interval(secs => ${Number(graceMs) / 1000})`,
        })
        .orIgnore()
        .returning(['id'])
        .execute();
      const id = (inserted.raw as Array<{ id?: string }>)[0]?.id;
      if (!id) {
        return null;
      }
      await manager
        .getRepository(WithdrawalEvent)
        .insert(eventRow(id, { type: 'CREATED', fromStatus: null, toStatus: 'PENDING_SUBMIT', source: 'api', actor: row.requestedBy, details }));
      return id;
    });
  }

  /** Newest first; keyset (`afterId`) or, deprecated, offset paging. */
  async list(kind: WithdrawalKind, filter: PayoutListFilter): Promise<{ items: Withdrawal[]; total?: number }> {
    const query = this.rows().createQueryBuilder('w').where('w.kind = :kind', { kind });
    if (filter.status) query.andWhere('w.status = :status', { status: filter.status });
    if (filter.from) query.andWhere('w.createdAt >= :from', { from: filter.from });
    if (filter.to) query.andWhere('w.createdAt < :to', { to: filter.to });
    if (filter.afterId) {
      // Read from the row itself, so no timestamp precision is lost in the cursor.
      query.andWhere('(w.created_at, w.id) < (SELECT created_at, id FROM withdrawals WHERE id = :afterId)', { afterId: filter.afterId });
    }
    query
      .orderBy('w.createdAt', 'DESC')
      .addOrderBy('w.id', 'DESC')
      .skip(filter.offset ?? 0)
      .take(filter.limit);
    if (filter.withTotal) {
      const [items, total] = await query.getManyAndCount();
      return { items, total };
    }
    return { items: await query.getMany() };
  }

  /** Unresolved longer than `afterMs`, or carrying an anomaly nobody acknowledged. */
  reviewQueue(kind: WithdrawalKind, afterMs: number): Promise<Withdrawal[]> {
    return this.rows()
      .createQueryBuilder('w')
      .where('w.kind = :kind', { kind })
      .andWhere(`((w.status IN (:...open) AND w.createdAt < now() - make_interval(secs => :after)) OR w.anomaly IS NOT NULL)`, {
        open: PAYOUT_OPEN_STATUSES,
        after: afterMs / 1000,
      })
      .orderBy('w.createdAt', 'ASC')
      .limit(500)
      .getMany();
  }

  /**
   * Apply a decision: ONE conditional UPDATE (`WHERE id AND status IN allowedFrom`, and no reference
   * yet when one is learned) and its events, in one transaction. False when the row moved on
   * meanwhile: the caller decides again on the new row.
   */
  async apply(id: string, allowedFrom: readonly PayoutStatus[], set: PayoutChange, events: NewPayoutEvent[], learnsReference: boolean): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const update = manager
        .createQueryBuilder()
        .update(Withdrawal)
        .set({ ...set, updatedAt: () => 'now()' })
        .where('id = :id AND status IN (:...allowedFrom)', { id, allowedFrom });
      if (learnsReference) update.andWhere('reference_no IS NULL');
      const result = await update.execute();
      if (result.affected !== 1) {
        return false;
      }
      if (events.length > 0) {
        await manager.getRepository(WithdrawalEvent).insert(events.map((event) => eventRow(id, event)));
      }
      return true;
    });
  }

  /** Count the attempt and record it before the call: a crash mid-call still shows it was (maybe) sent. */
  async markSent(id: string, event: (row: Withdrawal) => NewPayoutEvent): Promise<Withdrawal> {
    return this.dataSource.transaction(async (manager) => {
      await manager
        .createQueryBuilder()
        .update(Withdrawal)
        .set({ submitAttempts: () => 'submit_attempts + 1', submittedAt: () => 'COALESCE(submitted_at, now())', updatedAt: () => 'now()' })
        .where('id = :id', { id })
        .execute();
      const row = await manager.getRepository(Withdrawal).findOneByOrFail({ id });
      await manager.getRepository(WithdrawalEvent).insert(eventRow(id, event(row)));
      return row;
    });
  }

  /** The poller's claim (claimDue: SKIP LOCKED + lease on next_check_at), counting the check. */
  async claimDue(kind: WithdrawalKind, batch: number, leaseMs: number): Promise<string[]> {
    const rows = await claimDue(this.dataSource, {
      table: 'withdrawals',
      dueColumn: 'next_check_at',
      open: 'kind = $3 AND status = ANY($4::text[])',
      params: [kind, PAYOUT_OPEN_STATUSES],
      batch,
      leaseMs,
      alsoSet: 'check_attempts = t.check_attempts + 1',
    });
    return rows.map((row) => String(row.id));
  }

  /** Next look at an unresolved row: base delay doubling per check, capped. */
  scheduleNextCheck(id: string, delayMs: number, maxDelayMs: number): Promise<void> {
    return scheduleWithBackoff(this.dataSource, {
      table: 'withdrawals',
      id,
      attemptsColumn: 'check_attempts',
      delayMs,
      maxDelayMs,
      openStatuses: PAYOUT_OPEN_STATUSES,
    });
  }

  async setLastError(id: string, message: string | null): Promise<void> {
    await this.rows().update({ id }, { lastError: message });
  }

  /** Record an anomaly (and its event) unless the row already carries this one; true when written. */
  async noteAnomaly(id: string, reason: string, source: WithdrawalEventSource): Promise<boolean> {
    const row = await this.findById(id);
    if (!row || row.anomaly === reason) {
      return false;
    }
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(Withdrawal).update({ id }, { anomaly: reason, anomalyAt: new Date() });
      await manager.getRepository(WithdrawalEvent).insert(eventRow(id, { type: 'ANOMALY', fromStatus: row.status, toStatus: row.status, source, reason }));
    });
    return true;
  }

  async acknowledgeAnomaly(row: Withdrawal, reason: string, actor: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(Withdrawal).update({ id: row.id }, { anomaly: null, anomalyAt: null });
      await manager.getRepository(WithdrawalEvent).insert(
        eventRow(row.id, {
          type: 'ANOMALY_ACKNOWLEDGED',
          fromStatus: row.status,
          toStatus: row.status,
          source: 'admin',
          actor,
          reason,
          details: { anomaly: row.anomaly },
        }),
      );
    });
  }

  /** A fact without a status change (e.g. a refused resubmission), at the row's current status. */
  async appendEvent(id: string, event: Omit<NewPayoutEvent, 'fromStatus' | 'toStatus'>): Promise<void> {
    const row = await this.rows().findOneByOrFail({ id });
    await this.dataSource.getRepository(WithdrawalEvent).insert(eventRow(id, { ...event, fromStatus: row.status, toStatus: row.status }));
  }

  private rows() {
    return this.dataSource.getRepository(Withdrawal);
  }
}

function eventRow(withdrawalId: string, event: NewPayoutEvent): QueryDeepPartialEntity<WithdrawalEvent> {
  return {
    withdrawalId,
    type: event.type,
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    source: event.source,
    actor: event.actor ?? null,
    reason: event.reason ?? null,
    details: event.details ?? null,
  };
}
