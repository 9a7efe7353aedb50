import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, Repository } from 'typeorm';
import { BadRequestError } from '../http/app-error';
import { pageOf, type Page } from '../http/pagination';
import { rowsOf } from '../database/prepared-query';
import type { JakartaDay } from './jakarta-day';
import type { ItemKind, ReconItem, ReconSource } from './reconcile';
import { ReconciliationErrorCode } from './reconciliation-errors';
import { ReconciliationItem } from './reconciliation-item.entity';
import { ReconciliationRun, RunStatus } from './reconciliation-run.entity';

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

/** What a run row is started with: who makes it and how long its lease and margin are. */
export interface RunStart {
  replicaId: string;
  marginMs: number;
  leaseMs: number;
}

/** The retry rules of the scheduled run (RECONCILIATION_* settings). */
export interface RetakeRules extends RunStart {
  maxAttempts: number;
  retryAfterMs: number;
}

const INSERT_BATCH = 500;

/**
 * Every read and write of reconciliation_runs and reconciliation_items (docs/architecture.md, "one
 * way to write to Postgres per module"). A run row is its own lease: `lease_until` is pushed forward
 * while it is made, and only the holder of the current attempt (`attempts`) may finish it.
 */
@Injectable()
export class ReconciliationRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(ReconciliationRun) private readonly runs: Repository<ReconciliationRun>,
    @InjectRepository(ReconciliationItem) private readonly items: Repository<ReconciliationItem>,
  ) {}

  /** The run of this day being made right now (its lease still holds), if any. */
  findRunning(date: string): Promise<ReconciliationRun | null> {
    return this.runs
      .createQueryBuilder('r')
      .where('r.businessDate = :date AND r.status = :status AND r.leaseUntil > now()', { date, status: 'RUNNING' })
      .getOne();
  }

  async insertManualRun(day: JakartaDay, start: RunStart): Promise<ReconciliationRun> {
    const id = randomUUID();
    await this.db.query(
      `INSERT INTO reconciliation_runs (id, business_date, trigger, scheduled_date, status, attempts, replica_id, window_start, window_end, margin_ms, lease_until)
       VALUES ($1, $2, $3, $4, 'RUNNING', 1, $5, $6, $7, $8, now() + $9 * interval '1 millisecond')`,
      [id, day.date, 'manual', null, start.replicaId, day.start, day.end, start.marginMs, start.leaseMs],
    );
    return this.runs.findOneByOrFail({ id });
  }

  /**
   * The unique scheduled_date makes this a claim: of all replicas ticking now, one inserts the row.
   * A failed run (after retryAfterMs, up to maxAttempts) or an abandoned one (lease ran out) is taken over.
   */
  async claimScheduled(day: JakartaDay, rules: RetakeRules): Promise<ReconciliationRun | null> {
    const inserted = rowsOf(
      await this.db.query(
        `INSERT INTO reconciliation_runs (id, business_date, trigger, scheduled_date, status, attempts, replica_id, window_start, window_end, margin_ms, lease_until)
         VALUES ($1, $2, 'scheduled', $2, 'RUNNING', 1, $3, $4, $5, $6, now() + $7 * interval '1 millisecond')
         ON CONFLICT (scheduled_date) DO NOTHING
         RETURNING id`,
        [randomUUID(), day.date, rules.replicaId, day.start, day.end, rules.marginMs, rules.leaseMs],
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
          [day.date, rules.replicaId, rules.leaseMs, rules.maxAttempts, rules.retryAfterMs, rules.marginMs],
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
  async failAbandonedManualRuns(): Promise<number> {
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

  async renewLease(run: ReconciliationRun, leaseMs: number): Promise<void> {
    await this.db.query(
      `UPDATE reconciliation_runs SET lease_until = now() + $3 * interval '1 millisecond' WHERE id = $1 AND attempts = $2 AND status = 'RUNNING'`,
      [run.id, run.attempts, leaseMs],
    );
  }

  /**
   * The report's items and COMPLETED in one transaction, only while this attempt still holds the run
   * (false: another replica took it over, nothing was written).
   */
  async complete(run: ReconciliationRun, items: ReconItem[], summary: { matched: number; inFlight: number; mismatches: number }): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      const owned = rowsOf(
        await manager.query(`SELECT id FROM reconciliation_runs WHERE id = $1 AND attempts = $2 AND status = 'RUNNING' FOR UPDATE`, [run.id, run.attempts]),
      );
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
  }

  /** FAILED with the error, if this attempt still holds the run. */
  async fail(run: ReconciliationRun, error: string): Promise<void> {
    await this.db.query(
      `UPDATE reconciliation_runs SET status = 'FAILED', finished_at = now(), lease_until = NULL, error = $3 WHERE id = $1 AND attempts = $2 AND status = 'RUNNING'`,
      [run.id, run.attempts, error],
    );
  }

  /** Newest first; keyset on (started_at, id), the cursor being the previous page's last report id. */
  async listRuns(filter: RunFilter): Promise<Page<ReconciliationRun>> {
    const query = this.runs.createQueryBuilder('r');
    if (filter.date) query.andWhere('r.businessDate = :date', { date: filter.date });
    if (filter.status) query.andWhere('r.status = :status', { status: filter.status });
    if (filter.cursor) {
      const after = await this.runs.findOneBy({ id: filter.cursor });
      if (!after) throw new BadRequestError(ReconciliationErrorCode.CURSOR_INVALID, 'cursor must be the nextCursor of a previous page');
      query.andWhere('(r.startedAt, r.id) < (:startedAt, :id)', { startedAt: after.startedAt, id: after.id });
    }
    const rows = await query
      .orderBy('r.startedAt', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .take(filter.limit + 1)
      .getMany();
    return pageOf(rows, filter.limit, (last) => last.id);
  }

  findRun(id: string): Promise<ReconciliationRun | null> {
    return this.runs.findOneBy({ id });
  }

  /** A report's items, oldest first; keyset on the item id. */
  async listItems(runId: string, filter: ItemFilter): Promise<Page<ReconciliationItem>> {
    const query = this.items.createQueryBuilder('i').where('i.runId = :runId', { runId });
    if (filter.kind) query.andWhere('i.kind = :kind', { kind: filter.kind });
    if (filter.source) query.andWhere('i.source = :source', { source: filter.source });
    if (filter.inFlight !== undefined) query.andWhere('i.inFlight = :inFlight', { inFlight: filter.inFlight });
    if (filter.cursor) query.andWhere('i.id > :cursor', { cursor: filter.cursor });
    const rows = await query
      .orderBy('i.id', 'ASC')
      .take(filter.limit + 1)
      .getMany();
    return pageOf(rows, filter.limit, (last) => last.id);
  }
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
