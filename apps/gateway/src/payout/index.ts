/** The payout module's public face: other modules import from here only. */
export { PayoutModule } from './payout.module';
export { PayoutEngine } from './payout-engine.service';
export { payoutController, type PayoutRoutesOptions } from './payout.controller';
export type { NotificationResult } from './payout-resolve.service';
export { DEPOSIT_WITHDRAWAL_STATUS_POLL_JOB, WITHDRAWAL_STATUS_POLL_JOB } from './payout-jobs.service';
export { PAYOUT_STATUSES, type PayoutStatus } from './payout-state';
export type { WithdrawalKind } from './withdrawal.entity';
export { describeFailure } from './payout-failure';
export { netzmeHttpError } from './netzme-http-error';
export { callerOf, withdrawalStatusCode, type HttpRequest, type HttpResponse } from './payout-http';
export { ApiErrorView, errorExample } from './dto/api-error.view';
export { AMOUNT_MESSAGE, AMOUNT_PATTERN, CreatePinDto, CreateWithdrawalDto, ResubmitWithdrawalDto } from './dto/create-withdrawal.dto';
export { ListWithdrawalsQuery } from './dto/list-withdrawals.query';
export { ResolveWithdrawalDto } from './dto/resolve-withdrawal.dto';
export { toInquiryView, toWithdrawalView, UNKNOWN_WITHDRAWAL_EXAMPLE, WithdrawalInquiryView, WithdrawalPage, WithdrawalView } from './dto/withdrawal.view';
