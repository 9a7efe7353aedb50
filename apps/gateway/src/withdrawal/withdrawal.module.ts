import { Module } from '@nestjs/common';
import { PayoutModule } from '../payout';
import { WithdrawalsController } from './withdrawals.controller';
import { WithdrawalsService } from './withdrawals.service';

/**
 * Merchant withdrawals (balance -> bank): the routes under /withdrawals, the PIN, and the callback
 * module's entry point (WithdrawalsService.applyStatusNotification). The machinery is the payout
 * module's engine, shared with deposit withdrawals.
 */
@Module({
  imports: [PayoutModule],
  controllers: [WithdrawalsController],
  providers: [WithdrawalsService],
  exports: [WithdrawalsService],
})
export class WithdrawalModule {}
