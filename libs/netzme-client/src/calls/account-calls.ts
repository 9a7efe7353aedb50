import {
  ADDITIONAL_INFO_TYPES,
  type BalanceDetailRequest,
  type CreatePinRequest,
  type DepositBalanceRequest,
  type ForgotPinRequest,
  type MerchantDetailRequest,
  type QrisAcquireTransactionRequest,
  type TransactionListRequest,
} from '@app/snap';
import type { ReadOptions, TransactionListParams } from '../params';
import { merchantTypedBody, prepared, readReference, type CallContext, type PreparedCall } from './prepared-call';
import { dateTime, integer, pinHash, required } from './request-fields';

/** Toko merchant account calls: the withdraw PIN, balances, transaction lists and look-ups. */

export function createPinCall(ctx: CallContext, pin: string, options: ReadOptions): PreparedCall {
  const hash = pinHash(pin, ctx.clientId, ctx.merchantId);
  const body: CreatePinRequest = {
    custIdMerchant: ctx.merchantId,
    partnerReferenceNo: readReference(ctx, options),
    additionalInfo: { pin: hash, type: ADDITIONAL_INFO_TYPES.createPin },
  };
  return prepared('createPin', body, [hash]);
}

export function forgotPinCall(ctx: CallContext, options: ReadOptions): PreparedCall {
  const body: ForgotPinRequest = merchantTypedBody(ctx, options, ADDITIONAL_INFO_TYPES.forgotPin);
  return prepared('forgotPin', body);
}

/** T5 (merchant balance) and T26 (deposit balance) take the same body. */
export function balanceCall(endpoint: 'balanceDetail' | 'depositBalance', ctx: CallContext, options: ReadOptions): PreparedCall {
  const body: BalanceDetailRequest & DepositBalanceRequest = { partnerReferenceNo: readReference(ctx, options), accountNo: ctx.merchantId };
  return prepared(endpoint, body);
}

/** T6 (QRIS transactions) and T25 (deposit transactions) take the same body. */
export function transactionListCall(
  endpoint: 'transactionList' | 'depositTransactions',
  ctx: CallContext,
  params: TransactionListParams,
  options: ReadOptions,
): PreparedCall {
  const body: TransactionListRequest = {
    pageNumber: integer('pageNumber', params.pageNumber ?? 1),
    partnerReferenceNo: readReference(ctx, options),
    fromDateTime: dateTime(params.fromDateTime),
    toDateTime: dateTime(params.toDateTime),
    additionalInfo: { custIdMerchant: ctx.merchantId },
  };
  return prepared(endpoint, body);
}

export function merchantDetailCall(ctx: CallContext, params: { phoneNo: string }, options: ReadOptions): PreparedCall {
  const body: MerchantDetailRequest = {
    partnerReferenceNo: readReference(ctx, options),
    additionalInfo: { phoneNo: required('phoneNo', params.phoneNo) },
  };
  return prepared('merchantDetail', body);
}

export function qrisAcquireTransactionCall(ctx: CallContext, params: { rrn: string }, options: ReadOptions): PreparedCall {
  const body: QrisAcquireTransactionRequest = {
    originalPartnerReferenceNo: required('rrn', params.rrn),
    additionalInfo: { partnerReferenceNo: readReference(ctx, options) },
  };
  return prepared('qrisAcquireTransaction', body);
}
