/**
 * The payout module's public face: other feature modules import from here only.
 * - PayoutModule / PayoutEngine: the one payout engine (merchant and deposit withdrawals);
 * - payoutController: the one controller shape of the payout routes (withdrawal/ and deposit/ mount it);
 * - the job names, the notification result, and the few helpers the deposit routes share
 *   (Netzme error mapping, failure reading, amount validation, the error example for Swagger).
 */
export { PayoutModule } from './payout.module';
export { PayoutEngine } from './payout-engine.service';
export { payoutController, type PayoutRoutesOptions } from './payout.controller';
export type { NotificationResult } from './payout-resolve.service';
export { DEPOSIT_WITHDRAWAL_STATUS_POLL_JOB, WITHDRAWAL_STATUS_POLL_JOB } from './payout-jobs.service';
export type { WithdrawalKind } from './withdrawal.entity';
export { PayoutErrorCode } from './payout-errors';
export { describeFailure } from './payout-failure';
export { netzmeHttpError } from './netzme-http-error';
export type { HttpResponse } from './payout-http';
export { ApiErrorView, errorExample } from '../http/api-error.view';
export { AMOUNT_MESSAGE, AMOUNT_PATTERN, CreatePinDto } from './dto/create-withdrawal.dto';
