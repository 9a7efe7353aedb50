import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway.settings';
import { JobContext, JobDefinition, JobRegistry } from './job-registry';
import { JobStatusService } from './job-status.service';
import { JobSettings, JobsSettings, loadJobSettings, unknownJobSettings } from './jobs.settings';
import { MetricsService } from '../observability/metrics.service';
import { RateLimiter } from './rate-limiter';

export const JOBS_SETTINGS = Symbol('JOBS_SETTINGS');

export type TickTrigger = 'schedule' | 'manual';

/** What one tick did, as recorded and as answered by POST /jobs/:name/run. */
export interface TickReport {
  job: string;
  replicaId: string;
  trigger: TickTrigger;
  startedAt: Date;
  durationMs: number;
  processed: number;
  errors: number;
  outcome: 'ok' | 'partial' | 'failed';
  error?: string;
  details?: Record<string, unknown>;
}

export interface JobView {
  job: JobDefinition;
  settings: JobSettings;
  running: boolean;
}

interface JobState {
  job: JobDefinition;
  settings: JobSettings;
  current?: Promise<TickReport>;
}

const MAX_ERROR_LENGTH = 1000;
/** First scheduled tick within this long after start-up, spread at random so replicas do not tick in step. */
const MAX_FIRST_TICK_DELAY_MS = 5000;

function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}...` : text;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

/**
 * Runs the jobs other modules registered with JobRegistry: schedules each with SchedulerRegistry
 * (an interval per job), never lets two ticks of the same job overlap in this process, hands each
 * tick its batch size and the shared Netzme limiter, and records every tick (job_status + metrics).
 *
 * What makes the work itself safe across replicas is the job's claim (FOR UPDATE SKIP LOCKED with a
 * lease), not this runner: any number of replicas may tick the same job at the same time.
 */
@Injectable()
export class JobsRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly states = new Map<string, JobState>();
  private readonly timers: string[] = [];
  private readonly shutdown = new AbortController();
  private readonly runs;
  private readonly processedItems;
  private readonly itemErrors;
  private readonly skipped;
  private readonly durations;
  private readonly lastRun;
  private readonly running;

  constructor(
    private readonly registry: JobRegistry,
    private readonly scheduler: SchedulerRegistry,
    private readonly status: JobStatusService,
    private readonly limiter: RateLimiter,
    metrics: MetricsService,
    @Inject(JOBS_SETTINGS) private readonly settings: JobsSettings,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.runs = metrics.counter('gateway_job_runs_total', 'Job ticks run on this replica, by job, trigger and outcome (ok, partial, failed)', [
      'job',
      'trigger',
      'outcome',
    ]);
    this.processedItems = metrics.counter('gateway_job_processed_total', 'Items processed by job ticks on this replica', ['job']);
    this.itemErrors = metrics.counter('gateway_job_errors_total', 'Items that failed in job ticks, plus ticks that threw, on this replica', ['job']);
    this.skipped = metrics.counter('gateway_job_skipped_ticks_total', 'Scheduled ticks skipped because the previous tick of the job was still running', [
      'job',
    ]);
    this.durations = metrics.histogram('gateway_job_duration_seconds', 'Duration of job ticks on this replica', ['job']);
    this.lastRun = metrics.gauge('gateway_job_last_run_timestamp_seconds', 'When the last tick of the job finished on this replica (Unix time)', ['job']);
    this.running = metrics.gauge('gateway_job_running', '1 while a tick of the job runs on this replica', ['job']);
    const enabled = metrics.gauge('gateway_job_enabled', '1 when the job is scheduled on this replica', ['job']);
    const interval = metrics.gauge('gateway_job_interval_seconds', 'Configured interval of the job on this replica', ['job']);
    const limiterInFlight = metrics.gauge('gateway_netzme_limiter_in_flight', 'Netzme calls from jobs in flight now (ctx.limit)');
    const limiterQueued = metrics.gauge('gateway_netzme_limiter_queued', 'Netzme calls from jobs waiting for the concurrency or rate limit');
    const limiterWaited = metrics.counter('gateway_netzme_limiter_waited_total', 'Netzme calls from jobs that had to wait for the limiter');
    let waitedSeen = 0;
    metrics.addCollector(() => {
      for (const state of this.states.values()) {
        enabled.set({ job: state.job.name }, state.settings.enabled ? 1 : 0);
        interval.set({ job: state.job.name }, state.settings.intervalMs / 1000);
        this.running.set({ job: state.job.name }, state.current ? 1 : 0);
      }
      const stats = this.limiter.stats();
      limiterInFlight.set({}, stats.inFlight);
      limiterQueued.set({}, stats.queued);
      limiterWaited.inc({}, stats.waitedTotal - waitedSeen);
      waitedSeen = stats.waitedTotal;
    });
  }

  get replicaId(): string {
    return this.settings.replicaId;
  }

  async onApplicationBootstrap(): Promise<void> {
    // Settings first, for every job: a bad JOB_*_INTERVAL_MS stops the boot, naming the variable.
    for (const job of this.registry.list()) {
      this.states.set(job.name, { job, settings: loadJobSettings(job, this.config.raw, this.settings) });
    }
    for (const problem of unknownJobSettings(this.config.raw, this.settings, [...this.states.keys()])) {
      this.logger.warn(problem);
    }
    await this.status.announce(
      [...this.states.values()].map(({ job, settings }) => ({
        jobName: job.name,
        replicaId: this.replicaId,
        enabled: settings.enabled,
        intervalMs: settings.intervalMs,
        batchSize: settings.batchSize,
      })),
    );
    const scheduled: string[] = [];
    for (const state of this.states.values()) {
      if (state.settings.enabled) {
        this.schedule(state);
        scheduled.push(`${state.job.name} every ${state.settings.intervalMs} ms`);
      }
    }
    this.logger.log(
      scheduled.length > 0
        ? `replica ${this.replicaId} schedules: ${scheduled.join(', ')}`
        : `replica ${this.replicaId} schedules no jobs (${this.settings.enabled ? 'all listed in JOBS_DISABLED' : 'JOBS_ENABLED=false'}); POST /jobs/:name/run still runs one tick`,
    );
  }

  /** Stop scheduling, ask running ticks to stop claiming, and wait (bounded) for them to finish. */
  async beforeApplicationShutdown(): Promise<void> {
    for (const name of this.timers) {
      if (this.scheduler.doesExist('interval', name)) this.scheduler.deleteInterval(name);
      if (this.scheduler.doesExist('timeout', name)) this.scheduler.deleteTimeout(name);
    }
    this.shutdown.abort();
    const running = [...this.states.values()].map((s) => s.current).filter((p): p is Promise<TickReport> => p !== undefined);
    if (running.length === 0) {
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.settings.shutdownGraceMs);
    });
    const outcome = await Promise.race([Promise.allSettled(running).then(() => 'done' as const), graceOver]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.logger.warn(
        `shutting down with ${running.length} job tick(s) still running after ${this.settings.shutdownGraceMs} ms; their claimed items become due again when the lease ends`,
      );
    }
  }

  list(): JobView[] {
    return [...this.states.values()].map((s) => ({ job: s.job, settings: s.settings, running: s.current !== undefined }));
  }

  has(name: string): boolean {
    return this.states.has(name);
  }

  /**
   * Run one tick now (POST /jobs/:name/run), whether or not the job is scheduled here. If a tick of
   * the job is running in this process, this waits for it and then runs a fresh one.
   */
  async runNow(name: string): Promise<TickReport> {
    const state = this.states.get(name);
    if (!state) {
      throw new Error(`no job named "${name}"`);
    }
    while (state.current) {
      await state.current.catch(() => undefined);
    }
    return this.tick(state, 'manual');
  }

  private schedule(state: JobState): void {
    const name = `job:${state.job.name}`;
    const onTimer = () => {
      if (state.current) {
        // The previous tick is still running: skip rather than pile up.
        this.skipped.inc({ job: state.job.name });
        return;
      }
      void this.tick(state, 'schedule');
    };
    const firstDelay = Math.floor(Math.random() * Math.min(state.settings.intervalMs, MAX_FIRST_TICK_DELAY_MS));
    const first = setTimeout(() => {
      if (this.scheduler.doesExist('timeout', name)) this.scheduler.deleteTimeout(name);
      onTimer();
      this.scheduler.addInterval(name, setInterval(onTimer, state.settings.intervalMs));
    }, firstDelay);
    this.scheduler.addTimeout(name, first);
    this.timers.push(name);
  }

  private tick(state: JobState, trigger: TickTrigger): Promise<TickReport> {
    const run = this.execute(state, trigger);
    state.current = run;
    void run.finally(() => {
      if (state.current === run) state.current = undefined;
    });
    return run;
  }

  private async execute(state: JobState, trigger: TickTrigger): Promise<TickReport> {
    const { job, settings } = state;
    const startedAt = new Date();
    const started = performance.now();
    await this.status
      .started(job.name, this.replicaId, startedAt)
      .catch((error: unknown) => this.logger.warn(`could not record the start of ${job.name}: ${describeError(error)}`));

    const context: JobContext = {
      limit: (fn) => this.limiter.run(fn),
      batchSize: settings.batchSize,
      jobName: job.name,
      replicaId: this.replicaId,
      signal: this.shutdown.signal,
    };
    let report: TickReport;
    try {
      const result = await job.run(context);
      const processed = count(result?.processed);
      const errors = count(result?.errors);
      report = {
        job: job.name,
        replicaId: this.replicaId,
        trigger,
        startedAt,
        durationMs: 0,
        processed,
        errors,
        outcome: errors > 0 ? 'partial' : 'ok',
        details: result?.details,
      };
    } catch (error) {
      report = {
        job: job.name,
        replicaId: this.replicaId,
        trigger,
        startedAt,
        durationMs: 0,
        processed: 0,
        errors: 1,
        outcome: 'failed',
        error: describeError(error),
      };
    }
    report.durationMs = Math.round(performance.now() - started);

    await this.status
      .finished(job.name, this.replicaId, report)
      .catch((error: unknown) => this.logger.warn(`could not record the run of ${job.name}: ${describeError(error)}`));
    this.runs.inc({ job: job.name, trigger, outcome: report.outcome });
    this.processedItems.inc({ job: job.name }, report.processed);
    this.itemErrors.inc({ job: job.name }, report.errors);
    this.durations.observe({ job: job.name }, report.durationMs / 1000);
    this.lastRun.set({ job: job.name }, Math.floor(Date.now() / 1000));

    const summary = `${job.name} (${trigger}) processed ${report.processed}, errors ${report.errors} in ${report.durationMs} ms`;
    if (report.outcome === 'failed') {
      this.logger.error(`${job.name} (${trigger}) failed after ${report.durationMs} ms: ${report.error}`);
    } else if (report.outcome === 'partial') {
      this.logger.warn(summary);
    } else if (report.processed > 0) {
      this.logger.log(summary);
    } else {
      this.logger.debug(summary);
    }
    return report;
  }
}
