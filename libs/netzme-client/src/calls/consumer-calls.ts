import {
  ADDITIONAL_INFO_TYPES,
  type AccountStatusRequest,
  type ConsumerBalanceRequest,
  type ConsumerHistoryRequest,
  type QrisDetailRequest,
  type QrisPaymentRequest,
  type UpgradeAccountRequest,
} from '@app/snap';
import type { ConsumerHistoryParams, PayQrisParams, QrisDetailParams, ReadOptions, UpgradeAccountParams } from '../params';
import { prepared, readReference, type CallContext, type PreparedCall } from './prepared-call';
import { amount, dateTime, integer, pinHash, required } from './request-fields';

/** Netzme consumer-side calls (a Netzme user's account, balance, history, QRIS scan and payment). */

export function accountStatusCall(ctx: CallContext, custId: string, options: ReadOptions): PreparedCall {
  const body: AccountStatusRequest = {
    partnerReferenceNo: readReference(ctx, options),
    additionalInfo: { custId: required('custId', custId) },
  };
  return prepared('accountStatus', body);
}

export function consumerBalanceCall(ctx: CallContext, custId: string, options: ReadOptions): PreparedCall {
  const body: ConsumerBalanceRequest = { partnerReferenceNo: readReference(ctx, options), accountNo: required('custId', custId) };
  return prepared('consumerBalance', body);
}

export function consumerHistoryCall(ctx: CallContext, params: ConsumerHistoryParams, options: ReadOptions): PreparedCall {
  const body: ConsumerHistoryRequest = {
    partnerReferenceNo: readReference(ctx, options),
    pageSize: integer('pageSize', params.pageSize ?? 10),
    additionalInfo: {
      seqId: integer('seqId', params.seqId ?? 0),
      custId: required('custId', params.custId),
      type: ADDITIONAL_INFO_TYPES.consumerHistory,
    },
  };
  return prepared('consumerHistory', body);
}

/** N7 is a GET: no body, the custId travels (signed) in the query. */
export function fixedTopupVaCall(custId: string): PreparedCall {
  return prepared('fixedTopupVa', undefined, [], { custId: required('custId', custId) });
}

export function qrisDetailCall(ctx: CallContext, params: QrisDetailParams, options: ReadOptions): PreparedCall {
  const body: QrisDetailRequest = {
    partnerReferenceNo: readReference(ctx, options),
    qrContent: required('qrContent', params.qrContent),
    ...(params.amount !== undefined ? { amount: amount('amount', params.amount) } : {}),
    scanTime: dateTime(params.scanTime ?? new Date(ctx.now())),
    additionalInfo: { type: ADDITIONAL_INFO_TYPES.scanQr, custId: required('custId', params.custId) },
  };
  return prepared('qrisDetail', body);
}

/** The PIN, when given, is hashed with the consumer client id and the paying user's custId. */
export function qrisPaymentCall(consumerClientId: string, params: PayQrisParams): PreparedCall {
  const custId = required('custId', params.custId);
  const hash = params.pin !== undefined ? pinHash(params.pin, consumerClientId, custId) : undefined;
  const body: QrisPaymentRequest = {
    partnerReferenceNo: required('partnerReferenceNo', params.partnerReferenceNo),
    qrContent: required('qrContent', params.qrContent),
    amount: amount('amount', params.amount),
    ...(params.feeAmount !== undefined ? { feeAmount: amount('feeAmount', params.feeAmount) } : {}),
    additionalInfo: {
      custId,
      ...(hash ? { pin: hash } : {}),
      ...(params.qrisDetailReferenceNo ? { qrisDetailReferenceNo: params.qrisDetailReferenceNo } : {}),
    },
  };
  return prepared('qrisPayment', body, hash ? [hash] : []);
}

export function upgradeAccountCall(ctx: CallContext, params: UpgradeAccountParams, options: ReadOptions): PreparedCall {
  const body: UpgradeAccountRequest = {
    partnerReferenceNo: readReference(ctx, options),
    additionalInfo: { ...params.additionalInfo, custId: required('custId', params.custId), type: 'upgrade_account' },
  };
  return prepared('upgradeAccount', body);
}
