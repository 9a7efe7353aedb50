import { Module, OnModuleInit } from '@nestjs/common';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway.settings';
import { JobRegistry } from '../jobs/job-registry';
import { INVOICE_SETTINGS, loadInvoiceSettings } from './invoice.settings';
import { OrderPaymentsService } from './order-payments.service';
import { InvoiceRepository } from './invoice.repository';
import { OrderSyncService } from './order-sync.service';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';
import { InvoicesService } from './invoices.service';

/**
 * Netzme invoice transactions (QRIS and other pay methods) for every purpose: checkout orders
 * (/orders) and deposit top-ups (created through InvoicesService by the deposit module). One
 * creator, one state machine, one payment-callback entry point (OrderSyncService.confirmPaymentNotification)
 * and one poller, the `order-status-poll` job. Other modules import from ./index.ts only.
 */
@Module({
  controllers: [OrdersController],
  providers: [
    { provide: INVOICE_SETTINGS, inject: [GATEWAY_CONFIG], useFactory: (config: GatewayConfig) => loadInvoiceSettings(config.raw) },
    InvoiceRepository,
    OrderPaymentsService,
    OrderSyncService,
    InvoicesService,
    OrdersService,
  ],
  exports: [OrderPaymentsService, OrderSyncService, InvoicesService, OrdersService],
})
export class InvoiceModule implements OnModuleInit {
  constructor(
    private readonly jobs: JobRegistry,
    private readonly sync: OrderSyncService,
  ) {}

  onModuleInit(): void {
    this.jobs.register({
      name: 'order-status-poll',
      description:
        'Brings open invoices (checkout orders and deposit top-ups) forward: re-sends Create Invoice Transaction with the same reference for UNKNOWN orders, asks Get Invoice Transaction for PENDING ones (soon after creation, then less often), and marks EXPIRED after a final check past expiry.',
      defaultIntervalMs: 2000,
      defaultBatchSize: 50,
      run: (ctx) => this.sync.pollDue(ctx),
    });
  }
}
