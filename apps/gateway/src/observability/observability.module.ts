import { Module } from '@nestjs/common';
import { BacklogMetrics } from './backlog-metrics';

/**
 * What an on-call engineer reads: the backlog gauges here; the HTTP metrics and access log are
 * Fastify hooks (http-observer.ts, registered in app.factory.ts); the Netzme call metrics wrap the
 * client's call log (netzme-metrics.ts, in NetzmeModule); the registry is JobsModule's MetricsService.
 */
@Module({ providers: [BacklogMetrics] })
export class ObservabilityModule {}
