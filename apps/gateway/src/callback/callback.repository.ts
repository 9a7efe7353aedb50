import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CallbackKind } from './callback-kinds';
import { CallbackStatus, NetzmeCallback } from './netzme-callback.entity';
import { claimDue } from '../database/claim-due';
import { preparedQuery, rowsOf } from '../database/prepared-query';
import { pgSafeText } from './callback-intake';
import { WriteBatcher } from './write-batcher';

/** References longer than this are cut (an index entry must stay small; admins search by the start). */
const MAX_REFERENCE_CHARS = 200;

export function callbackFromRow(row: Record<string, unknown>): NetzmeCallback {
  const cb = new NetzmeCallback();
  cb.id = row.id as string;
  cb.kind = row.kind as CallbackKind;
  cb.dedupeKey = row.dedupe_key as string;
  cb.status = row.status as CallbackStatus;
  cb.reference = (row.reference as string | null) ?? null;
  cb.owner = (row.owner as string | null) ?? null;
  cb.subjectId = (row.subject_id as string | null) ?? null;
  cb.reason = (row.reason as string | null) ?? null;
  cb.rawBody = row.raw_body as string;
  cb.headers = (row.headers as Record<string, string>) ?? {};
  cb.duplicates = Number(row.duplicates ?? 0);
  cb.attempts = Number(row.attempts ?? 0);
  cb.nextAttemptAt = (row.next_attempt_at as Date | null) ?? null;
  cb.lastError = (row.last_error as string | null) ?? null;
  cb.receivedAt = row.received_at as Date;
  cb.appliedAt = (row.applied_at as Date | null) ?? null;
  cb.updatedAt = row.updated_at as Date;
  return cb;
}

export interface StoreInput {
  kind: CallbackKind;
  dedupeKey: string;
  reference: string | null;
  rawBody: string;
  headers: Record<string, string>;
  /** received (to be applied now) or anomaly (kept for people, never applied). */
  status: 'received' | 'anomaly';
  reason?: string;
  /** How long the storing request owns the apply before the re-apply job may take over. */
  leaseMs: number;
}

export interface StoreResult {
  row: Pick<NetzmeCallback, 'id' | 'kind' | 'rawBody' | 'status' | 'reason' | 'attempts' | 'nextAttemptAt'>;
  inserted: boolean;
}

export interface FinishInput {
  status: Exclude<CallbackStatus, 'received' | 'failed'>;
  owner: string | null;
  subjectId?: string | null;
  reason?: string | null;
  /** pending_owner only: when to look for the owner again. */
  retryInMs?: number;
}

export interface CallbackListFilter {
  kind?: string;
  status?: CallbackStatus;
  reference?: string;
  from?: Date;
  to?: Date;
  cursor?: string;
  limit: number;
}

/**
 * The callback module's one way to Postgres: every statement on the inbox table lives here. A
 * notification is stored (unique dedupe key) before anything is applied; the same notification
 * again only bumps `duplicates`. `next_attempt_at` is both the apply lease and the re-apply
 * schedule, so a crashed apply is picked up by the `callback-reapply` job.
 */
@Injectable()
export class CallbackRepository {
  private readonly inserts = new WriteBatcher<StoreInput, StoreResult>((items) => this.insertBatch(items));
  private readonly finishes = new WriteBatcher<FinishInput & { id: string }, void>((items) => this.finishBatch(items));

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * One statement for a batch of notifications. The same dedupe key twice in one batch (two
   * deliveries at the same instant) becomes one row: the first caller inserts, the others count as
   * repeats — exactly what the unique index does across statements.
   */
  private async insertBatch(items: StoreInput[]): Promise<StoreResult[]> {
    const first = new Map<string, number>();
    const extra = new Map<string, number>();
    items.forEach((item, i) => {
      if (first.has(item.dedupeKey)) {
        extra.set(item.dedupeKey, (extra.get(item.dedupeKey) ?? 0) + 1);
      } else {
        first.set(item.dedupeKey, i);
      }
    });
    const unique = [...first.values()].map((i) => items[i]);
    const ids = unique.map(() => randomUUID());
    const rows = await preparedQuery(
      this.db,
      `INSERT INTO netzme_callbacks (id, kind, dedupe_key, status, reference, reason, raw_body, headers, duplicates, attempts, next_attempt_at)
       SELECT t.id, t.kind, t.dedupe_key, t.status, t.reference, t.reason, t.raw_body, t.headers, t.extra,
              CASE WHEN t.status = 'received' THEN 1 ELSE 0 END,
              CASE WHEN t.status = 'received' THEN now() + t.lease_ms * interval '1 millisecond' END
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::int[], $10::int[])
            AS t(id, kind, dedupe_key, status, reference, reason, raw_body, headers, extra, lease_ms)
       ON CONFLICT (dedupe_key) DO UPDATE SET duplicates = netzme_callbacks.duplicates + 1 + EXCLUDED.duplicates, updated_at = now()
       RETURNING id, dedupe_key, status, reason, attempts, next_attempt_at, (xmax = 0) AS inserted`,
      [
        ids,
        unique.map((u) => u.kind),
        unique.map((u) => u.dedupeKey),
        unique.map((u) => u.status),
        // Postgres text cannot hold NUL: whatever an outsider sent is stored escaped (see callback-intake).
        unique.map((u) => (u.reference === null ? null : pgSafeText(u.reference).slice(0, MAX_REFERENCE_CHARS))),
        unique.map((u) => (u.reason === undefined ? null : pgSafeText(u.reason))),
        unique.map((u) => pgSafeText(u.rawBody)),
        unique.map((u) => JSON.stringify(u.headers, (_key, value: unknown) => (typeof value === 'string' ? pgSafeText(value) : value))),
        unique.map((u) => extra.get(u.dedupeKey) ?? 0),
        unique.map((u) => u.leaseMs),
      ],
    );
    const byKey = new Map(rows.map((r) => [r.dedupe_key as string, r]));
    return items.map((item, i) => {
      const r = byKey.get(item.dedupeKey);
      if (!r) {
        throw new Error(`callback inbox: no row returned for ${item.dedupeKey}`);
      }
      return {
        row: {
          id: r.id as string,
          kind: item.kind,
          rawBody: item.rawBody,
          status: r.status as CallbackStatus,
          reason: (r.reason as string | null) ?? null,
          attempts: Number(r.attempts),
          nextAttemptAt: (r.next_attempt_at as Date | null) ?? null,
        },
        // Only the first of same-batch twins may have created the row.
        inserted: r.inserted === true && first.get(item.dedupeKey) === i,
      };
    });
  }

  private async finishBatch(items: Array<FinishInput & { id: string }>): Promise<void[]> {
    await preparedQuery(
      this.db,
      `UPDATE netzme_callbacks c
       SET status = CASE WHEN c.status = 'applied' AND v.status = 'duplicate' THEN 'applied' ELSE v.status END, -- a re-apply of an applied one stays applied
           reason = CASE WHEN c.status = 'applied' AND v.status = 'duplicate' THEN c.reason ELSE v.reason END,
           owner = v.owner, subject_id = v.subject_id, last_error = NULL, updated_at = now(),
           applied_at = CASE WHEN v.status = 'applied' THEN now() ELSE c.applied_at END,
           next_attempt_at = CASE WHEN v.status = 'pending_owner' THEN now() + v.retry_ms * interval '1 millisecond' END
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[]) AS v(id, status, owner, subject_id, reason, retry_ms)
       WHERE c.id = v.id`,
      [
        items.map((i) => i.id),
        items.map((i) => i.status),
        items.map((i) => i.owner),
        items.map((i) => i.subjectId ?? null),
        items.map((i) => i.reason ?? null),
        items.map((i) => i.retryInMs ?? 60_000),
      ],
    );
    return items.map(() => undefined);
  }

  /** Insert, or count a repeat. `inserted` is true for the request that created the row. */
  store(input: StoreInput): Promise<StoreResult> {
    return this.inserts.submit(input);
  }

  /**
   * Take a stored callback for applying: failed ones at any time, received ones only when their
   * applier's lease has run out (it died), and any status when `force` (admin re-apply).
   */
  async claim(id: string, leaseMs: number, force = false): Promise<NetzmeCallback | null> {
    const rows = rowsOf(
      await this.db.query(
        `UPDATE netzme_callbacks SET next_attempt_at = now() + $2 * interval '1 millisecond', attempts = attempts + 1, updated_at = now()
         WHERE id = $1 AND (status = 'failed' OR (status IN ('received', 'pending_owner') AND (next_attempt_at IS NULL OR next_attempt_at <= now()))
                            OR ($3 AND status NOT IN ('received')))
         RETURNING *`,
        [id, leaseMs, force],
      ),
    );
    return rows.length > 0 ? callbackFromRow(rows[0]) : null;
  }

  async finish(id: string, input: FinishInput): Promise<void> {
    await this.finishes.submit({ id, ...input });
  }

  /**
   * Not finished and not failed: the owner must ask Netzme again later (Netzme unreachable, the
   * record busy). Stays "received"; the re-apply job takes it when `next_attempt_at` comes.
   */
  async postpone(id: string, owner: string | null, subjectId: string | null, reason: string, retryInMs: number): Promise<void> {
    await this.db.query(
      `UPDATE netzme_callbacks SET status = 'received', owner = $2, subject_id = $3, reason = $4, next_attempt_at = now() + $5 * interval '1 millisecond', updated_at = now() WHERE id = $1`,
      [id, owner, subjectId, pgSafeText(reason).slice(0, 2000), retryInMs],
    );
  }

  /** Applying threw: keep it for the re-apply job. */
  async fail(id: string, error: string, retryInMs: number): Promise<void> {
    await this.db.query(
      `UPDATE netzme_callbacks SET status = 'failed', last_error = $2, next_attempt_at = now() + $3 * interval '1 millisecond', updated_at = now() WHERE id = $1`,
      [id, pgSafeText(error).slice(0, 2000), retryInMs],
    );
  }

  /** A bounded batch of due unfinished callbacks, leased in one short statement (claimDue: SKIP LOCKED). */
  async claimDue(batch: number, leaseMs: number): Promise<NetzmeCallback[]> {
    const rows = await claimDue(this.db, {
      table: 'netzme_callbacks',
      dueColumn: 'next_attempt_at',
      open: `status IN ('received', 'failed', 'pending_owner')`,
      batch,
      leaseMs,
      alsoSet: 'attempts = t.attempts + 1, updated_at = now()',
    });
    return rows.map(callbackFromRow);
  }

  async get(id: string): Promise<NetzmeCallback | null> {
    const rows = rowsOf(await this.db.query('SELECT * FROM netzme_callbacks WHERE id = $1', [id]));
    return rows.length > 0 ? callbackFromRow(rows[0]) : null;
  }

  async list(filter: CallbackListFilter): Promise<{ items: NetzmeCallback[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.kind) add('kind = ?', filter.kind);
    if (filter.status) add('status = ?', filter.status);
    if (filter.reference) add('reference = ?', filter.reference);
    if (filter.from) add('received_at >= ?', filter.from);
    if (filter.to) add('received_at < ?', filter.to);
    if (filter.cursor) add('(received_at, id) < (SELECT received_at, id FROM netzme_callbacks WHERE id = ?::uuid)', filter.cursor);
    params.push(filter.limit + 1);
    const rows = rowsOf(
      await this.db.query(
        `SELECT * FROM netzme_callbacks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY received_at DESC, id DESC LIMIT $${params.length}`,
        params,
      ),
    );
    const items = rows.slice(0, filter.limit).map(callbackFromRow);
    return { items, nextCursor: rows.length > filter.limit ? items[items.length - 1].id : null };
  }
}
