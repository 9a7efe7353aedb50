import { Module } from '@nestjs/common';
import { HttpModule, HttpService } from '@nestjs/axios';
import { axiosSender, NetzmeClientModule, nestNetzmeLogger } from '@app/netzme-client';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway.settings';
import { MetricsService } from '../observability/metrics.service';
import { withNetzmeMetrics } from '../observability/netzme-metrics';
import { PostgresTokenStore } from './postgres-token-store';

/**
 * The one NetzmeClient of the gateway (global), configured from settings, with its access token
 * shared across replicas through Postgres. Feature modules inject `NetzmeClient`.
 * NETZME_HTTP_TRANSPORT=axios sends its calls through @nestjs/axios' HttpService (the choice is a
 * runtime setting, so the sender is picked here rather than with the module's static `transport`).
 */
@Module({
  imports: [
    NetzmeClientModule.forRootAsync({
      global: true,
      imports: [HttpModule],
      inject: [GATEWAY_CONFIG, getDataSourceToken(), MetricsService, HttpService],
      useFactory: (config: GatewayConfig, dataSource: DataSource, metrics: MetricsService, http: HttpService) => ({
        baseUrl: config.netzme.baseUrl,
        clientId: config.netzme.clientId,
        clientSecret: config.netzme.clientSecret,
        privateKey: config.netzme.privateKey,
        merchantId: config.netzme.merchantId,
        channelId: config.netzme.channelId,
        timeoutMs: config.netzme.timeoutMs,
        http: config.netzme.httpTransport === 'axios' ? axiosSender(http) : undefined,
        tokenStore: new PostgresTokenStore(dataSource),
        // Each call's log entry also feeds gateway_netzme_calls_total and its latency histogram.
        logger: withNetzmeMetrics(metrics, nestNetzmeLogger()),
      }),
    }),
  ],
})
export class NetzmeModule {}
