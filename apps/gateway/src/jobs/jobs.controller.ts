import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/auth.decorators';
import { NotFoundError } from '../http/app-error';
import { JobStatusService } from './job-status.service';
import { JobDto, JobListDto, TickReportDto } from './jobs.dto';
import { JobsRunner } from './jobs-runner';
import { JobsErrorCode } from './jobs-errors';

const NOT_FOUND_EXAMPLE = {
  statusCode: 404,
  error: 'NOT_FOUND',
  code: JobsErrorCode.JOB_NOT_FOUND,
  message: 'No job named "order-poll"; known jobs: order-status-poll, daily-reconciliation',
  requestId: 'b0e7c1d2-…',
};

@ApiTags('Jobs')
@AdminOnly()
@Controller('jobs')
export class JobsController {
  constructor(
    private readonly runner: JobsRunner,
    private readonly status: JobStatusService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Background jobs and their last runs on every replica',
    description:
      'Every registered job with its settings on the replica that answered (`here`) and the run record of each replica that registered it ' +
      '(last start and finish, duration, items processed, item errors, outcome, last error, totals). Records live in Postgres, so any replica shows all of them. ' +
      'A replica whose `seenAt` is far older than its interval is probably gone; its rows are forgotten after 7 days.',
  })
  @ApiOkResponse({
    type: JobListDto,
    example: {
      replicaId: 'gateway-a',
      jobs: [
        {
          name: 'order-status-poll',
          description: 'Refresh pending orders from Netzme',
          here: { enabled: true, intervalMs: 5000, batchSize: 100, running: false },
          replicas: [
            {
              replicaId: 'gateway-a',
              enabled: true,
              intervalMs: 5000,
              batchSize: 100,
              running: false,
              lastStartedAt: '2026-11-21T03:00:05.120Z',
              lastFinishedAt: '2026-11-21T03:00:05.342Z',
              lastDurationMs: 222,
              lastProcessed: 12,
              lastErrors: 0,
              lastOutcome: 'ok',
              lastError: null,
              lastErrorAt: null,
              runsTotal: 1440,
              failuresTotal: 0,
              processedTotal: 5321,
              errorsTotal: 0,
              seenAt: '2026-11-21T03:00:05.342Z',
            },
          ],
        },
      ],
    },
  })
  async list(): Promise<JobListDto> {
    const rows = await this.status.list();
    const views = new Map(this.runner.list().map((view) => [view.job.name, view]));
    const names = [...new Set([...views.keys(), ...rows.map((row) => row.jobName)])].sort();
    return {
      replicaId: this.runner.replicaId,
      jobs: names.map((name) =>
        JobDto.from(
          name,
          views.get(name),
          rows.filter((row) => row.jobName === name),
        ),
      ),
    };
  }

  @Post(':name/run')
  @HttpCode(200)
  @ApiParam({ name: 'name', example: 'order-status-poll', description: 'Job name as listed by GET /jobs' })
  @ApiOperation({
    summary: 'Run one tick of a job now, on this replica',
    description:
      'Runs one tick immediately and answers with what it did, even where the job is not scheduled (JOBS_ENABLED=false or JOBS_DISABLED). ' +
      'If a tick of the job is already running on this replica, the call waits for it and then runs a fresh one. ' +
      'A tick that throws is still a 200, with `outcome: "failed"` and the error; the failure is recorded like a scheduled one. ' +
      "Ticks on other replicas may run at the same time: the job's own claim keeps items from being processed twice.",
  })
  @ApiOkResponse({
    type: TickReportDto,
    example: {
      job: 'order-status-poll',
      replicaId: 'gateway-a',
      trigger: 'manual',
      startedAt: '2026-11-21T03:00:05.120Z',
      durationMs: 222,
      processed: 12,
      errors: 0,
      outcome: 'ok',
    },
  })
  @ApiNotFoundResponse({ description: 'No job with that name is registered on this replica', schema: { example: NOT_FOUND_EXAMPLE } })
  async run(@Param('name') name: string): Promise<TickReportDto> {
    if (!this.runner.has(name)) {
      const known = this.runner.list().map((view) => view.job.name);
      throw new NotFoundError(JobsErrorCode.JOB_NOT_FOUND, `No job named "${name.slice(0, 100)}"; known jobs: ${known.join(', ') || 'none'}`);
    }
    return TickReportDto.from(await this.runner.runNow(name));
  }
}
