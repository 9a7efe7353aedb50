import { fromMinor } from '@app/snap';
import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { DataSource, Repository } from 'typeorm';
import { BadRequestError, ConflictError, NotFoundError } from '../common/app-error';
import type { JobContext, JobRunResult } from '../jobs/job-registry';
import { JobsRunner } from '../jobs/jobs-runner';
import { MetricsService } from '../jobs/metrics.service';
import { RateLimiter } from '../jobs/rate-limiter';
import { csvLine } from './csv';
import { jakartaDate, jakartaDay, JakartaDay, jakartaYesterday } from './jakarta-day';
import { depositEntries, orderEntry, paymentEntries, payoutEntry, withdrawStatusEntry } from './ledger-entries';
import { Limit, NetzmeBooksService } from './netzme-books.service';
import { OurBooksService } from './our-books.service';
import { ItemKind, LedgerEntry, ReconItem, reconcile, ReconSource, summarize } from './reconcile';
import { ReconciliationItem } from './reconciliation-item.entity';
import { ReconciliationRun, RunStatus } from './reconciliation-run.entity';
import { RECONCILIATION_SETTINGS, ReconciliationSettings } from './reconciliation.settings';
import { rowsOf } from '../database/prepared-query';
import { ReconciliationErrorCode } from './reconciliation-errors';
import { pageOf, type Page } from '../common/pagination';

export const DAILY_RECONCILIATION_JOB = 'daily-reconciliation';

export interface ItemFilter {
  kind?: ItemKind;
  source?: ReconSource;
  inFlight?: boolean;
  limit: number;
  /** Items after this id (the previous page's nextCursor). */
  cursor?: string;
}

export interface RunFilter {
  date?: string;
  status?: RunStatus;
  limit: number;
  cursor?: string;
}

const INSERT_BATCH = 500;
const MAX_UNREADABLE_KEPT = 100;

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 1000 ? `${text.slice(0, 1000)}...` : text;
}

/**
 * Daily reconciliation: our paid orders, withdrawals and deposit withdrawals for a Jakarta day
 * against Netzme's transaction list, deposit history and payout statuses, stored as a report
 * (reconciliation_runs + reconciliation_items). The daily job claims each day once across replicas
 * through the unique scheduled_date; admins may run any past day again at will.
 */
@Injectable()
export class ReconciliationService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Reconciliation');
  private readonly background = new Set<Promise<unknown>>();
  private readonly runsCounter;
  private readonly lastCounts;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(ReconciliationRun) private readonly runs: Repository<ReconciliationRun>,
    @InjectRepository(ReconciliationItem) private readonly items: Repository<ReconciliationItem>,
    private readonly ours: OurBooksService,
    private readonly netzme: NetzmeBooksService,
    private readonly limiter: RateLimiter,
    private readonly jobs: JobsRunner,
    metrics: MetricsService,
    @Inject(RECONCILIATION_SETTINGS) private readonly settings: ReconciliationSettings,
  ) {
    this.runsCounter = metrics.counter('gateway_reconciliation_runs_total', 'Reconciliation reports finished on this replica, by trigger and status', ['trigger', 'status']);
    this.lastCounts = metrics.gauge('gateway_reconciliation_last_items', 'Items of the last report finished on this replica, by class (matched, in_flight, mismatch)', ['class']);
  }

  // ---- runs ------------------------------------------------------------------------------------

  /** POST /reconciliation/reports: start a report for a past or current Jakarta day; it runs in the background. */
  async requestRun(date: string): Promise<ReconciliationRun> {
    const day = jakartaDay(date);
    if (!day) {
      throw new BadRequestError(ReconciliationErrorCode.DATE_INVALID, `date must be a calendar date written YYYY-MM-DD (got "${date}")`);
    }
    if (day.start.getTime() > Date.now()) {
      throw new BadRequestError(ReconciliationErrorCode.DATE_IN_FUTURE, `${date} has not started yet in Jakarta (today is ${jakartaDate(new Date())})`);
    }
    const running = await this.runs
      .createQueryBuilder('r')
      .where('r.businessDate = :date AND r.status = :status AND r.leaseUntil > now()', { date, status: 'RUNNING' })
      .getOne();
    if (running) {
      throw new ConflictError(ReconciliationErrorCode.RUNNING, `A report for ${date} is being made right now (${running.id}); wait for it or read it`, { reportId: running.id });
    }
    const run = await this.insertRun(day, 'manual');
    this.track(this.execute(run, (fn) => this.limiter.run(fn)));
    return run;
  }

  /**
   * One tick of the `daily-reconciliation` job: once today is RECONCILIATION_RUN_AFTER_MINUTES old,
   * claim yesterday's report (only one replica can) and make it. A failed run is retried later; a
   * run abandoned by a crash (its lease ran out) is taken over.
   */
  async dailyTick(ctx: Pick<JobContext, 'limit'>): Promise<JobRunResult> {
    const abandoned = await this.failAbandonedManualRuns();
    const now = new Date();
    const day = jakartaYesterday(now);
    const dueAt = day.end.getTime() + this.settings.runAfterMs;
    if (now.getTime() < dueAt) {
      return { processed: 0, details: { date: day.date, waitingUntil: new Date(dueAt).toISOString(), abandoned } };
    }
    const run = await this.claimScheduled(day);
    if (!run) {
      return { processed: 0, details: { date: day.date, claimed: false, abandoned } };
    }
    const outcome = await this.execute(run, ctx.limit);
    return { processed: outcome.items, errors: outcome.status === 'FAILED' ? 1 : 0, details: { date: day.date, reportId: run.id, status: outcome.status, attempt: run.attempts, abandoned } };
  }

  private async insertRun(day: JakartaDay, trigger: 'scheduled' | 'manual'): Promise<ReconciliationRun> {
    const id = randomUUID();
    await this.db.query(
      `INSERT INTO reconciliation_runs (id, business_date, trigger, scheduled_date, status, attempts, replica_id, window_start, window_end, margin_ms, lease_until)
       VALUES ($1, $2, $3, $4, 'RUNNING', 1, $5, $6, $7, $8, now() + $9 * interval '1 millisecond')`,
      [id, day.date, trigger, null, this.jobs.replicaId, day.start, day.end, this.settings.marginMs, this.settings.leaseMs],
    );
    return this.runs.findOneByOrFail({ id });
  }

  /** The unique scheduled_date makes this a claim: of all replicas ticking now, one inserts the row. */
  private async claimScheduled(day: JakartaDay): Promise<ReconciliationRun | null> {
    const inserted = rowsOf(
      await this.db.query(
        `INSERT INTO reconciliation_runs (id, business_date, trigger, scheduled_date, status, attempts, replica_id, window_start, window_end, margin_ms, lease_until)
         VALUES ($1, $2, 'scheduled', $2, 'RUNNING', 1, $3, $4, $5, $6, now() + $7 * interval '1 millisecond')
         ON CONFLICT (scheduled_date) DO NOTHING
         RETURNING id`,
        [randomUUID(), day.date, this.jobs.replicaId, day.start, day.end, this.settings.marginMs, this.settings.leaseMs],
      ),
    );
    if (inserted.length === 0) {
      const retaken = rowsOf(
        await this.db.query(
          `UPDATE reconciliation_runs
              SET status = 'RUNNING', attempts = attempts + 1, replica_id = $2, started_at = now(), finished_at = NULL, error = NULL,
                  lease_until = now() + $3 * interval '1 millisecond', margin_ms = $6
            WHERE scheduled_date = $1
              AND ((status = 'RUNNING' AND lease_until < now())
                OR (status = 'FAILED' AND attempts < $4 AND finished_at < now() - $5 * interval '1 millisecond'))
            RETURNING id`,
          [day.date, this.jobs.replicaId, this.settings.leaseMs, this.settings.maxAttempts, this.settings.retryAfterMs, this.settings.marginMs],
        ),
      );
      if (retaken.length === 0) {
        return null;
      }
      inserted.push(...retaken);
    }
    return this.runs.findOneByOrFail({ id: inserted[0].id as string });
  }

  /** Manual runs are not retried: one whose lease ran out (its replica died) is marked FAILED. */
  private async failAbandonedManualRuns(): Promise<number> {
    const rows = rowsOf(
      await this.db.query(
        `UPDATE reconciliation_runs SET status = 'FAILED', finished_at = now(), lease_until = NULL,
                error = 'abandoned: the replica making it stopped before finishing; run it again'
          WHERE trigger = 'manual' AND status = 'RUNNING' AND lease_until < now()
          RETURNING id`,
      ),
    );
    return rows.length;
  }

  /**
   * Read both sides, compare, and store the report. Only the holder of the current attempt may
   * finish the run (a replica that lost its lease to another cannot overwrite the new attempt).
   */
  private async execute(run: ReconciliationRun, limit: Limit): Promise<{ status: RunStatus; items: number }> {
    const renewEvery = Math.max(1000, Math.floor(this.settings.leaseMs / 3));
    const renew = setInterval(() => {
      void this.db
        .query(`UPDATE reconciliation_runs SET lease_until = now() + $3 * interval '1 millisecond' WHERE id = $1 AND attempts = $2 AND status = 'RUNNING'`, [run.id, run.attempts, this.settings.leaseMs])
        .catch((error: unknown) => this.logger.warn(`report ${run.id}: could not renew its lease: ${errorText(error)}`));
    }, renewEvery);
    renew.unref();
    const started = Date.now();
    try {
      const { items, summary } = await this.compare(run, limit);
      const stored = await this.db.transaction(async (manager) => {
        const owned = rowsOf(await manager.query(`SELECT id FROM reconciliation_runs WHERE id = $1 AND attempts = $2 AND status = 'RUNNING' FOR UPDATE`, [run.id, run.attempts]));
        if (owned.length === 0) {
          return false;
        }
        await manager.query('DELETE FROM reconciliation_items WHERE run_id = $1', [run.id]);
        for (let i = 0; i < items.length; i += INSERT_BATCH) {
          await insertItems(manager.query.bind(manager), run.id, items.slice(i, i + INSERT_BATCH));
        }
        await manager.query(
          `UPDATE reconciliation_runs SET status = 'COMPLETED', finished_at = now(), lease_until = NULL,
                  matched_count = $2, in_flight_count = $3, mismatch_count = $4, summary = $5, error = NULL
            WHERE id = $1`,
          [run.id, summary.matched, summary.inFlight, summary.mismatches, JSON.stringify(summary)],
        );
        return true;
      });
      if (!stored) {
        this.logger.warn(`report ${run.id} (${run.businessDate}) was taken over by another replica; dropping this attempt's result`);
        return { status: 'FAILED', items: 0 };
      }
      this.runsCounter.inc({ trigger: run.trigger, status: 'COMPLETED' });
      this.lastCounts.set({ class: 'matched' }, summary.matched);
      this.lastCounts.set({ class: 'in_flight' }, summary.inFlight);
      this.lastCounts.set({ class: 'mismatch' }, summary.mismatches);
      const line = `report ${run.id} for ${run.businessDate}: ${summary.matched} matched, ${summary.inFlight} in flight, ${summary.mismatches} mismatches (${Date.now() - started} ms)`;
      if (summary.mismatches > 0) this.logger.warn(line);
      else this.logger.log(line);
      return { status: 'COMPLETED', items: items.length };
    } catch (error) {
      this.runsCounter.inc({ trigger: run.trigger, status: 'FAILED' });
      this.logger.error(`report ${run.id} for ${run.businessDate} failed: ${errorText(error)}`);
      await this.db
        .query(`UPDATE reconciliation_runs SET status = 'FAILED', finished_at = now(), lease_until = NULL, error = $3 WHERE id = $1 AND attempts = $2 AND status = 'RUNNING'`, [run.id, run.attempts, errorText(error)])
        .catch((e: unknown) => this.logger.error(`report ${run.id}: could not record the failure: ${errorText(e)}`));
      return { status: 'FAILED', items: 0 };
    } finally {
      clearInterval(renew);
    }
  }

  /** Both sides for [day - margin, day + margin], and the comparison. */
  private async compare(run: ReconciliationRun, limit: Limit) {
    const from = new Date(run.windowStart.getTime() - run.marginMs);
    const to = new Date(run.windowEnd.getTime() + run.marginMs);

    const orders = await this.ours.ordersBetween(from, to);
    const withdrawals = await this.ours.merchantWithdrawalsBetween(from, to);
    const depositWithdrawals = await this.ours.depositWithdrawalsBetween(from, to);

    const payments = paymentEntries(await this.netzme.payments(from, to, limit));
    const deposit = depositEntries(await this.netzme.depositMovements(from, to, limit));
    // Netzme lists no merchant withdrawals: ask for each one it acknowledged (a referenceNo).
    const statuses: LedgerEntry[] = [];
    const unreadable = [...payments.unreadable, ...deposit.unreadable];
    for (const withdrawal of withdrawals) {
      if (!withdrawal.referenceNo) continue;
      const res = await this.netzme.withdrawalStatus(withdrawal.referenceNo, limit);
      if (!res) continue;
      const entry = withdrawStatusEntry(res, { referenceNo: withdrawal.referenceNo, partnerReferenceNo: withdrawal.partnerReferenceNo, createdAt: withdrawal.createdAt });
      if (entry) statuses.push(entry);
      else unreadable.push(`Get Information Withdraw for ${withdrawal.referenceNo}: no status or amount in the answer`);
    }

    const ourEntries = [...orders.map(orderEntry), ...withdrawals.map((w) => payoutEntry(w, 'WITHDRAWAL')), ...depositWithdrawals.map((w) => payoutEntry(w, 'DEPOSIT_WITHDRAWAL'))];
    const items = reconcile(ourEntries, [...payments.entries, ...deposit.entries, ...statuses], { dayStart: run.windowStart, dayEnd: run.windowEnd, marginMs: run.marginMs, now: new Date() });
    const skipped: Record<string, number> = {};
    for (const [why, n] of [...Object.entries(payments.skipped), ...Object.entries(deposit.skipped)]) {
      skipped[why] = (skipped[why] ?? 0) + n;
    }
    const notes: string[] = [];
    if (Object.keys(skipped).length > 0) {
      notes.push('Deposit top-ups and split fees are not compared yet: the deposit module offers no list of them (docs/reconciliation.md).');
    }
    if (run.windowEnd.getTime() > Date.now()) {
      notes.push('The day has not ended yet: this report covers it only up to the moment it ran.');
    }
    const summary = { ...summarize(items), skipped, unreadable: unreadable.slice(0, MAX_UNREADABLE_KEPT), notes };
    // An item Netzme sent that we cannot read is a problem to look at, like a mismatch.
    summary.mismatches += unreadable.length;
    return { items, summary };
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.catch((error: unknown) => this.logger.error(`background report failed: ${errorText(error)}`)).finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }

  /** Let reports being made finish (bounded) before the database closes. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.background.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.background]), new Promise((resolve) => (timer = setTimeout(resolve, 10_000)))]);
    clearTimeout(timer);
  }

  // ---- reading reports -------------------------------------------------------------------------

  async listRuns(filter: RunFilter): Promise<Page<ReconciliationRun>> {
    const query = this.runs.createQueryBuilder('r');
    if (filter.date) query.andWhere('r.businessDate = :date', { date: filter.date });
    if (filter.status) query.andWhere('r.status = :status', { status: filter.status });
    if (filter.cursor) {
      const after = await this.runs.findOneBy({ id: filter.cursor });
      if (!after) throw new BadRequestError(ReconciliationErrorCode.CURSOR_INVALID, 'cursor must be the nextCursor of a previous page');
      query.andWhere('(r.startedAt, r.id) < (:startedAt, :id)', { startedAt: after.startedAt, id: after.id });
    }
    const rows = await query.orderBy('r.startedAt', 'DESC').addOrderBy('r.id', 'DESC').take(filter.limit + 1).getMany();
    return pageOf(rows, filter.limit, (last) => last.id);
  }

  async getRun(id: string): Promise<ReconciliationRun> {
    const run = await this.runs.findOneBy({ id });
    if (!run) {
      throw new NotFoundError(ReconciliationErrorCode.REPORT_NOT_FOUND, `No reconciliation report ${id}`);
    }
    return run;
  }

  async listItems(runId: string, filter: ItemFilter): Promise<Page<ReconciliationItem>> {
    const query = this.items.createQueryBuilder('i').where('i.runId = :runId', { runId });
    if (filter.kind) query.andWhere('i.kind = :kind', { kind: filter.kind });
    if (filter.source) query.andWhere('i.source = :source', { source: filter.source });
    if (filter.inFlight !== undefined) query.andWhere('i.inFlight = :inFlight', { inFlight: filter.inFlight });
    if (filter.cursor) query.andWhere('i.id > :cursor', { cursor: filter.cursor });
    const rows = await query.orderBy('i.id', 'ASC').take(filter.limit + 1).getMany();
    return pageOf(rows, filter.limit, (last) => last.id);
  }

  /** The report's items as CSV, read in pages so a day of any size streams in bounded memory. */
  csv(run: ReconciliationRun): Readable {
    const listItems = (cursor?: string) => this.listItems(run.id, { limit: 1000, cursor });
    async function* lines(): AsyncGenerator<string> {
      yield csvLine(['report_id', 'date', 'source', 'kind', 'in_flight', 'reference', 'our_id', 'our_status', 'our_amount', 'our_at', 'netzme_id', 'netzme_status', 'netzme_amount', 'netzme_at', 'note']);
      let cursor: string | undefined;
      do {
        const page = await listItems(cursor);
        for (const item of page.items) {
          yield csvLine([
            run.id,
            run.businessDate,
            item.source,
            item.kind,
            item.inFlight,
            item.reference,
            item.ourId,
            item.ourStatus,
            minorText(item.ourAmountMinor),
            item.ourAt?.toISOString(),
            item.netzmeId,
            item.netzmeStatus,
            minorText(item.netzmeAmountMinor),
            item.netzmeAt?.toISOString(),
            item.note,
          ]);
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
    return Readable.from(lines());
  }
}

/** A CSV cell for an amount: the decimal string, or null when that side has none. */
export function minorText(minor: bigint | null): string | null {
  return minor === null ? null : fromMinor(minor);
}

/** One multi-row INSERT per batch (unnest of column arrays): a big day stores in a few statements. */
async function insertItems(query: (sql: string, params: unknown[]) => Promise<unknown>, runId: string, items: ReconItem[]): Promise<void> {
  const col = <T>(pick: (item: ReconItem) => T) => items.map(pick);
  await query(
    `INSERT INTO reconciliation_items (run_id, source, kind, in_flight, reference, our_id, our_status, our_amount_minor, our_at, netzme_id, netzme_status, netzme_amount_minor, netzme_at, note)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::boolean[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::timestamptz[], $10::text[], $11::text[], $12::bigint[], $13::timestamptz[], $14::text[])`,
    [
      runId,
      col((i) => i.source),
      col((i) => i.kind),
      col((i) => i.inFlight),
      col((i) => i.reference),
      col((i) => i.ours?.id ?? null),
      col((i) => i.ours?.status ?? null),
      col((i) => i.ours?.amountMinor.toString() ?? null),
      col((i) => i.ours?.at ?? null),
      col((i) => i.netzme?.id ?? null),
      col((i) => i.netzme?.status ?? null),
      col((i) => i.netzme?.amountMinor.toString() ?? null),
      col((i) => i.netzme?.at ?? null),
      col((i) => i.note),
    ],
  );
}
