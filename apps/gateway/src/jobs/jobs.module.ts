import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway.settings';
import { JobRegistry } from './job-registry';
import { JobStatus } from './job-status.entity';
import { JobStatusService } from './job-status.service';
import { JobsController } from './jobs.controller';
import { JOBS_SETTINGS, JobsRunner } from './jobs-runner';
import { JobsSettings, loadJobsSettings } from './jobs.settings';
import { RateLimiter } from './rate-limiter';

/**
 * Background jobs. The registry is global so any feature module can register its jobs (in
 * onModuleInit); the runner schedules them at application bootstrap. Also exported: the metrics
 * registry (GET /metrics) and the Netzme rate limiter that ctx.limit uses.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([JobStatus])],
  controllers: [JobsController],
  providers: [
    JobRegistry,
    JobStatusService,
    JobsRunner,
    {
      provide: JOBS_SETTINGS,
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig): JobsSettings => loadJobsSettings(config.raw),
    },
    {
      provide: RateLimiter,
      inject: [JOBS_SETTINGS],
      useFactory: (settings: JobsSettings) => new RateLimiter({ maxConcurrency: settings.netzmeMaxConcurrency, maxRps: settings.netzmeMaxRps }),
    },
  ],
  exports: [JobRegistry, RateLimiter, JobsRunner],
})
export class JobsModule {}
