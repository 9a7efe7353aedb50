import { Injectable } from '@nestjs/common';

/** What one tick of a background job reports. */
export interface JobRunResult {
  /** Items handled in this tick (orders refreshed, callbacks re-applied, ...). */
  processed: number;
  /** Items that failed in this tick (they stay due and are tried again later). */
  errors?: number;
  details?: Record<string, unknown>;
}

export interface JobContext {
  /**
   * Run a call to Netzme under the shared concurrency and rate limits (settings of the jobs module).
   * Every job that talks to Netzme goes through this, so replicas' ticks cannot flood Netzme.
   */
  limit<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * How many items one tick should claim at most (JOB_<NAME>_BATCH_SIZE, else the job's
   * defaultBatchSize, else 100). Always set by the runner; optional only so that hand-made contexts
   * in unit tests stay valid.
   */
  batchSize?: number;
  /** The job's name and the replica running the tick (for logs and claim owners). */
  jobName?: string;
  replicaId?: string;
  /**
   * Aborted when the application shuts down: a long tick should stop claiming new items (items it
   * already claimed stay leased and become due again when the lease ends).
   */
  signal?: AbortSignal;
}

/**
 * A background job owned by a feature module. The owner decides what is due and how to claim it
 * (FOR UPDATE SKIP LOCKED on its own table); the jobs module decides when ticks run, on which
 * replicas, and records their last run, duration, counts and errors.
 */
export interface JobDefinition {
  /** kebab-case, e.g. "order-status-poll"; settings are JOB_<NAME>_INTERVAL_MS etc. */
  name: string;
  description: string;
  defaultIntervalMs: number;
  /** Items per tick unless JOB_<NAME>_BATCH_SIZE says otherwise (default 100). */
  defaultBatchSize?: number;
  run(context: JobContext): Promise<JobRunResult>;
}

/** Feature modules register their jobs here (in onModuleInit); the jobs module runs them. */
@Injectable()
export class JobRegistry {
  private readonly jobs = new Map<string, JobDefinition>();

  register(job: JobDefinition): void {
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(job.name)) {
      throw new Error(`job name "${job.name}" must be kebab-case (letters, digits, dashes)`);
    }
    if (this.jobs.has(job.name)) {
      throw new Error(`job "${job.name}" is registered twice`);
    }
    this.jobs.set(job.name, job);
  }

  get(name: string): JobDefinition | undefined {
    return this.jobs.get(name);
  }

  list(): JobDefinition[] {
    return [...this.jobs.values()];
  }
}

/** "order-status-poll" -> "ORDER_STATUS_POLL": the job's part of its setting names. */
export function jobEnvName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}
