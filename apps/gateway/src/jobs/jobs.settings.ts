import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { hostname } from 'node:os';
import { boolFromEnv, intFromEnv, RawEnv, splitList, validateEnv } from '../config/env-validation';
import { JobDefinition, jobEnvName } from './job-registry';

const toNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value);

/** Settings of the job runner, the same for every job (per replica). */
export class JobsEnv {
  /** Master switch for this replica. Default: true, except under NODE_ENV=test (tests opt in). */
  @IsOptional()
  @Transform(boolFromEnv)
  @IsBoolean({ message: 'JOBS_ENABLED must be true or false' })
  JOBS_ENABLED?: boolean;

  /** Comma-separated job names this replica does not schedule (they stay runnable by POST /jobs/:name/run). */
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9,\s-]*$/, { message: 'JOBS_DISABLED must be a comma-separated list of job names such as order-status-poll' })
  JOBS_DISABLED?: string;

  /** Name of this replica in run records and GET /jobs (default: host name and process id). */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9._:-]{1,100}$/, { message: 'JOBS_REPLICA_ID must be 1-100 letters, digits, dots, colons, dashes or underscores' })
  JOBS_REPLICA_ID?: string;

  /** How long shutdown waits for running ticks before closing the database. */
  @Transform(intFromEnv)
  @IsInt()
  @Min(0)
  @Max(300_000)
  JOBS_SHUTDOWN_GRACE_MS = 15_000;

  /** Netzme calls in flight at once from this replica's jobs (ctx.limit). */
  @Transform(intFromEnv)
  @IsInt()
  @Min(1)
  @Max(1000)
  NETZME_MAX_CONCURRENCY = 4;

  /** Netzme calls started per second by this replica's jobs (ctx.limit); 0 = no rate limit. */
  @Transform(toNumber)
  @IsNumber({}, { message: 'NETZME_MAX_RPS must be a number of calls per second, e.g. 10 or 0.5' })
  @Min(0)
  @Max(10_000)
  NETZME_MAX_RPS = 10;
}

export interface JobsSettings {
  enabled: boolean;
  disabled: Set<string>;
  replicaId: string;
  shutdownGraceMs: number;
  netzmeMaxConcurrency: number;
  netzmeMaxRps: number;
}

export function loadJobsSettings(raw: RawEnv): JobsSettings {
  const env = validateEnv(JobsEnv, raw);
  return {
    enabled: env.JOBS_ENABLED ?? raw.NODE_ENV !== 'test',
    disabled: new Set(splitList(env.JOBS_DISABLED)),
    replicaId: env.JOBS_REPLICA_ID ?? `${hostname()}-${process.pid}`.replace(/[^A-Za-z0-9._:-]/g, '_').slice(0, 100),
    shutdownGraceMs: env.JOBS_SHUTDOWN_GRACE_MS,
    netzmeMaxConcurrency: env.NETZME_MAX_CONCURRENCY,
    netzmeMaxRps: env.NETZME_MAX_RPS,
  };
}

export const DEFAULT_BATCH_SIZE = 100;
export const MIN_INTERVAL_MS = 10;
export const MAX_INTERVAL_MS = 7 * 24 * 3_600_000;
export const MAX_BATCH_SIZE = 10_000;

export interface JobSettings {
  intervalMs: number;
  batchSize: number;
  /** Scheduled on this replica (JOBS_ENABLED and not in JOBS_DISABLED). */
  enabled: boolean;
}

type JobEnvClass = new () => Record<string, number | undefined>;
const jobEnvClasses = new Map<string, JobEnvClass>();

/**
 * A class-validator class for one job's settings, JOB_<NAME>_INTERVAL_MS and JOB_<NAME>_BATCH_SIZE.
 * The names depend on the job, so the class is built (once per job) with the decorators applied
 * by hand; validateEnv then reports a bad value naming the variable, like every other setting.
 */
function jobEnvClass(name: string): JobEnvClass {
  let cls = jobEnvClasses.get(name);
  if (!cls) {
    cls = class {} as JobEnvClass;
    Object.defineProperty(cls, 'name', { value: `Job_${jobEnvName(name)}_Env` });
    const prefix = `JOB_${jobEnvName(name)}`;
    const rules: Array<[string, number, number]> = [
      [`${prefix}_INTERVAL_MS`, MIN_INTERVAL_MS, MAX_INTERVAL_MS],
      [`${prefix}_BATCH_SIZE`, 1, MAX_BATCH_SIZE],
    ];
    for (const [property, min, max] of rules) {
      for (const decorate of [IsOptional(), Transform(intFromEnv), IsInt({ message: `${property} must be a whole number` }), Min(min), Max(max)]) {
        decorate(cls.prototype, property);
      }
    }
    jobEnvClasses.set(name, cls);
  }
  return cls;
}

/** One job's interval, batch size and whether this replica schedules it. Throws ConfigurationError. */
export function loadJobSettings(job: JobDefinition, raw: RawEnv, jobs: JobsSettings): JobSettings {
  const env = validateEnv(jobEnvClass(job.name), raw);
  const prefix = `JOB_${jobEnvName(job.name)}`;
  return {
    intervalMs: env[`${prefix}_INTERVAL_MS`] ?? job.defaultIntervalMs,
    batchSize: env[`${prefix}_BATCH_SIZE`] ?? job.defaultBatchSize ?? DEFAULT_BATCH_SIZE,
    enabled: jobs.enabled && !jobs.disabled.has(job.name),
  };
}

/**
 * Settings that name a job nobody registered (a typo such as JOB_ORDER_POLL_INTERVAL_MS, or a
 * JOBS_DISABLED entry): reported as warnings at start-up, since a silent typo would leave a job at
 * its default.
 */
export function unknownJobSettings(raw: RawEnv, jobs: JobsSettings, known: string[]): string[] {
  const names = new Set(known.map(jobEnvName));
  const problems: string[] = [];
  for (const key of Object.keys(raw)) {
    const m = /^JOB_(.+)_(INTERVAL_MS|BATCH_SIZE)$/.exec(key);
    if (m && !names.has(m[1])) {
      problems.push(`${key} names no registered job (known: ${known.join(', ') || 'none'})`);
    }
  }
  for (const name of jobs.disabled) {
    if (!known.includes(name)) {
      problems.push(`JOBS_DISABLED names "${name}", which is not a registered job (known: ${known.join(', ') || 'none'})`);
    }
  }
  return problems;
}
