import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway.settings';
import { DepositPayoutRail, MerchantPayoutRail } from './netzme-payout-rails';
import { PayoutEngine } from './payout-engine.service';
import { PayoutJobs } from './payout-jobs.service';
import { PayoutQueries } from './payout-queries.service';
import { PayoutRails } from './payout-rails';
import { PayoutResolver } from './payout-resolve.service';
import { PayoutSubmitter } from './payout-submit.service';
import { PayoutTransitions } from './payout-transitions.service';
import { PayoutRepository } from './payout.repository';
import { PinMemory } from './pin-memory';
import { loadPayoutSettings, PAYOUT_SETTINGS, type PayoutSettings } from './payout.settings';
import { WithdrawalEvent } from './withdrawal-event.entity';
import { Withdrawal } from './withdrawal.entity';

/**
 * The one payout engine: merchant withdrawals (balance -> bank) and deposit withdrawals (prepaid
 * deposit -> bank) are the same machine with a different rail. The withdrawal and deposit modules
 * expose its routes and import it only through ./index.ts.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Withdrawal, WithdrawalEvent])],
  providers: [
    { provide: PAYOUT_SETTINGS, inject: [GATEWAY_CONFIG], useFactory: (config: GatewayConfig) => loadPayoutSettings(config.raw, config.netzme.timeoutMs) },
    { provide: PinMemory, inject: [PAYOUT_SETTINGS], useFactory: (settings: PayoutSettings) => new PinMemory(settings.pinMemoryMs) },
    PayoutRepository,
    PayoutRails,
    PayoutTransitions,
    PayoutSubmitter,
    PayoutQueries,
    PayoutResolver,
    PayoutEngine,
    MerchantPayoutRail,
    DepositPayoutRail,
    PayoutJobs,
  ],
  exports: [PayoutEngine],
})
export class PayoutModule {}
