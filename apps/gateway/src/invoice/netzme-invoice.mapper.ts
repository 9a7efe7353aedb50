import type { CreateInvoiceTransactionResponse, InvoiceTransactionResponse } from '@app/snap';
import { toMinorLenient } from '@app/snap';
import type { Order, OrderPaymentDetails, OrderVirtualAccount } from './order.entity';
import type { OrderPatch } from './invoice.repository';

/**
 * Pure translations between Netzme's invoice payloads and our order fields. Netzme is loose about
 * types (amounts as "10000", "10000.00" or numbers; times with or without offsets, or epoch ms), so
 * everything is parsed defensively and money never goes through a float.
 */

/** ISO-8601 (with or without millis/offset) or epoch-millis string -> Date; anything else -> null. */
export function parseNetzmeTime(value: unknown): Date | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return new Date(value);
  }
  if (typeof value !== 'string' || value.trim() === '') {
    return null;
  }
  const text = value.trim();
  if (/^\d{12,14}$/.test(text)) {
    return new Date(Number(text));
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** `{value, currency}` (or a bare amount) -> minor units and currency; null when unreadable. */
export function readMoney(value: unknown): { minor: bigint; currency: string } | null {
  if (value && typeof value === 'object' && 'value' in value) {
    const v = value as { value?: unknown; currency?: unknown };
    const minor = toMinorLenient(v.value as string | number | null | undefined);
    return minor === null ? null : { minor, currency: typeof v.currency === 'string' ? v.currency : 'IDR' };
  }
  if (typeof value === 'string' || typeof value === 'number') {
    const minor = toMinorLenient(value);
    return minor === null ? null : { minor, currency: 'IDR' };
  }
  return null;
}

export type CreateAnswer =
  | { kind: 'created'; patch: OrderPatch }
  /** Netzme answered 2xx but said `status: false`: nothing was created. */
  | { kind: 'refused'; message: string }
  /** 2xx without the ids we need: we cannot tell what Netzme holds. */
  | { kind: 'unreadable'; message: string };

/** Create Invoice Transaction answer -> the fields to store on the order. */
export function readCreateAnswer(res: CreateInvoiceTransactionResponse, order: Pick<Order, 'createdAt' | 'expiresInSeconds'>): CreateAnswer {
  const info = (res?.additionalInfo ?? {}) as CreateInvoiceTransactionResponse['additionalInfo'];
  if (info.status === false) {
    return { kind: 'refused', message: `Netzme answered ${res.responseCode ?? '?'} with status false` };
  }
  const trxId = str(info.trxId);
  const invoiceId = str(info.id);
  if (!trxId) {
    return { kind: 'unreadable', message: `Netzme answered ${res?.responseCode ?? '?'} without a transaction id` };
  }
  const virtualAccounts: OrderVirtualAccount[] = Array.isArray(info.virtualAccountData)
    ? info.virtualAccountData
        .filter((va) => va && typeof va.bankCode === 'string' && (typeof va.virtualAccountNo === 'string' || typeof va.virtualAccountNo === 'number'))
        .map((va) => ({ bankCode: va.bankCode, virtualAccountNo: String(va.virtualAccountNo) }))
    : [];
  const expiresAt = parseNetzmeTime(info.expiredTs) ?? new Date(order.createdAt.getTime() + order.expiresInSeconds * 1000);
  return {
    kind: 'created',
    patch: {
      netzmeTrxId: trxId,
      netzmeInvoiceId: invoiceId ?? null,
      qrImage: str(info.qrImage) ?? null,
      qrContent: str(info.qrContent) ?? null,
      paymentUrl: str(res.paymentUrl) ?? null,
      virtualAccounts: virtualAccounts.length > 0 ? virtualAccounts : null,
      expiresAt,
    },
  };
}

export type RemoteInvoiceState = 'paid' | 'closed' | 'open' | 'unrecognised';

/** Get Invoice Transaction: INIT -> SUCCESS (paid) | CLOSED (expired/cancelled); invoiceStatus as a second opinion. */
export function readRemoteState(res: InvoiceTransactionResponse): RemoteInvoiceState {
  const status = String(res?.status ?? '').toUpperCase();
  const invoiceStatus = String(res?.additionalInfo?.invoiceStatus ?? '').toLowerCase();
  if (status === 'SUCCESS' || invoiceStatus === 'paid') {
    return 'paid';
  }
  if (status === 'CLOSED' || invoiceStatus === 'expired') {
    return 'closed';
  }
  if (status === 'INIT' || invoiceStatus === 'unpaid' || invoiceStatus === 'pending') {
    return 'open';
  }
  return 'unrecognised';
}

/** Proof of payment, whatever told us (callback or status poll). */
export interface PaymentEvidence {
  /** Gross amount the buyer paid. */
  paid: { minor: bigint; currency: string } | null;
  fee: { minor: bigint; currency: string } | null;
  net: { minor: bigint; currency: string } | null;
  paidAt: Date | null;
  details: OrderPaymentDetails;
}

/** Payment facts from a Get Invoice Transaction answer (status SUCCESS). */
export function paymentFromStatus(res: InvoiceTransactionResponse): PaymentEvidence {
  const info = (res.additionalInfo ?? {}) as NonNullable<InvoiceTransactionResponse['additionalInfo']>;
  const paid = readMoney(info.totalAmount) ?? readMoney(res.amount);
  const fee = readMoney(info.feeAmount);
  return {
    paid,
    fee,
    net: readMoney(info.netAmount),
    paidAt: parseNetzmeTime(info.paidTs) ?? parseNetzmeTime(res.dateTime),
    details: {
      method: str(info.paymentMethod) ?? str(info.payMethod),
      rrn: str(info.rrn),
      paymentTime: str(info.paidTs),
      evidence: 'poll',
    },
  };
}

/**
 * Payment facts from a payment callback: T15 (invoice) or T16/T17/T18 (QRIS, where
 * originalReferenceNo is the RRN and `additionalInfo.invoiceNumber` names the invoice).
 */
export function paymentFromCallback(payload: Record<string, unknown>, callbackId: string): PaymentEvidence {
  const info = (payload.additionalInfo && typeof payload.additionalInfo === 'object' ? payload.additionalInfo : {}) as Record<string, unknown>;
  const qr = (info.qrDetail && typeof info.qrDetail === 'object' ? info.qrDetail : {}) as Record<string, unknown>;
  return {
    paid: readMoney(payload.amount),
    fee: readMoney(payload.feeAmount),
    net: readMoney(payload.netAmount),
    paidAt: parseNetzmeTime(info.paymentTime) ?? parseNetzmeTime(info.paidTs),
    details: {
      method: str(info.paymentMethod) ?? (qr.rrn || info.rrn ? 'QRIS' : undefined),
      channel: str(info.paymentChannel),
      rrn: str(qr.rrn) ?? str(info.rrn),
      issuerName: str(qr.issuerName) ?? str(info.issuerName),
      issuerId: str(qr.issuerId) ?? str(info.issuerId),
      acquirerName: str(qr.acquirerName) ?? str(info.acquirerName),
      customerPan: str(qr.customerPan) ?? str(info.customerPan),
      buyerName: str(qr.buyerFullname) ?? str(info.buyerFullname),
      bankCode: str(info.bankCode),
      paymentTime: str(info.paymentTime),
      evidence: callbackId,
    },
  };
}

/** The ids a payment callback may carry, for finding the order (see InvoiceRepository.findByNetzmeReference). */
export function callbackReferences(kind: 'invoice' | 'qris', payload: Record<string, unknown>): { trxId?: string; invoiceId?: string; partnerReferenceNo?: string } {
  const info = (payload.additionalInfo && typeof payload.additionalInfo === 'object' ? payload.additionalInfo : {}) as Record<string, unknown>;
  const qr = (info.qrDetail && typeof info.qrDetail === 'object' ? info.qrDetail : {}) as Record<string, unknown>;
  if (kind === 'invoice') {
    // Docs: originalReferenceNo = invoice id, originalPartnerReferenceNo = trxId; Netzme's own
    // WooCommerce plugin reads its partner reference from originalPartnerReferenceNo (and the
    // invoice from a top-level `id`): try every reading. Whichever order matches, the payment is
    // confirmed by asking Netzme with that order's own ids before anything moves.
    return {
      trxId: str(info.transactionId) ?? str(payload.originalPartnerReferenceNo),
      invoiceId: str(payload.originalReferenceNo) ?? str(payload.id) ?? str(qr.invoiceId),
      partnerReferenceNo: str(info.partnerReferenceNo) ?? str(payload.originalPartnerReferenceNo),
    };
  }
  // QRIS: originalReferenceNo is the RRN; the invoice (if any) is additionalInfo.invoiceNumber.
  return {
    trxId: str(info.transactionId) ?? str(info.invoiceTransactionId),
    invoiceId: str(info.invoiceNumber),
    partnerReferenceNo: str(info.partnerReferenceNo) ?? str(payload.originalPartnerReferenceNo),
  };
}

export type AmountCheck = { ok: true } | { ok: false; reason: string };

/**
 * The buyer must have paid exactly the order amount in IDR (or, with fee on_buyer, the amount plus
 * Netzme's fee). Anything else is an anomaly for a person, never a payment.
 */
export function checkPaidAmount(order: Pick<Order, 'amountMinor' | 'currency' | 'feeType'> & Partial<Pick<Order, 'purpose'>>, evidence: PaymentEvidence): AmountCheck {
  const what = order.purpose === 'DEPOSIT_TOPUP' ? 'top-up' : 'order';
  if (!evidence.paid) {
    return { ok: false, reason: 'the notification carries no readable amount' };
  }
  if (evidence.paid.currency !== order.currency) {
    return { ok: false, reason: `paid in ${evidence.paid.currency}, the ${what} is in ${order.currency}` };
  }
  if (evidence.paid.minor === order.amountMinor) {
    return { ok: true };
  }
  if (order.feeType === 'on_buyer' && evidence.fee && evidence.paid.minor - evidence.fee.minor === order.amountMinor) {
    return { ok: true };
  }
  return { ok: false, reason: `paid ${evidence.paid.minor} sen, the ${what} is for ${order.amountMinor} sen` };
}
