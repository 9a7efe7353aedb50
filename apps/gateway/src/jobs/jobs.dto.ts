import { ApiExtraModels, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { JobStatus } from './job-status.entity';
import type { JobView, TickReport } from './jobs-runner';
import { nullableModel } from '../http/openapi';

/** The run record of a job on one replica (a row of job_status). */
export class JobReplicaStatusDto {
  @ApiProperty({ example: 'gateway-7f9c4-1' }) replicaId: string;
  @ApiProperty({ description: 'Scheduled on that replica', example: true }) enabled: boolean;
  @ApiProperty({ example: 5000 }) intervalMs: number;
  @ApiProperty({ example: 100 }) batchSize: number;
  @ApiProperty({ description: 'A tick is running now', example: false }) running: boolean;
  @ApiPropertyOptional({ type: String, nullable: true, example: '2026-11-21T03:00:05.120Z' }) lastStartedAt: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '2026-11-21T03:00:05.342Z' }) lastFinishedAt: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true, example: 222 }) lastDurationMs: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Items processed by the last tick', example: 12 }) lastProcessed: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Items that failed in the last tick', example: 0 }) lastErrors: number | null;
  @ApiPropertyOptional({ nullable: true, enum: ['ok', 'partial', 'failed'], example: 'ok' }) lastOutcome: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Most recent error message (kept until the next error)',
    example: 'NetzmeError: timeout after 15000 ms',
  })
  lastError: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '2026-11-20T22:14:00.000Z' }) lastErrorAt: string | null;
  @ApiProperty({ description: 'Ticks run since the row was created', example: 1440 }) runsTotal: number;
  @ApiProperty({ description: 'Ticks that threw', example: 2 }) failuresTotal: number;
  @ApiProperty({ example: 5321 }) processedTotal: number;
  @ApiProperty({ example: 7 }) errorsTotal: number;
  @ApiProperty({ description: 'Last time that replica wrote the row (start-up or tick)', example: '2026-11-21T03:00:05.342Z' }) seenAt: string;

  static from(row: JobStatus): JobReplicaStatusDto {
    const iso = (d: Date | null) => (d ? d.toISOString() : null);
    return {
      replicaId: row.replicaId,
      enabled: row.enabled,
      intervalMs: row.intervalMs,
      batchSize: row.batchSize,
      running: row.running,
      lastStartedAt: iso(row.lastStartedAt),
      lastFinishedAt: iso(row.lastFinishedAt),
      lastDurationMs: row.lastDurationMs,
      lastProcessed: row.lastProcessed,
      lastErrors: row.lastErrors,
      lastOutcome: row.lastOutcome,
      lastError: row.lastError,
      lastErrorAt: iso(row.lastErrorAt),
      runsTotal: Number(row.runsTotal),
      failuresTotal: Number(row.failuresTotal),
      processedTotal: Number(row.processedTotal),
      errorsTotal: Number(row.errorsTotal),
      seenAt: row.seenAt.toISOString(),
    };
  }
}

export class JobHereDto {
  @ApiProperty({ description: 'Scheduled on the replica that answered', example: true }) enabled: boolean;
  @ApiProperty({ example: 5000 }) intervalMs: number;
  @ApiProperty({ example: 100 }) batchSize: number;
  @ApiProperty({ example: false }) running: boolean;
}

@ApiExtraModels(JobHereDto)
export class JobDto {
  @ApiProperty({ example: 'order-status-poll' }) name: string;
  @ApiProperty({ example: 'Refresh pending and unknown-outcome orders from Netzme until they are paid, expired or failed' }) description: string;
  @ApiPropertyOptional(nullableModel(JobHereDto, 'Settings on the replica that answered; null if the job is not registered there')) here: JobHereDto | null;
  @ApiProperty({ type: [JobReplicaStatusDto], description: 'Run records of every replica that registered the job' }) replicas: JobReplicaStatusDto[];

  static from(name: string, view: JobView | undefined, rows: JobStatus[]): JobDto {
    return {
      name,
      description: view?.job.description ?? '',
      here: view ? { enabled: view.settings.enabled, intervalMs: view.settings.intervalMs, batchSize: view.settings.batchSize, running: view.running } : null,
      replicas: rows.map((row) => JobReplicaStatusDto.from(row)),
    };
  }
}

export class JobListDto {
  @ApiProperty({ description: 'The replica that answered', example: 'gateway-7f9c4-1' }) replicaId: string;
  @ApiProperty({ type: [JobDto] }) jobs: JobDto[];
}

export class TickReportDto {
  @ApiProperty({ example: 'order-status-poll' }) job: string;
  @ApiProperty({ example: 'gateway-7f9c4-1' }) replicaId: string;
  @ApiProperty({ enum: ['schedule', 'manual'], example: 'manual' }) trigger: string;
  @ApiProperty({ example: '2026-11-21T03:00:05.120Z' }) startedAt: string;
  @ApiProperty({ example: 222 }) durationMs: number;
  @ApiProperty({ example: 12 }) processed: number;
  @ApiProperty({ example: 0 }) errors: number;
  @ApiProperty({ enum: ['ok', 'partial', 'failed'], description: 'partial: some items failed (they stay due); failed: the tick threw', example: 'ok' })
  outcome: string;
  @ApiPropertyOptional({ example: 'NetzmeError: timeout after 15000 ms' }) error?: string;
  @ApiPropertyOptional({ description: 'Job-specific details', example: { paid: 3, expired: 1 } }) details?: Record<string, unknown>;

  static from(report: TickReport): TickReportDto {
    return { ...report, startedAt: report.startedAt.toISOString() };
  }
}
