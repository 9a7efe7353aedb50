import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ReconSummary } from './reconcile';

export type RunStatus = 'RUNNING' | 'COMPLETED' | 'FAILED';
export type RunTrigger = 'scheduled' | 'manual';

/**
 * One reconciliation report: our books against Netzme's for one Jakarta day. The scheduled run of
 * a day is unique (scheduled_date), which is how only one replica runs it; manual runs may repeat.
 */
@Entity({ name: 'reconciliation_runs' })
@Index('UQ_reconciliation_runs_scheduled_date', ['scheduledDate'], { unique: true })
@Index('IDX_reconciliation_runs_business_date', ['businessDate', 'startedAt'])
@Index('IDX_reconciliation_runs_started_at', ['startedAt', 'id'])
@Check('CHK_reconciliation_runs_status', `"status" IN ('RUNNING', 'COMPLETED', 'FAILED')`)
@Check('CHK_reconciliation_runs_trigger', `"trigger" IN ('scheduled', 'manual')`)
export class ReconciliationRun {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** The Jakarta day compared, YYYY-MM-DD. */
  @Column({ name: 'business_date', type: 'date' })
  businessDate: string;

  @Column({ type: 'text' })
  trigger: RunTrigger;

  /** Set (= business_date) only for the daily job's run: the unique claim of the day. */
  @Column({ name: 'scheduled_date', type: 'date', nullable: true })
  scheduledDate: string | null;

  @Column({ type: 'text' })
  status: RunStatus;

  @Column({ type: 'integer', default: 1 })
  attempts: number;

  /** The replica running (or that ran) it. */
  @Column({ name: 'replica_id', type: 'text', nullable: true })
  replicaId: string | null;

  /** [window_start, window_end) is the day; both sides were read with margin_ms of slack around it. */
  @Column({ name: 'window_start', type: 'timestamptz' })
  windowStart: Date;

  @Column({ name: 'window_end', type: 'timestamptz' })
  windowEnd: Date;

  @Column({ name: 'margin_ms', type: 'integer' })
  marginMs: number;

  @Column({ name: 'started_at', type: 'timestamptz', default: () => 'now()' })
  startedAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  /** While RUNNING, the runner renews this; a run whose lease ran out was abandoned (crash). */
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil: Date | null;

  @Column({ name: 'matched_count', type: 'integer', default: 0 })
  matchedCount: number;

  @Column({ name: 'in_flight_count', type: 'integer', default: 0 })
  inFlightCount: number;

  @Column({ name: 'mismatch_count', type: 'integer', default: 0 })
  mismatchCount: number;

  /** Counts per kind and source, matched totals, items skipped or unreadable. */
  @Column({ type: 'jsonb', nullable: true })
  summary: (ReconSummary & { skipped: Record<string, number>; unreadable: string[]; notes: string[] }) | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;
}
