import { toMinor } from '@app/snap';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GATEWAY_CONFIG } from '../config/config.module';
import { ConfigurationError, validateEnv } from '../config/env-validation';
import type { GatewayConfig } from '../config/gateway.config';
import { PayoutModule } from '../payout';
import { DepositSplitFee } from './deposit-split-fee.entity';
import { DepositSplitFeesService } from './deposit-split-fees.service';
import { DepositTopup } from './deposit-topup.entity';
import { DepositTopupsService } from './deposit-topups.service';
import { DepositController } from './deposit.controller';
import { DepositWithdrawalsController } from './deposit-withdrawals.controller';
import { DEPOSIT_SETTINGS, DepositEnv, type DepositSettings } from './deposit.env';
import { DepositRepository } from './deposit.repository';
import { DepositService } from './deposit.service';

export function loadDepositSettings(config: GatewayConfig): DepositSettings {
  const env = validateEnv(DepositEnv, config.raw);
  if (env.DEPOSIT_TOPUP_CREATE_GRACE_MS <= config.netzme.timeoutMs) {
    throw new ConfigurationError([`DEPOSIT_TOPUP_CREATE_GRACE_MS: must be longer than NETZME_TIMEOUT_MS (${config.netzme.timeoutMs} ms) (got "${env.DEPOSIT_TOPUP_CREATE_GRACE_MS}")`]);
  }
  return {
    defaultExpirySeconds: env.DEPOSIT_TOPUP_EXPIRY_SECONDS,
    pollDelayMs: env.DEPOSIT_TOPUP_POLL_DELAY_MS,
    pollMaxDelayMs: env.DEPOSIT_TOPUP_POLL_MAX_DELAY_MS,
    pollLeaseMs: env.DEPOSIT_TOPUP_POLL_LEASE_MS,
    createGraceMs: env.DEPOSIT_TOPUP_CREATE_GRACE_MS,
    topupMaxMinor: toMinor(env.DEPOSIT_TOPUP_MAX_AMOUNT),
  };
}

/**
 * The prepaid deposit: balance, history, top-ups, and deposit withdrawals on the shared payout
 * engine (the payout module's PayoutEngine, kind DEPOSIT). Exports DepositService for the
 * callback module (applyTopupPayment, applyWithdrawalNotification).
 */
@Module({
  imports: [PayoutModule, TypeOrmModule.forFeature([DepositTopup, DepositSplitFee])],
  controllers: [DepositController, DepositWithdrawalsController],
  providers: [{ provide: DEPOSIT_SETTINGS, inject: [GATEWAY_CONFIG], useFactory: loadDepositSettings }, DepositRepository, DepositTopupsService, DepositSplitFeesService, DepositService],
  exports: [DepositService],
})
export class DepositModule {}
