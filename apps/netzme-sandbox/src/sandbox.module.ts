import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AccessTokenController } from './auth/access-token.controller';
import { SignatureHelpersController } from './auth/signature-helpers.controller';
import { ClientsService } from './auth/clients.service';
import { TokensService } from './auth/tokens.service';
import { TransactionalAuthGuard } from './auth/transactional-auth.guard';
import { CallbacksService } from './callbacks/callbacks.service';
import { SandboxExceptionFilter } from './common/exception.filter';
import { RuntimeInfoService } from './common/runtime-info.service';
import { TimersService } from './common/timers.service';
import { SANDBOX_OPTIONS, type ResolvedSandboxOptions } from './config/sandbox-options';
import { ConsumerQrisService } from './consumer/consumer-qris.service';
import { ConsumerController } from './consumer/consumer.controller';
import { ConsumerService } from './consumer/consumer.service';
import { ControlController } from './control/control.controller';
import { ConsumerControlController } from './control/consumer-control.controller';
import { PayPageController } from './control/pay-page.controller';
import { DepositLedgerService } from './deposit/deposit-ledger.service';
import { DepositController } from './deposit/deposit.controller';
import { DepositService } from './deposit/deposit.service';
import { FaultsInterceptor } from './faults/faults.interceptor';
import { FaultsService } from './faults/faults.service';
import { InvoicesController } from './invoices/invoices.controller';
import { InvoiceStore } from './invoices/invoice-store';
import { InvoicesService } from './invoices/invoices.service';
import { MerchantsController } from './merchants/merchants.controller';
import { MerchantsService } from './merchants/merchants.service';
import { PersistenceService } from './state/persistence.service';
import { StateService } from './state/state.service';
import { StatsService } from './state/stats.service';
import { WithdrawalsController } from './withdrawals/withdrawals.controller';
import { WithdrawalsService } from './withdrawals/withdrawals.service';

/** The whole simulator: Netzme's API (auth/, merchants/, invoices/, withdrawals/, deposit/, consumer/) plus control/. */
@Module({})
export class SandboxModule {
  static register(options: ResolvedSandboxOptions): DynamicModule {
    return {
      module: SandboxModule,
      controllers: [
        AccessTokenController,
        SignatureHelpersController,
        MerchantsController,
        InvoicesController,
        WithdrawalsController,
        DepositController,
        ConsumerController,
        ControlController,
        ConsumerControlController,
        PayPageController,
      ],
      providers: [
        { provide: SANDBOX_OPTIONS, useValue: options },
        { provide: APP_FILTER, useClass: SandboxExceptionFilter },
        TimersService,
        RuntimeInfoService,
        ClientsService,
        TokensService,
        TransactionalAuthGuard,
        FaultsService,
        FaultsInterceptor,
        CallbacksService,
        MerchantsService,
        InvoiceStore,
        InvoicesService,
        DepositLedgerService,
        DepositService,
        WithdrawalsService,
        ConsumerService,
        ConsumerQrisService,
        StatsService,
        StateService,
        PersistenceService,
      ],
    };
  }
}
