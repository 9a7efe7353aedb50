import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway.settings';
import { InvoiceModule } from '../invoice';
import { PayoutModule } from '../payout';
import { DepositSplitFee } from './deposit-split-fee.entity';
import { DepositSplitFeesService } from './deposit-split-fees.service';
import { DepositTopupsService } from './deposit-topups.service';
import { DepositController } from './deposit.controller';
import { DepositWithdrawalsController } from './deposit-withdrawals.controller';
import { DepositRepository } from './deposit.repository';
import { DEPOSIT_SETTINGS, loadDepositSettings } from './deposit.settings';
import { DepositService } from './deposit.service';

/**
 * The prepaid deposit: balance, history, top-ups, split fees, and deposit withdrawals on the shared
 * payout engine (the payout module's PayoutEngine, kind DEPOSIT). Top-ups are invoices of the invoice
 * module (purpose DEPOSIT_TOPUP); this module validates them and shows them under /deposit/topups.
 * Exports DepositService for the callback module (applyWithdrawalNotification).
 */
@Module({
  imports: [PayoutModule, InvoiceModule, TypeOrmModule.forFeature([DepositSplitFee])],
  controllers: [DepositController, DepositWithdrawalsController],
  providers: [
    { provide: DEPOSIT_SETTINGS, inject: [GATEWAY_CONFIG], useFactory: (config: GatewayConfig) => loadDepositSettings(config.raw, config.netzme.timeoutMs) },
    DepositRepository,
    DepositTopupsService,
    DepositSplitFeesService,
    DepositService,
  ],
  exports: [DepositService],
})
export class DepositModule {}
