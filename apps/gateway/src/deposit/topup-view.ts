import type { Invoice } from '../invoice';
import { moneyView } from '../money/money.view';
import type { TopupView } from './dto/deposit.dto';

/**
 * The status names /deposit/topups has always answered. A top-up is an invoice of the invoice
 * engine, whose CREATING is shown here under its old name PENDING_CREATE (same meaning: written,
 * Netzme not answered yet); every other name is the same.
 */
export const TOPUP_STATUSES = ['PENDING_CREATE', 'PENDING', 'UNKNOWN', 'PAID', 'EXPIRED', 'FAILED'] as const;
export type TopupStatus = (typeof TOPUP_STATUSES)[number];

/** A DEPOSIT_TOPUP invoice as GET /deposit/topups/:id shows it (the body is unchanged by the merge). */
export function toTopupView(invoice: Invoice): TopupView {
  // Until Netzme answers, the instructions' end is the one we asked for.
  const expiresAt = invoice.expiresAt ?? new Date(invoice.createdAt.getTime() + invoice.expiresInSeconds * 1000);
  return {
    id: invoice.id,
    status: invoice.status === 'CREATING' ? 'PENDING_CREATE' : invoice.status,
    amount: moneyView(invoice.amountMinor),
    payMethod: invoice.payMethod,
    partnerReferenceNo: invoice.partnerReferenceNo,
    invoiceId: invoice.netzmeInvoiceId,
    trxId: invoice.netzmeTrxId,
    paymentUrl: invoice.paymentUrl,
    qrContent: invoice.qrContent,
    qrImage: invoice.qrImage,
    virtualAccounts: invoice.virtualAccounts,
    expiresAt: expiresAt.toISOString(),
    paidAt: invoice.paidAt ? invoice.paidAt.toISOString() : null,
    failureReason: invoice.status === 'FAILED' ? invoice.failureMessage : null,
    anomaly: invoice.anomaly,
    createdAt: invoice.createdAt.toISOString(),
    updatedAt: invoice.updatedAt.toISOString(),
  };
}
