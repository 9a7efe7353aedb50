import { Global, Module } from '@nestjs/common';
import { BacklogMetrics } from './backlog-metrics';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/**
 * What an on-call engineer reads: the metrics registry (MetricsService, `GET /metrics`), global so
 * that every module adds its series through it; the backlog gauges; the HTTP metrics and access log
 * are Fastify hooks (http-observer.ts, registered in app.factory.ts); the Netzme call metrics wrap
 * the client's call log (netzme-metrics.ts, in NetzmeModule).
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, BacklogMetrics],
  exports: [MetricsService],
})
export class ObservabilityModule {}
