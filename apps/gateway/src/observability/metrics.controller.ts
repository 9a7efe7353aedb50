import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AdminOnly } from '../auth/auth.decorators';
import { MetricsService } from './metrics.service';

/**
 * Prometheus scrape target. Admin-only like every route that is not marked otherwise: the numbers
 * say how busy the merchant is. Prometheus sends the key with `authorization: { credentials: <admin key> }`
 * (docs/operations.md).
 */
@ApiTags('System')
@AdminOnly()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/plain')
  @ApiOperation({
    summary: 'Prometheus metrics of this replica',
    description:
      'Text exposition format (prom-client). Per replica (scrape every replica and sum): ' +
      '`gateway_http_requests_total{method,route,status}` and `gateway_http_request_duration_seconds` (histogram), ' +
      '`gateway_netzme_calls_total{endpoint,outcome}` (outcome success, failure or unknown) and `gateway_netzme_call_duration_seconds` (histogram), ' +
      '`gateway_order_transitions_total{from,to}`, `gateway_withdrawal_transitions_total{kind,from,to}`, `gateway_callbacks_received_total{kind,result}`, ' +
      'the backlog read from Postgres (`gateway_orders_open`, `gateway_orders_oldest_open_age_seconds`, `gateway_withdrawals_open`, `gateway_withdrawals_oldest_open_age_seconds`, `gateway_callbacks_unresolved`), ' +
      'the standard process metrics (`process_*`, `nodejs_*`), `gateway_job_runs_total{job,trigger,outcome}`, `gateway_job_processed_total{job}`, ' +
      '`gateway_job_errors_total{job}`, `gateway_job_skipped_ticks_total{job}`, `gateway_job_duration_seconds` (histogram), `gateway_job_last_run_timestamp_seconds{job}`, ' +
      '`gateway_job_running{job}`, `gateway_job_enabled{job}`, `gateway_job_interval_seconds{job}`, `gateway_netzme_limiter_in_flight`, `gateway_netzme_limiter_queued`, ' +
      '`gateway_netzme_limiter_waited_total`, and the reconciliation series. Needs an admin key.',
  })
  @ApiOkResponse({
    description: 'Prometheus text format',
    content: {
      'text/plain': {
        example:
          '# HELP gateway_job_runs_total Job ticks run on this replica\n# TYPE gateway_job_runs_total counter\ngateway_job_runs_total{job="order-status-poll",trigger="schedule",outcome="ok"} 1440\n',
      },
    },
  })
  render(): Promise<string> {
    return this.metrics.render();
  }
}
