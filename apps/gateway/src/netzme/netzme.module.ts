import { Module } from '@nestjs/common';
import { NetzmeClientModule, nestNetzmeLogger } from '@app/netzme-client';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway.config';
import { MetricsService } from '../jobs/metrics.service';
import { withNetzmeMetrics } from '../observability/netzme-metrics';
import { PostgresTokenStore } from './postgres-token-store';

/**
 * The one NetzmeClient of the gateway (global), configured from settings, with its access token
 * shared across replicas through Postgres. Feature modules inject `NetzmeClient`.
 */
@Module({
  imports: [
    NetzmeClientModule.forRootAsync({
      global: true,
      inject: [GATEWAY_CONFIG, getDataSourceToken(), MetricsService],
      useFactory: (config: GatewayConfig, dataSource: DataSource, metrics: MetricsService) => ({
        baseUrl: config.netzme.baseUrl,
        clientId: config.netzme.clientId,
        clientSecret: config.netzme.clientSecret,
        privateKey: config.netzme.privateKey,
        merchantId: config.netzme.merchantId,
        channelId: config.netzme.channelId,
        timeoutMs: config.netzme.timeoutMs,
        tokenStore: new PostgresTokenStore(dataSource),
        // Each call's log entry also feeds gateway_netzme_calls_total and its latency histogram.
        logger: withNetzmeMetrics(metrics, nestNetzmeLogger()),
      }),
    }),
  ],
})
export class NetzmeModule {}
