import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway.config';
import { InvoiceModule } from '../invoice';
import { WithdrawalModule } from '../withdrawal/withdrawal.module';
import { DepositPayoutRail } from './deposit-payout.rail';
import { DepositSplitFee } from './deposit-split-fee.entity';
import { DepositSplitFeesService } from './deposit-split-fees.service';
import { DepositTopupsService } from './deposit-topups.service';
import { DepositController } from './deposit.controller';
import { DEPOSIT_SETTINGS, loadDepositSettings } from './deposit.settings';
import { DepositService } from './deposit.service';

/**
 * The prepaid deposit: balance, history, top-ups, and deposit withdrawals on the shared payout
 * engine (WithdrawalModule's PayoutEngine with this module's rail). Exports DepositService for the
 * callback module (applyWithdrawalNotification). Top-ups are invoices of the invoice module (purpose
 * DEPOSIT_TOPUP); this module validates them and shows them under /deposit/topups.
 */
@Module({
  imports: [WithdrawalModule, InvoiceModule, TypeOrmModule.forFeature([DepositSplitFee])],
  controllers: [DepositController],
  providers: [{ provide: DEPOSIT_SETTINGS, inject: [GATEWAY_CONFIG], useFactory: (config: GatewayConfig) => loadDepositSettings(config.raw, config.netzme.timeoutMs) }, DepositPayoutRail, DepositTopupsService, DepositSplitFeesService, DepositService],
  exports: [DepositService],
})
export class DepositModule {}
