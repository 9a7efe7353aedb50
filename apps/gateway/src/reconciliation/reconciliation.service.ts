import { fromMinor } from '@app/snap';
import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import { BadRequestError, ConflictError, NotFoundError } from '../http/app-error';
import type { JobContext, JobRunResult } from '../jobs/job-registry';
import { JobsRunner } from '../jobs/jobs-runner';
import { MetricsService } from '../observability/metrics.service';
import { RateLimiter } from '../jobs/rate-limiter';
import { csvLine } from './csv';
import { jakartaDate, jakartaDay, jakartaYesterday } from './jakarta-day';
import { depositEntries, orderEntry, paymentEntries, payoutEntry, withdrawStatusEntry } from './ledger-entries';
import { Limit, NetzmeBooksService } from './netzme-books.service';
import { OurBooksService } from './our-books.service';
import { LedgerEntry, reconcile, summarize } from './reconcile';
import type { ReconciliationItem } from './reconciliation-item.entity';
import type { ReconciliationRun, RunStatus } from './reconciliation-run.entity';
import { ReconciliationRepository, type ItemFilter, type RunFilter, type RunStart } from './reconciliation.repository';
import { RECONCILIATION_SETTINGS, ReconciliationSettings } from './reconciliation.settings';
import { ReconciliationErrorCode } from './reconciliation-errors';
import type { Page } from '../http/pagination';

export const DAILY_RECONCILIATION_JOB = 'daily-reconciliation';

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
    private readonly repository: ReconciliationRepository,
    private readonly ours: OurBooksService,
    private readonly netzme: NetzmeBooksService,
    private readonly limiter: RateLimiter,
    private readonly jobs: JobsRunner,
    metrics: MetricsService,
    @Inject(RECONCILIATION_SETTINGS) private readonly settings: ReconciliationSettings,
  ) {
    this.runsCounter = metrics.counter('gateway_reconciliation_runs_total', 'Reconciliation reports finished on this replica, by trigger and status', [
      'trigger',
      'status',
    ]);
    this.lastCounts = metrics.gauge(
      'gateway_reconciliation_last_items',
      'Items of the last report finished on this replica, by class (matched, in_flight, mismatch)',
      ['class'],
    );
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
    const running = await this.repository.findRunning(date);
    if (running) {
      throw new ConflictError(ReconciliationErrorCode.RUNNING, `A report for ${date} is being made right now (${running.id}); wait for it or read it`, {
        reportId: running.id,
      });
    }
    const run = await this.repository.insertManualRun(day, this.runStart());
    this.track(this.execute(run, (fn) => this.limiter.run(fn)));
    return run;
  }

  /**
   * One tick of the `daily-reconciliation` job: once today is RECONCILIATION_RUN_AFTER_MINUTES old,
   * claim yesterday's report (only one replica can) and make it. A failed run is retried later; a
   * run abandoned by a crash (its lease ran out) is taken over.
   */
  async dailyTick(ctx: Pick<JobContext, 'limit'>): Promise<JobRunResult> {
    const abandoned = await this.repository.failAbandonedManualRuns();
    const now = new Date();
    const day = jakartaYesterday(now);
    const dueAt = day.end.getTime() + this.settings.runAfterMs;
    if (now.getTime() < dueAt) {
      return { processed: 0, details: { date: day.date, waitingUntil: new Date(dueAt).toISOString(), abandoned } };
    }
    const run = await this.repository.claimScheduled(day, {
      ...this.runStart(),
      maxAttempts: this.settings.maxAttempts,
      retryAfterMs: this.settings.retryAfterMs,
    });
    if (!run) {
      return { processed: 0, details: { date: day.date, claimed: false, abandoned } };
    }
    const outcome = await this.execute(run, ctx.limit);
    return {
      processed: outcome.items,
      errors: outcome.status === 'FAILED' ? 1 : 0,
      details: { date: day.date, reportId: run.id, status: outcome.status, attempt: run.attempts, abandoned },
    };
  }

  private runStart(): RunStart {
    return { replicaId: this.jobs.replicaId, marginMs: this.settings.marginMs, leaseMs: this.settings.leaseMs };
  }

  /**
   * Read both sides, compare, and store the report. Only the holder of the current attempt may
   * finish the run (a replica that lost its lease to another cannot overwrite the new attempt).
   */
  private async execute(run: ReconciliationRun, limit: Limit): Promise<{ status: RunStatus; items: number }> {
    const renewEvery = Math.max(1000, Math.floor(this.settings.leaseMs / 3));
    const renew = setInterval(() => {
      void this.repository
        .renewLease(run, this.settings.leaseMs)
        .catch((error: unknown) => this.logger.warn(`report ${run.id}: could not renew its lease: ${errorText(error)}`));
    }, renewEvery);
    renew.unref();
    const started = Date.now();
    try {
      const { items, summary } = await this.compare(run, limit);
      const stored = await this.repository.complete(run, items, summary);
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
      await this.repository
        .fail(run, errorText(error))
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
      const entry = withdrawStatusEntry(res, {
        referenceNo: withdrawal.referenceNo,
        partnerReferenceNo: withdrawal.partnerReferenceNo,
        createdAt: withdrawal.createdAt,
      });
      if (entry) statuses.push(entry);
      else unreadable.push(`Get Information Withdraw for ${withdrawal.referenceNo}: no status or amount in the answer`);
    }

    const ourEntries = [
      ...orders.map(orderEntry),
      ...withdrawals.map((w) => payoutEntry(w, 'WITHDRAWAL')),
      ...depositWithdrawals.map((w) => payoutEntry(w, 'DEPOSIT_WITHDRAWAL')),
    ];
    const items = reconcile(ourEntries, [...payments.entries, ...deposit.entries, ...statuses], {
      dayStart: run.windowStart,
      dayEnd: run.windowEnd,
      marginMs: run.marginMs,
      now: new Date(),
    });
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
    const tracked = work
      .catch((error: unknown) => this.logger.error(`background report failed: ${errorText(error)}`))
      .finally(() => this.background.delete(tracked));
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

  listRuns(filter: RunFilter): Promise<Page<ReconciliationRun>> {
    return this.repository.listRuns(filter);
  }

  async getRun(id: string): Promise<ReconciliationRun> {
    const run = await this.repository.findRun(id);
    if (!run) {
      throw new NotFoundError(ReconciliationErrorCode.REPORT_NOT_FOUND, `No reconciliation report ${id}`);
    }
    return run;
  }

  listItems(runId: string, filter: ItemFilter): Promise<Page<ReconciliationItem>> {
    return this.repository.listItems(runId, filter);
  }

  /** The report's items as CSV, read in pages so a day of any size streams in bounded memory. */
  csv(run: ReconciliationRun): Readable {
    const listItems = (cursor?: string) => this.listItems(run.id, { limit: 1000, cursor });
    async function* lines(): AsyncGenerator<string> {
      yield csvLine([
        'report_id',
        'date',
        'source',
        'kind',
        'in_flight',
        'reference',
        'our_id',
        'our_status',
        'our_amount',
        'our_at',
        'netzme_id',
        'netzme_status',
        'netzme_amount',
        'netzme_at',
        'note',
      ]);
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
