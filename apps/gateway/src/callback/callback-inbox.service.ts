import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CallbackKind } from './callback-kinds';
import { CallbackStatus, NetzmeCallback } from './netzme-callback.entity';

/** pg returns `[rows, count]` for UPDATE through TypeORM and plain rows otherwise. */
function rowsOf(result: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as Array<Record<string, unknown>>;
  }
  return result as Array<Record<string, unknown>>;
}

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
 * The callback inbox table. A notification is stored (unique dedupe key) before anything is applied;
 * the same notification again only bumps `duplicates`. `next_attempt_at` is both the apply lease and
 * the re-apply schedule, so a crashed apply is picked up by the `callback-reapply` job.
 */
@Injectable()
export class CallbackInboxService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Insert, or count a repeat. `inserted` is true for the request that created the row. */
  async store(input: StoreInput): Promise<{ row: NetzmeCallback; inserted: boolean }> {
    const rows = rowsOf(
      await this.db.query(
        `INSERT INTO netzme_callbacks (id, kind, dedupe_key, status, reference, reason, raw_body, headers, attempts, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, CASE WHEN $4 = 'received' THEN 1 ELSE 0 END,
                 CASE WHEN $4 = 'received' THEN now() + $9 * interval '1 millisecond' END)
         ON CONFLICT (dedupe_key) DO UPDATE SET duplicates = netzme_callbacks.duplicates + 1, updated_at = now()
         RETURNING *, (xmax = 0) AS inserted`,
        [randomUUID(), input.kind, input.dedupeKey, input.status, input.reference, input.reason ?? null, input.rawBody, JSON.stringify(input.headers), input.leaseMs],
      ),
    );
    return { row: callbackFromRow(rows[0]), inserted: rows[0].inserted === true };
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
    await this.db.query(
      `UPDATE netzme_callbacks
       SET status = CASE WHEN status = 'applied' AND $2 = 'duplicate' THEN 'applied' ELSE $2 END, -- a re-apply of an applied one stays applied
           owner = $3, subject_id = $4, reason = CASE WHEN status = 'applied' AND $2 = 'duplicate' THEN reason ELSE $5 END,
           last_error = NULL, updated_at = now(),
           applied_at = CASE WHEN $2 = 'applied' THEN now() ELSE applied_at END,
           next_attempt_at = CASE WHEN $2 = 'pending_owner' THEN now() + $6 * interval '1 millisecond' END
       WHERE id = $1`,
      [id, input.status, input.owner, input.subjectId ?? null, input.reason ?? null, input.retryInMs ?? 60_000],
    );
  }

  /** Applying threw: keep it for the re-apply job. */
  async fail(id: string, error: string, retryInMs: number): Promise<void> {
    await this.db.query(
      `UPDATE netzme_callbacks SET status = 'failed', last_error = $2, next_attempt_at = now() + $3 * interval '1 millisecond', updated_at = now() WHERE id = $1`,
      [id, error.slice(0, 2000), retryInMs],
    );
  }

  /** A bounded batch of due unfinished callbacks, leased in one short statement (SKIP LOCKED). */
  async claimDue(batch: number, leaseMs: number): Promise<NetzmeCallback[]> {
    const rows = rowsOf(
      await this.db.query(
        `WITH due AS (
           SELECT id FROM netzme_callbacks
           WHERE status IN ('received', 'failed', 'pending_owner') AND next_attempt_at IS NOT NULL AND next_attempt_at <= now()
           ORDER BY next_attempt_at
           LIMIT $1
           FOR UPDATE SKIP LOCKED)
         UPDATE netzme_callbacks c SET next_attempt_at = now() + $2 * interval '1 millisecond', attempts = c.attempts + 1, updated_at = now()
         FROM due WHERE c.id = due.id
         RETURNING c.*`,
        [batch, leaseMs],
      ),
    );
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
      await this.db.query(`SELECT * FROM netzme_callbacks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY received_at DESC, id DESC LIMIT $${params.length}`, params),
    );
    const items = rows.slice(0, filter.limit).map(callbackFromRow);
    return { items, nextCursor: rows.length > filter.limit ? items[items.length - 1].id : null };
  }
}
