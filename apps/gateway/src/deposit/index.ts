/**
 * The deposit module's public face: other feature modules import from here only. The callback
 * module hands DepositService the typed events it owns (top-up payments, deposit withdrawals).
 */
export { DepositModule } from './deposit.module';
export { DepositService } from './deposit.service';
