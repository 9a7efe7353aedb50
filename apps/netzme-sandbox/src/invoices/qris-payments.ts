import { randomInt } from 'node:crypto';
import { newRrn } from '../common/ids';
import type { Merchant } from '../merchants/merchants.service';
import type { Invoice, QrisPaymentRecord } from './invoice.model';

/** Who paid, as a control route may describe the buyer (defaults: a GoPay buyer). */
export interface PayOptions {
  issuerName?: string;
  buyerFullname?: string;
  customerPan?: string;
  /** Consumer-side QRIS payment (N12): the paying Netzme user. */
  buyerUserId?: string;
}

const ISSUERS = [
  { name: 'GOPAY', id: '93600914' },
  { name: 'OVO', id: '93600912' },
  { name: 'DANA', id: '93600915' },
  { name: 'NETZME', id: '93600814' },
];

/** The acquirer-side record of a QRIS payment (what T10 finds by RRN and T16/T18 report). */
export function newQrisPayment(
  merchant: Merchant,
  clientId: string,
  amountMinor: bigint,
  mdrMinor: bigint,
  options: PayOptions,
  invoice?: Invoice,
): QrisPaymentRecord {
  const now = Date.now();
  const issuer = ISSUERS.find((i) => i.name === options.issuerName?.toUpperCase()) ?? { name: options.issuerName ?? ISSUERS[0].name, id: ISSUERS[0].id };
  return {
    rrn: newRrn(now),
    merchantId: merchant.merchantId,
    clientId,
    amountMinor,
    mdrMinor,
    invoiceId: invoice?.id,
    trxId: invoice?.trxId,
    issuerName: issuer.name,
    issuerId: issuer.id,
    customerPan: options.customerPan ?? `${issuer.id}${String(randomInt(0, 1e8)).padStart(8, '0')}`,
    customerName: options.buyerFullname ?? invoice?.buyer.fullname ?? 'SANDBOX BUYER',
    buyerUserId: options.buyerUserId ?? '',
    terminalId: invoice?.terminalId ?? 'A01',
    paidAtMs: now,
    isOnUs: issuer.name === 'NETZME',
  };
}
