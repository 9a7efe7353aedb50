import { Module, OnModuleInit } from '@nestjs/common';
import { GATEWAY_CONFIG } from '../config/config.module';
import { ErrorFormats } from '../http/error-formats';
import type { GatewayConfig } from '../config/gateway.settings';
import { DepositModule } from '../deposit';
import { InvoiceModule } from '../invoice';
import { JobRegistry } from '../jobs/job-registry';
import { WithdrawalModule } from '../withdrawal';
import { CallbackAuthService } from './callback-auth.service';
import { CallbackRepository } from './callback.repository';
import { CallbackOwnersService } from './callback-owners.service';
import { CallbackProcessorService } from './callback-processor.service';
import { CALLBACK_SETTINGS, loadCallbackSettings } from './callback.settings';
import { CallbacksAdminController } from './callbacks-admin.controller';
import { CallbacksService } from './callbacks.service';
import { NetzmeCallbacksController } from './netzme-callbacks.controller';
import { netzmeErrorAnswer } from './netzme-callback.exception';

/**
 * Everything Netzme POSTs to us: verify, record once, apply once through the owning module
 * (orders via the invoice module; withdrawals and deposit through their services), plus the admin
 * view of the inbox and the `callback-reapply` job.
 */
@Module({
  imports: [InvoiceModule, WithdrawalModule, DepositModule],
  controllers: [NetzmeCallbacksController, CallbacksAdminController],
  providers: [
    { provide: CALLBACK_SETTINGS, inject: [GATEWAY_CONFIG], useFactory: (config: GatewayConfig) => loadCallbackSettings(config.raw) },
    CallbackAuthService,
    CallbackRepository,
    CallbackOwnersService,
    CallbackProcessorService,
    CallbacksService,
  ],
})
export class CallbackModule implements OnModuleInit {
  constructor(
    private readonly jobs: JobRegistry,
    private readonly callbacks: CallbacksService,
    private readonly errorFormats: ErrorFormats,
  ) {}

  onModuleInit(): void {
    this.jobs.register({
      name: 'callback-reapply',
      description:
        'Finishes stored Netzme callbacks whose apply step failed (database trouble), whose applier died mid-way, or whose owning module was not available yet.',
      defaultIntervalMs: 5000,
      defaultBatchSize: 100,
      run: (ctx) => this.callbacks.reapplyDue(ctx),
    });
    // Every error on the callback routes, including those raised before a route runs (malformed
    // JSON, a body too large, another content type), is answered in Netzme's format.
    this.errorFormats.register('/callbacks/netzme', netzmeErrorAnswer);
  }
}
