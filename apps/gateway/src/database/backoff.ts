import type { Queryable } from './claim-due';

/** When a worker looks again at an open row: `delayMs` doubling per attempt, at most `maxDelayMs`. */
export interface BackoffSpec {
  /** The table, e.g. `withdrawals`. Written into the SQL: a constant of the caller, never user input. */
  table: string;
  id: string;
  /** The integer column counting attempts so far (the first attempt waits `delayMs`). */
  attemptsColumn: string;
  delayMs: number;
  maxDelayMs: number;
  /** Only rows still in one of these statuses are rescheduled (a final row is left alone). */
  openStatuses: readonly string[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Set `next_check_at` of one open row with exponential backoff (the due column claimDue reads). */
export async function scheduleWithBackoff(db: Queryable, spec: BackoffSpec): Promise<void> {
  if (!IDENTIFIER.test(spec.table) || !IDENTIFIER.test(spec.attemptsColumn)) {
    throw new Error(`scheduleWithBackoff: ${spec.table}.${spec.attemptsColumn} is not a plain SQL identifier`);
  }
  await db.query(
    `UPDATE ${spec.table}
        SET next_check_at = now() + make_interval(secs => LEAST($2::double precision, $3::double precision * power(2, LEAST(GREATEST(${spec.attemptsColumn} - 1, 0), 20))) / 1000)
      WHERE id = $1 AND status = ANY($4::text[])`,
    [spec.id, spec.maxDelayMs, spec.delayMs, spec.openStatuses],
  );
}
