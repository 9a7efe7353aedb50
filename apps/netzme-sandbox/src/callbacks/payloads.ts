import { jakartaDate, jakartaTimestamp } from '@app/snap';
import type { InvoicePaymentCallback, InvoiceQrDetail, QrisPaymentCallback, WithdrawStatusCallback } from '@app/snap';
import { money, plainAmount } from '../common/format';
import type { Invoice, QrisPaymentRecord } from '../invoices/invoice.model';
import type { Merchant } from '../merchants/merchants.service';
import type { InvoiceCallbackReference } from '../config/sandbox-options';

/**
 * Callback bodies as documented (docs/netzme-protocol.md T15–T19, N13, N15, N17). Fields marked "sandbox
 * extension" are not in Netzme's docs; they are harmless extras that help a receiver match.
 */

function qrDetail(invoice: Invoice, payment: QrisPaymentRecord, merchant: Merchant): InvoiceQrDetail {
  return {
    buyerUserId: payment.buyerUserId,
    buyerFullname: payment.customerName,
    merchantFee: plainAmount(payment.mdrMinor),
    issuerName: payment.issuerName,
    acquirerName: 'NETZME',
    customerPan: payment.customerPan,
    merchantPan: merchant.mpan,
    merchantName: merchant.merchantName,
    merchantLocation: merchant.merchantCity,
    terminalId: payment.terminalId,
    referenceId: invoice.trxId,
    invoiceId: invoice.id,
    rrn: payment.rrn,
    // (sic) Netzme's spelling; an int YYYYMMDD.
    localTrasactionDate: Number(jakartaDate(new Date(payment.paidAtMs))),
    issuerId: payment.issuerId,
  };
}

/**
 * T15 Payment Success Callback (Invoice). `originalPartnerReferenceNo` is the merchant's own
 * partnerReferenceNo by default (Netzme's official WooCommerce plugin splits it on '-' to find its
 * order), or the trxId as the doc page's table reads (`reference: 'trxId'`). Top-level `id` (the
 * invoice id, INFERRED: the plugin reads it but the docs do not name it) and `merchant` (the
 * merchant id) are read by that plugin too.
 */
export function invoicePaidPayload(invoice: Invoice, merchant: Merchant, reference: InvoiceCallbackReference = 'partnerReferenceNo'): InvoicePaymentCallback {
  const additionalInfo: NonNullable<InvoicePaymentCallback['additionalInfo']> = {
    custIdMerchant: invoice.merchantId,
    bankCode: invoice.virtualAccountData[0]?.bankCode ?? '',
    paymentTime: jakartaTimestamp(new Date(invoice.paidAtMs!)),
    paymentMethod: invoice.payMethod,
    paymentChannel: invoice.payMethod,
    transactionId: invoice.trxId,
  };
  if (invoice.qrisPayment) {
    additionalInfo.qrDetail = qrDetail(invoice, invoice.qrisPayment, merchant);
  }
  additionalInfo.isSplitFee = false;
  additionalInfo.spiltFees = []; // (sic)
  if (invoice.apiSource) {
    additionalInfo.apiSource = invoice.apiSource; // sandbox extension: marks a deposit top-up
  }
  return {
    id: invoice.id,
    merchant: merchant.merchantId,
    originalReferenceNo: invoice.id,
    originalPartnerReferenceNo: reference === 'trxId' ? invoice.trxId! : invoice.partnerReferenceNo,
    latestTransactionStatus: '00',
    transactionStatusDesc: 'Success',
    amount: money(invoice.totalAmountMinor),
    netAmount: money(invoice.netAmountMinor),
    feeAmount: money(invoice.feeMinor),
    additionalInfo,
  };
}

/**
 * T16/T17 Payment Success Callback QRIS (and T18, its SNAP-signed twin): originalReferenceNo = RRN.
 * For an invoice QR, `invoiceNumber` is the invoice id.
 */
export function qrisPaidPayload(payment: QrisPaymentRecord, merchant: Merchant, invoice?: Invoice): QrisPaymentCallback {
  const additionalInfo: NonNullable<QrisPaymentCallback['additionalInfo']> = {
    invoiceNumber: invoice?.id ?? '',
    custIdMerchant: merchant.merchantId,
    buyerUserId: payment.buyerUserId,
    buyerFullname: payment.customerName,
    customerPan: payment.customerPan,
    acquirerName: 'NETZME',
    issuerName: payment.issuerName,
    merchantPan: merchant.mpan,
    merchantName: merchant.merchantName,
    merchantLocation: merchant.merchantCity,
    type: invoice ? 'qr_type_qris_dynamic' : 'qr_type_qris_static',
    rrn: payment.rrn,
    localTrasactionDate: Number(jakartaDate(new Date(payment.paidAtMs))),
    issuerId: payment.issuerId,
    paymentTime: jakartaTimestamp(new Date(payment.paidAtMs)),
  };
  if (invoice) {
    // Sandbox extensions: the invoice transaction and the partner's reference.
    additionalInfo.transactionId = invoice.trxId;
    additionalInfo.partnerReferenceNo = invoice.partnerReferenceNo;
  }
  const gross = invoice ? invoice.totalAmountMinor : payment.amountMinor;
  const net = invoice ? invoice.netAmountMinor : payment.amountMinor - payment.mdrMinor;
  return {
    originalReferenceNo: payment.rrn,
    amount: money(gross),
    netAmount: money(net),
    feeAmount: money(payment.mdrMinor),
    latestTransactionStatus: '00',
    transactionStatusDesc: 'Success',
    additionalInfo,
  };
}

export interface WithdrawalNotice {
  referenceNo: string;
  partnerReferenceNo: string;
  amountMinor: bigint;
  succeeded: boolean;
  type: 'submit_withdraw' | 'submit_withdraw_deposit';
}

/** T19 Withdraw Status Notification. Failure: `06` "failed" (INFERRED; only `00` is documented). */
export function withdrawalStatusPayload(notice: WithdrawalNotice): WithdrawStatusCallback {
  return {
    amount: money(notice.amountMinor),
    latestTransactionStatus: notice.succeeded ? '00' : '06',
    transactionStatusDesc: notice.succeeded ? 'success' : 'failed',
    originalReferenceNo: notice.referenceNo,
    originalPartnerReferenceNo: notice.partnerReferenceNo,
    additionalInfo: { type: notice.type },
  };
}
