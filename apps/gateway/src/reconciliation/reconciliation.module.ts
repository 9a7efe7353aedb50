import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway.settings';
import { InvoiceModule } from '../invoice/invoice.module';
import { JobRegistry } from '../jobs/job-registry';
import { PayoutModule } from '../payout';
import { NetzmeBooksService } from './netzme-books.service';
import { OurBooksService } from './our-books.service';
import { ReconciliationItem } from './reconciliation-item.entity';
import { ReconciliationRun } from './reconciliation-run.entity';
import { ReconciliationController } from './reconciliation.controller';
import { ReconciliationRepository } from './reconciliation.repository';
import { DAILY_RECONCILIATION_JOB, ReconciliationService } from './reconciliation.service';
import { loadReconciliationSettings, RECONCILIATION_SETTINGS } from './reconciliation.settings';

/**
 * Daily reconciliation of our books with Netzme's (reports, routes, the `daily-reconciliation`
 * job). Reads our side through the owning modules' services only.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ReconciliationRun, ReconciliationItem]), InvoiceModule, PayoutModule],
  controllers: [ReconciliationController],
  providers: [
    { provide: RECONCILIATION_SETTINGS, inject: [GATEWAY_CONFIG], useFactory: (config: GatewayConfig) => loadReconciliationSettings(config.raw) },
    OurBooksService,
    NetzmeBooksService,
    ReconciliationRepository,
    ReconciliationService,
  ],
  exports: [ReconciliationService],
})
export class ReconciliationModule implements OnModuleInit {
  constructor(
    private readonly jobs: JobRegistry,
    private readonly reconciliation: ReconciliationService,
  ) {}

  onModuleInit(): void {
    this.jobs.register({
      name: DAILY_RECONCILIATION_JOB,
      description:
        "Once a day, after RECONCILIATION_RUN_AFTER_MINUTES past midnight (Jakarta), compares yesterday's paid orders, withdrawals and deposit withdrawals with Netzme's lists and stores the report; one replica claims each day, failed runs are retried.",
      // Only checks whether yesterday's report is due and unclaimed: cheap, so every few minutes.
      defaultIntervalMs: 5 * 60_000,
      defaultBatchSize: 1,
      run: (ctx) => this.reconciliation.dailyTick(ctx),
    });
  }
}
