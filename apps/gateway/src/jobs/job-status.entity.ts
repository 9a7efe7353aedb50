import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '../database/bigint.transformer';

/**
 * The run record of one job on one replica, updated in place on every tick (so the table stays as
 * small as jobs x replicas). Admins see every replica through GET /jobs because it lives in Postgres.
 */
@Entity({ name: 'job_status' })
export class JobStatus {
  @PrimaryColumn({ name: 'job_name', type: 'text' })
  jobName: string;

  @PrimaryColumn({ name: 'replica_id', type: 'text' })
  replicaId: string;

  /** Scheduled on this replica (JOBS_ENABLED and not in JOBS_DISABLED). */
  @Column({ type: 'boolean' })
  enabled: boolean;

  @Column({ name: 'interval_ms', type: 'integer' })
  intervalMs: number;

  @Column({ name: 'batch_size', type: 'integer' })
  batchSize: number;

  /** A tick is running now (set at its start, cleared at its end). */
  @Column({ type: 'boolean', default: false })
  running: boolean;

  @Column({ name: 'last_started_at', type: 'timestamptz', nullable: true })
  lastStartedAt: Date | null;

  @Column({ name: 'last_finished_at', type: 'timestamptz', nullable: true })
  lastFinishedAt: Date | null;

  @Column({ name: 'last_duration_ms', type: 'integer', nullable: true })
  lastDurationMs: number | null;

  @Column({ name: 'last_processed', type: 'integer', nullable: true })
  lastProcessed: number | null;

  @Column({ name: 'last_errors', type: 'integer', nullable: true })
  lastErrors: number | null;

  /** ok | partial (some items failed) | failed (the tick threw). */
  @Column({ name: 'last_outcome', type: 'text', nullable: true })
  lastOutcome: 'ok' | 'partial' | 'failed' | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'last_error_at', type: 'timestamptz', nullable: true })
  lastErrorAt: Date | null;

  @Column({ name: 'runs_total', type: 'bigint', default: 0, transformer: bigintTransformer })
  runsTotal: bigint;

  @Column({ name: 'failures_total', type: 'bigint', default: 0, transformer: bigintTransformer })
  failuresTotal: bigint;

  @Column({ name: 'processed_total', type: 'bigint', default: 0, transformer: bigintTransformer })
  processedTotal: bigint;

  @Column({ name: 'errors_total', type: 'bigint', default: 0, transformer: bigintTransformer })
  errorsTotal: bigint;

  /** When this replica last wrote the row (start-up or a tick): tells live replicas from gone ones. */
  @Column({ name: 'seen_at', type: 'timestamptz', default: () => 'now()' })
  seenAt: Date;
}
