import { toMinor } from '@app/snap';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GATEWAY_CONFIG } from '../config/config.module';
import { ConfigurationError, validateEnv } from '../config/env-validation';
import type { GatewayConfig } from '../config/gateway.config';
import { MerchantPayoutRail } from './merchant-payout.rail';
import { PayoutEngine } from './payout/payout-engine.service';
import { WITHDRAWAL_SETTINGS, WithdrawalEnv, type WithdrawalSettings } from './withdrawal.env';
import { WithdrawalEvent } from './withdrawal-event.entity';
import { Withdrawal } from './withdrawal.entity';
import { WithdrawalsController } from './withdrawals.controller';
import { WithdrawalsService } from './withdrawals.service';

export function loadWithdrawalSettings(config: GatewayConfig): WithdrawalSettings {
  const env = validateEnv(WithdrawalEnv, config.raw);
  // The poller must not take over a row whose request may still be waiting for Netzme.
  if (env.WITHDRAWAL_SUBMIT_GRACE_MS <= config.netzme.timeoutMs) {
    throw new ConfigurationError([
      `WITHDRAWAL_SUBMIT_GRACE_MS: must be longer than NETZME_TIMEOUT_MS (${config.netzme.timeoutMs} ms) (got "${env.WITHDRAWAL_SUBMIT_GRACE_MS}")`,
    ]);
  }
  return {
    reviewAfterMs: env.WITHDRAWAL_REVIEW_AFTER_MS,
    pollBatch: env.WITHDRAWAL_POLL_BATCH,
    pollLeaseMs: env.WITHDRAWAL_POLL_LEASE_MS,
    pollDelayMs: env.WITHDRAWAL_POLL_DELAY_MS,
    pollMaxDelayMs: env.WITHDRAWAL_POLL_MAX_DELAY_MS,
    submitGraceMs: env.WITHDRAWAL_SUBMIT_GRACE_MS,
    maxResubmits: env.WITHDRAWAL_MAX_RESUBMITS,
    replayWaitMs: env.WITHDRAWAL_REPLAY_WAIT_MS,
    pinMemoryMs: env.WITHDRAWAL_PIN_MEMORY_MS,
    minAmountMinor: toMinor(env.WITHDRAWAL_MIN_AMOUNT),
  };
}

/**
 * Merchant withdrawals (balance -> bank) and the payout engine they share with deposit
 * withdrawals. Exports WithdrawalsService (API, callback module: applyStatusNotification) and
 * PayoutEngine (the deposit module plugs its own rail into it).
 */
@Module({
  imports: [TypeOrmModule.forFeature([Withdrawal, WithdrawalEvent])],
  controllers: [WithdrawalsController],
  providers: [
    { provide: WITHDRAWAL_SETTINGS, inject: [GATEWAY_CONFIG], useFactory: loadWithdrawalSettings },
    PayoutEngine,
    MerchantPayoutRail,
    WithdrawalsService,
  ],
  exports: [WithdrawalsService, PayoutEngine],
})
export class WithdrawalModule {}
