/** The withdrawal module's public face (merchant withdrawals: routes, PIN, the notification entry point). */
export { WithdrawalModule } from './withdrawal.module';
export { WithdrawalsService } from './withdrawals.service';
