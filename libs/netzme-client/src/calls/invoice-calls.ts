import {
  ADDITIONAL_INFO_TYPES,
  API_SOURCE_TOPUP_DEPOSIT,
  type CreateInvoiceQrMpmRequest,
  type CreateInvoiceRequest,
  type CreateInvoiceTransactionRequest,
  type DeductDepositSplitFeeRequest,
  type InvoiceTransactionRequest,
} from '@app/snap';
import type {
  CreateInvoiceParams,
  CreateInvoiceQrMpmParams,
  CreateInvoiceTransactionParams,
  CreateTopupDepositTransactionParams,
  DeductDepositSplitFeeParams,
  ReadOptions,
} from '../params';
import { prepared, readReference, type CallContext, type PreparedCall } from './prepared-call';
import { amount, amountDetail, dateTime, derivedGuid, integer, percentage, required } from './request-fields';

/** Toko invoice calls: invoices, the checkout transaction (order or deposit top-up), its status, split fees. */

export function createInvoiceCall(ctx: CallContext, params: CreateInvoiceParams): PreparedCall {
  const body: CreateInvoiceRequest = {
    custIdMerchant: ctx.merchantId,
    partnerReferenceNo: required('partnerReferenceNo', params.partnerReferenceNo),
    amount: amount('amount', params.amount),
    amountDetail: amountDetail(params),
    ...(params.commissionPercentage !== undefined ? { commissionPercentage: percentage('commissionPercentage', params.commissionPercentage) } : {}),
    ...(params.payMethods ? { payMethods: [...params.payMethods] } : {}),
    ...(params.additionalInfo ? { additionalInfo: { ...params.additionalInfo } } : {}),
  };
  return prepared('createInvoice', body);
}

function invoiceTransactionBody(ctx: CallContext, params: CreateInvoiceTransactionParams): CreateInvoiceTransactionRequest {
  const detail = amountDetail(params);
  const additionalInfo = {
    ...params.additionalInfo,
    ...(params.itemDetails ? { item_details: params.itemDetails.map((item) => ({ ...item })) } : {}),
  };
  return {
    custIdMerchant: ctx.merchantId,
    partnerReferenceNo: required('partnerReferenceNo', params.partnerReferenceNo),
    amount: amount('amount', params.amount),
    amountDetail: { basicAmount: detail.basicAmount, shippingAmount: detail.shippingAmount },
    payMethod: required('payMethod', params.payMethod),
    ...(params.commissionPercentage !== undefined ? { commissionPercentage: percentage('commissionPercentage', params.commissionPercentage) } : {}),
    ...(params.expireInSecond !== undefined ? { expireInSecond: integer('expireInSecond', params.expireInSecond) } : {}),
    ...(params.feeType !== undefined ? { feeType: params.feeType } : {}),
    ...(params.terminalId !== undefined ? { terminalId: params.terminalId } : {}),
    ...(Object.keys(additionalInfo).length ? { additionalInfo } : {}),
  };
}

export function createInvoiceTransactionCall(ctx: CallContext, params: CreateInvoiceTransactionParams): PreparedCall {
  return prepared('createInvoiceTransaction', invoiceTransactionBody(ctx, params));
}

/** T21: the same endpoint and body as T12, marked `additionalInfo.apiSource = topup_deposit`. */
export function createTopupDepositTransactionCall(ctx: CallContext, params: CreateTopupDepositTransactionParams): PreparedCall {
  const body = invoiceTransactionBody(ctx, params);
  body.additionalInfo = { ...body.additionalInfo, apiSource: API_SOURCE_TOPUP_DEPOSIT };
  return prepared('createInvoiceTransaction', body);
}

export function createInvoiceQrMpmCall(ctx: CallContext, params: CreateInvoiceQrMpmParams): PreparedCall {
  const body: CreateInvoiceQrMpmRequest = {
    partnerReferenceNo: required('partnerReferenceNo', params.partnerReferenceNo),
    custIdMerchant: ctx.merchantId,
    amount: amount('amount', params.amount),
    ...(params.terminalId !== undefined ? { terminalId: params.terminalId } : {}),
    ...(params.validityPeriod !== undefined ? { validityPeriod: dateTime(params.validityPeriod) } : {}),
    ...(params.additionalInfo ? { additionalInfo: { ...params.additionalInfo } } : {}),
  };
  return prepared('createInvoiceQrMpm', body);
}

export function invoiceTransactionCall(ctx: CallContext, trxId: string, options: ReadOptions): PreparedCall {
  const body: InvoiceTransactionRequest = {
    originalPartnerReferenceNo: required('trxId', trxId),
    additionalInfo: { partnerReferenceNo: readReference(ctx, options) },
  };
  return prepared('invoiceTransaction', body);
}

export function deductDepositSplitFeeCall(ctx: CallContext, params: DeductDepositSplitFeeParams): PreparedCall {
  const partnerReferenceNo = required('partnerReferenceNo', params.partnerReferenceNo);
  const body: DeductDepositSplitFeeRequest = {
    referenceNo: params.referenceNo ?? derivedGuid(ctx.clientId, 'deduct', partnerReferenceNo),
    partnerReferenceNo,
    amount: amount('amount', params.amount),
    feeAmount: amount('feeAmount', params.feeAmount),
    additionalInfo: {
      custIdMerchant: ctx.merchantId,
      sku: required('sku', params.sku),
      productName: required('productName', params.productName),
      paymentStatus: 'SUCCESS',
      payMethod: required('payMethod', params.payMethod),
      bankName: required('bankName', params.bankName),
      ...(params.qty !== undefined ? { qty: integer('qty', params.qty) } : {}),
      ...(params.desc !== undefined ? { desc: params.desc } : {}),
      type: ADDITIONAL_INFO_TYPES.splitFee,
    },
  };
  return prepared('deductDepositSplitFee', body);
}
