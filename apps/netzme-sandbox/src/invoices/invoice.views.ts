import { jakartaTimestamp, type CreateInvoiceTransactionResponse, type InvoiceTransactionResponse } from '@app/snap';
import { amountLong, money, plainAmount, ts } from '../common/format';
import type { Invoice, QrisPaymentRecord } from './invoice.model';

/** `invoiceStatus` as Netzme's invoice service spells it (lower case; `unpaid` INFERRED). */
export function invoiceStatusText(invoice: Invoice): string {
  return invoice.status === 'SUCCESS' ? 'paid' : invoice.status === 'CLOSED' ? 'expired' : 'unpaid';
}

/** T12 response (`2004700`). `additionalInfo.qrContent` is a sandbox extension (the raw QRIS string). */
export function createTransactionResponse(invoice: Invoice, nmid: string): CreateInvoiceTransactionResponse {
  const additionalInfo: CreateInvoiceTransactionResponse['additionalInfo'] = {
    id: invoice.id,
    trxId: invoice.trxId!,
    status: true,
  };
  if (invoice.qrImage) {
    additionalInfo.qrImage = invoice.qrImage;
    additionalInfo.qrContent = invoice.qrContent;
    additionalInfo.terminalId = invoice.terminalId ?? 'A01';
    additionalInfo.nmid = nmid;
  }
  Object.assign(additionalInfo, {
    feeAmount: plainAmount(invoice.feeType === 'on_buyer' ? invoice.feeMinor : 0n),
    totalAmount: plainAmount(invoice.totalAmountMinor),
    createdTs: ts(invoice.createdAtMs),
    expiredTs: ts(invoice.expiresAtMs),
    virtualAccountData: invoice.virtualAccountData,
    retailOutletData: [],
    statistic: [],
  });
  return {
    responseCode: '2004700',
    responseMessage: 'Successful',
    partnerReferenceNo: invoice.partnerReferenceNo,
    payMethod: invoice.payMethod,
    paymentUrl: invoice.paymentUrl,
    additionalInfo,
  };
}

/** T14 response (`2001300`); field list from the docs, values from our state. */
export function invoiceTransactionResponse(invoice: Invoice): InvoiceTransactionResponse {
  const dateTime = invoice.paidAtMs ?? invoice.createdAtMs;
  return {
    responseCode: '2001300',
    responseMessage: 'Successful',
    partnerReferenceNo: invoice.partnerReferenceNo,
    referenceNo: invoice.trxId ?? invoice.id,
    amount: money(invoice.amountMinor),
    type: invoice.apiSource === 'topup_deposit' ? 'TOP_UP' : 'PAYMENT',
    status: invoice.status,
    dateTime: jakartaTimestamp(new Date(dateTime)),
    additionalInfo: {
      amountLong: amountLong(invoice.amountMinor),
      createdTs: ts(invoice.createdAtMs),
      desc: invoice.buyer.description ?? '',
      descFromBuyer: invoice.buyer.notes ?? '',
      descFromMerchant: invoice.buyer.description ?? '',
      email: invoice.buyer.email ?? '',
      expiredTs: ts(invoice.expiresAtMs),
      paymentMethod: invoice.payMethod,
      paymentUrl: invoice.paymentUrl,
      additionalInfo: { expiredTs: ts(invoice.expiresAtMs) },
      feeAmount: money(invoice.feeMinor),
      feeAmountLong: amountLong(invoice.feeMinor),
      feeType: invoice.feeType,
      fullName: invoice.buyer.fullname ?? '',
      invoiceId: invoice.id,
      invoiceStatus: invoiceStatusText(invoice),
      custIdMerchant: invoice.merchantId,
      paidTs: ts(invoice.paidAtMs) ?? '',
      payMethod: invoice.payMethod,
      phoneNo: invoice.buyer.phoneNumber ?? '',
      retailOutletData: [],
      totalAmount: money(invoice.totalAmountMinor),
      totalAmountLong: amountLong(invoice.totalAmountMinor),
      netAmount: money(invoice.netAmountMinor), // sandbox extension
      transactionId: invoice.trxId, // sandbox extension
      rrn: invoice.qrisPayment?.rrn, // sandbox extension
    },
  };
}

/** One `detailData` item of Get Transaction List (T6) for a paid invoice or a static QRIS payment. */
export function historyItem(item: { invoice?: Invoice; payment?: QrisPaymentRecord; atMs: number }): Record<string, unknown> {
  const { invoice, payment } = item;
  const amountMinor = invoice?.totalAmountMinor ?? payment!.amountMinor;
  const feeMinor = invoice?.feeMinor ?? payment!.mdrMinor;
  return {
    amount: money(amountMinor),
    status: 'SUCCESS',
    type: invoice?.apiSource === 'topup_deposit' ? 'TOP_UP' : 'PAYMENT',
    additionalInfo: {
      createdTs: ts(invoice?.createdAtMs ?? payment!.paidAtMs),
      desc: invoice?.buyer.description ?? 'QRIS payment',
      feeAmount: money(feeMinor),
      invoiceId: invoice?.id ?? '',
      invoiceType: invoice ? invoice.createdBy : 'qris_static',
      merchantId: invoice?.merchantId ?? payment!.merchantId,
      paidTs: ts(item.atMs),
      paymentMethod: invoice?.payMethod ?? 'QRIS',
      serviceCharge: money(invoice?.feeType === 'on_buyer' ? feeMinor : 0n),
      totalAmount: plainAmount(amountMinor),
      transactionId: invoice?.trxId ?? payment!.rrn,
      ts: String(item.atMs),
      tsLong: item.atMs,
      urlInvoice: invoice?.paymentUrl ?? '',
      rrn: payment?.rrn, // sandbox extension
      partnerReferenceNo: invoice?.partnerReferenceNo, // sandbox extension
    },
  };
}

/** T10 Get QRIS Acquire Transaction (`2001300`). */
export function qrisAcquireResponse(
  requestRef: string,
  payment: QrisPaymentRecord,
  merchant: { merchantName: string; merchantCity: string; criteria: string; mcc: string },
): Record<string, unknown> {
  return {
    responseCode: '2001300',
    responseMessage: 'Successful',
    partnerReferenceNo: requestRef,
    originalPartnerReferenceNo: payment.rrn,
    referenceNo: payment.trxId ?? payment.rrn,
    amount: money(payment.amountMinor),
    mdrAmount: money(payment.mdrMinor),
    dateTime: jakartaTimestamp(new Date(payment.paidAtMs)),
    type: 'PAYMENT',
    status: 'SUCCESS',
    additionalInfo: {
      acquirerId: '93600814',
      customerName: payment.customerName,
      customerPan: payment.customerPan,
      invoiceNumber: payment.invoiceId ?? '',
      invoiceTransactionId: payment.trxId ?? '',
      isOnUs: payment.isOnUs,
      issuerId: payment.issuerId,
      merchantCity: merchant.merchantCity,
      merchantCriteria: merchant.criteria,
      merchantName: merchant.merchantName,
      merchantType: merchant.mcc,
      status: 'SUCCESS',
      terminalId: payment.terminalId,
      ts: String(payment.paidAtMs),
    },
  };
}
