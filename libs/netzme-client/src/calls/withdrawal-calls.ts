import {
  ADDITIONAL_INFO_TYPES,
  type DepositWithdrawInquiryRequest,
  type DepositWithdrawRequest,
  type WithdrawInformationRequest,
  type WithdrawInquiryRequest,
  type WithdrawProcessRequest,
} from '@app/snap';
import type { DepositWithdrawParams, ReadOptions, WithdrawParams } from '../params';
import { merchantTypedBody, prepared, readReference, type CallContext, type PreparedCall } from './prepared-call';
import { amount, beneficiary, derivedGuid, pinHash, required } from './request-fields';

/**
 * Toko withdrawals, from the merchant balance (T8, T27, T9) and from the deposit (T22, T23, T24):
 * inquiry, the PIN-signed money-moving submit, and the status read by Netzme's referenceNo.
 */

export function withdrawInquiryCall(ctx: CallContext, options: ReadOptions): PreparedCall {
  const body: WithdrawInquiryRequest = merchantTypedBody(ctx, options, ADDITIONAL_INFO_TYPES.withdrawInquiry);
  return prepared('withdrawInquiry', body);
}

export function depositWithdrawInquiryCall(ctx: CallContext, options: ReadOptions): PreparedCall {
  const body: DepositWithdrawInquiryRequest = { partnerReferenceNo: readReference(ctx, options), custIdMerchant: ctx.merchantId };
  return prepared('depositWithdrawInquiry', body);
}

export function withdrawProcessCall(ctx: CallContext, params: WithdrawParams): PreparedCall {
  const hash = pinHash(params.pin, ctx.clientId, ctx.merchantId);
  const body: WithdrawProcessRequest = {
    partnerReferenceNo: required('partnerReferenceNo', params.partnerReferenceNo),
    customerNumber: ctx.merchantId,
    amount: amount('amount', params.amount),
    ...beneficiary(params.beneficiary),
    additionalInfo: { type: ADDITIONAL_INFO_TYPES.submitWithdraw, pin: hash },
  };
  return prepared('withdrawProcess', body, [hash]);
}

export function depositWithdrawCall(ctx: CallContext, params: DepositWithdrawParams): PreparedCall {
  const partnerReferenceNo = required('partnerReferenceNo', params.partnerReferenceNo);
  const hash = pinHash(params.pin, ctx.clientId, ctx.merchantId);
  const body: DepositWithdrawRequest = {
    partnerReferenceNo,
    referenceNo: params.referenceNo ?? derivedGuid(ctx.clientId, 'deposit-withdraw', partnerReferenceNo),
    customerNumber: ctx.merchantId,
    amount: amount('amount', params.amount),
    ...beneficiary(params.beneficiary),
    additionalInfo: { type: ADDITIONAL_INFO_TYPES.submitWithdraw, pin: hash },
  };
  return prepared('depositWithdraw', body, [hash]);
}

/** T9 and T24 take the same body: Netzme's referenceNo of the withdraw. */
export function withdrawInformationCall(
  endpoint: 'withdrawInformation' | 'depositWithdrawInformation',
  ctx: CallContext,
  params: { referenceNo: string },
  options: ReadOptions,
): PreparedCall {
  const body: WithdrawInformationRequest = {
    partnerReferenceNo: readReference(ctx, options),
    referenceNo: required('referenceNo', params.referenceNo),
  };
  return prepared(endpoint, body);
}
