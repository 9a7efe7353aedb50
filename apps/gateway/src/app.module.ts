import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CallbackModule } from './callback/callback.module';
import { HttpErrorsModule } from './http/http-errors.module';
import { GatewayConfigModule } from './config/config.module';
import type { RawEnv } from './config/env-validation';
import { DatabaseModule } from './database/database.module';
import { DepositModule } from './deposit/deposit.module';
import { HealthModule } from './health/health.module';
import { InvoiceModule } from './invoice/invoice.module';
import { JobsModule } from './jobs/jobs.module';
import { NetzmeModule } from './netzme/netzme.module';
import { ObservabilityModule } from './observability/observability.module';
import { ReconciliationModule } from './reconciliation/reconciliation.module';
import { WithdrawalModule } from './withdrawal/withdrawal.module';

export interface AppModuleOptions {
  /** Explicit environment (tests); otherwise process.env and `.env`. */
  env?: RawEnv;
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        GatewayConfigModule.forRoot({ env: options.env }),
        HttpErrorsModule,
        DatabaseModule,
        ScheduleModule.forRoot(),
        AuthModule,
        AuditModule,
        HealthModule,
        ObservabilityModule,
        JobsModule,
        NetzmeModule,
        InvoiceModule,
        CallbackModule,
        WithdrawalModule,
        DepositModule,
        ReconciliationModule,
      ],
    };
  }
}
