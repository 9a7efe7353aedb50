import type { InvoiceBuyerInfo } from '@app/snap';

/** Status of an invoice transaction as Get Invoice Transaction reports it (T14). */
export type InvoiceStatus = 'INIT' | 'SUCCESS' | 'CLOSED';

/** Buyer data of an invoice: the `additionalInfo` fields Create Invoice (Transaction) takes. */
export type Buyer = InvoiceBuyerInfo;

/** A QRIS payment the merchant received (acquirer side): what T10 looks up by RRN. */
export interface QrisPaymentRecord {
  rrn: string;
  merchantId: string;
  clientId: string;
  amountMinor: bigint;
  mdrMinor: bigint;
  invoiceId?: string;
  trxId?: string;
  issuerName: string;
  issuerId: string;
  customerPan: string;
  customerName: string;
  buyerUserId: string;
  terminalId: string;
  paidAtMs: number;
  /** Paid from a Netzme wallet (issuer = acquirer). */
  isOnUs: boolean;
}

/**
 * An invoice and its (single) payment transaction. `INIT` -> `SUCCESS` (paid) or `CLOSED` (expired);
 * terminal states never change.
 */
export interface Invoice {
  id: string;
  /** Invoice transaction id; absent for an invoice created without a pay method (T11) until paid. */
  trxId?: string;
  clientId: string;
  merchantId: string;
  partnerReferenceNo: string;
  payMethod: string;
  feeType: 'on_seller' | 'on_buyer';
  /** As received, a decimal string ("0", "0.0", "0.7"). */
  commissionPercentage: string;
  amountMinor: bigint;
  basicAmountMinor?: bigint;
  shippingAmountMinor?: bigint;
  /** MDR the merchant pays (or the buyer, with on_buyer). */
  feeMinor: bigint;
  /** What the buyer pays: amount, plus the fee with on_buyer. */
  totalAmountMinor: bigint;
  /** What the merchant receives. */
  netAmountMinor: bigint;
  /** `topup_deposit`: paying it credits the partner's deposit instead of the merchant balance (T21). */
  apiSource?: string;
  buyer: Buyer;
  terminalId?: string;
  createdAtMs: number;
  expiresAtMs: number;
  status: InvoiceStatus;
  paidAtMs?: number;
  closedAtMs?: number;
  qrContent?: string;
  qrImage?: string;
  paymentUrl: string;
  virtualAccountData: { bankCode: string; virtualAccountNo: string }[];
  /** Set when paid by QRIS. */
  qrisPayment?: QrisPaymentRecord;
  createdBy: 'create-transaction' | 'create-invoice' | 'qr-mpm-generate';
}
