import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { JobStatus } from './job-status.entity';

export interface JobAnnouncement {
  jobName: string;
  replicaId: string;
  enabled: boolean;
  intervalMs: number;
  batchSize: number;
}

export interface FinishedTick {
  startedAt: Date;
  durationMs: number;
  processed: number;
  errors: number;
  outcome: 'ok' | 'partial' | 'failed';
  error?: string;
}

/** Rows older than this are replicas that are gone for good (a replica rewrites its rows at start-up). */
const FORGET_REPLICAS_AFTER = '7 days';

/**
 * Reads and writes job run records (job_status). Writes are single-row statements keyed by the
 * primary key: two per tick, cheap enough for second-scale intervals.
 */
@Injectable()
export class JobStatusService {
  constructor(@InjectRepository(JobStatus) private readonly rows: Repository<JobStatus>) {}

  /** At start-up: this replica's settings for each job (totals kept if the replica id is reused). */
  async announce(jobs: JobAnnouncement[]): Promise<void> {
    for (const job of jobs) {
      await this.rows.query(
        `INSERT INTO job_status (job_name, replica_id, enabled, interval_ms, batch_size, running, seen_at)
         VALUES ($1, $2, $3, $4, $5, false, now())
         ON CONFLICT (job_name, replica_id) DO UPDATE
           SET enabled = EXCLUDED.enabled, interval_ms = EXCLUDED.interval_ms, batch_size = EXCLUDED.batch_size,
               running = false, seen_at = now()`,
        [job.jobName, job.replicaId, job.enabled, job.intervalMs, job.batchSize],
      );
    }
    await this.rows.query(`DELETE FROM job_status WHERE seen_at < now() - interval '${FORGET_REPLICAS_AFTER}'`);
  }

  async started(jobName: string, replicaId: string, at: Date): Promise<void> {
    await this.rows.query('UPDATE job_status SET running = true, last_started_at = $3, seen_at = now() WHERE job_name = $1 AND replica_id = $2', [
      jobName,
      replicaId,
      at,
    ]);
  }

  async finished(jobName: string, replicaId: string, tick: FinishedTick): Promise<void> {
    const failed = tick.outcome === 'failed';
    await this.rows.query(
      `UPDATE job_status
          SET running = false, last_started_at = $3, last_finished_at = now(), last_duration_ms = $4::int,
              last_processed = $5::int, last_errors = $6::int, last_outcome = $7::text,
              last_error = COALESCE($8::text, last_error), last_error_at = CASE WHEN $8::text IS NULL THEN last_error_at ELSE now() END,
              runs_total = runs_total + 1, failures_total = failures_total + $9::int,
              processed_total = processed_total + $5::int, errors_total = errors_total + $6::int, seen_at = now()
        WHERE job_name = $1 AND replica_id = $2`,
      [jobName, replicaId, tick.startedAt, tick.durationMs, tick.processed, tick.errors, tick.outcome, tick.error ?? null, failed ? 1 : 0],
    );
  }

  async list(): Promise<JobStatus[]> {
    return this.rows.find({ order: { jobName: 'ASC', replicaId: 'ASC' } });
  }
}
