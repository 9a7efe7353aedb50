import type { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from './prepared-query';

/** Anything with TypeORM's `query(sql, params)`: a DataSource, or the EntityManager of a transaction. */
export type Queryable = Pick<DataSource | EntityManager, 'query'>;

/**
 * What a poller claims: the open rows of `table` whose `dueColumn` has come, oldest due first.
 *
 * Every poller of the gateway (orders, deposit top-ups, payouts, split fees, the callback inbox)
 * claims work the same way, so that two replicas never work one row at the same time and a replica
 * that dies mid-batch loses nothing:
 *   - one short statement: select the due rows `FOR UPDATE SKIP LOCKED` (rows another replica is
 *     claiming right now are skipped, not waited for), and in the same statement
 *   - push `dueColumn` forward by `leaseMs`: the lease. A row whose worker died becomes due again when
 *     the lease ends; a worker that finishes sets the real next due time itself.
 */
export interface ClaimDueSpec {
  /** The table, e.g. `orders`. Written into the SQL: a constant of the caller, never user input. */
  table: string;
  /** The timestamp column that says when a row is due, e.g. `next_check_at`. Pushed forward by the lease. */
  dueColumn: string;
  /** Which rows are open, as SQL on the table's columns (no alias), e.g. `status = ANY($3::text[])`. Parameters start at $3. */
  open: string;
  /** Values for $3, $4, ... in `open`. */
  params?: readonly unknown[];
  /** At most this many rows. */
  batch: number;
  /** How long the claim holds (milliseconds). */
  leaseMs: number;
  /** Further assignments made on claim, on the alias `t`, e.g. `check_attempts = t.check_attempts + 1`. */
  alsoSet?: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Claim due rows (see {@link ClaimDueSpec}); answers the claimed rows as Postgres returns them (snake_case columns). */
export async function claimDue(db: Queryable, spec: ClaimDueSpec): Promise<Array<Record<string, unknown>>> {
  if (!IDENTIFIER.test(spec.table) || !IDENTIFIER.test(spec.dueColumn)) {
    throw new Error(`claimDue: ${spec.table}.${spec.dueColumn} is not a plain SQL identifier`);
  }
  const batch = Math.max(1, Math.floor(spec.batch));
  const sql = `WITH due AS (
      SELECT id FROM ${spec.table}
       WHERE ${spec.dueColumn} IS NOT NULL AND ${spec.dueColumn} <= now() AND (${spec.open})
       ORDER BY ${spec.dueColumn}
       LIMIT $1
       FOR UPDATE SKIP LOCKED)
    UPDATE ${spec.table} t
       SET ${spec.dueColumn} = now() + $2 * interval '1 millisecond'${spec.alsoSet ? `, ${spec.alsoSet}` : ''}
      FROM due WHERE t.id = due.id
    RETURNING t.*`;
  return rowsOf(await db.query(sql, [batch, Math.max(0, Math.floor(spec.leaseMs)), ...(spec.params ?? [])]));
}
