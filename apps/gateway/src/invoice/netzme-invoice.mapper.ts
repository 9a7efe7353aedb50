import type { CreateInvoiceTransactionResponse, InvoiceTransactionResponse } from '@app/snap';
import { parseNetzmeTime, toMinorLenient } from '@app/snap';
import type { PaymentNotificationEvent } from '../callback';
import type { Order, OrderPaymentDetails, OrderVirtualAccount } from './order.entity';
import type { OrderPatch } from './invoice.repository';

/**
 * Pure translations between Netzme's invoice payloads and our order fields. Netzme is loose about
 * types (amounts as "10000", "10000.00" or numbers; times with or without offsets, or epoch ms), so
 * everything is parsed defensively and money never goes through a float.
 */

/** Netzme's times (ISO-8601 or epoch millis): the one reader lives in @app/snap. */
export { parseNetzmeTime };

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
  const info = res?.additionalInfo ?? {};
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
  const info = res.additionalInfo ?? {};
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

/** Payment facts from a payment notification, as the callback module read them (amounts already strict, IDR). */
export function paymentFromCallback(event: PaymentNotificationEvent, callbackId: string): PaymentEvidence {
  const idr = (minor: bigint | null) => (minor === null ? null : { minor, currency: 'IDR' });
  return {
    paid: idr(event.amounts.amount),
    fee: idr(event.amounts.fee),
    net: idr(event.amounts.net),
    paidAt: event.paidAt,
    details: { ...event.details, evidence: callbackId },
  };
}

export type AmountCheck = { ok: true } | { ok: false; reason: string };

/**
 * The buyer must have paid exactly the order amount in IDR (or, with fee on_buyer, the amount plus
 * Netzme's fee). Anything else is an anomaly for a person, never a payment.
 */
export function checkPaidAmount(
  order: Pick<Order, 'amountMinor' | 'currency' | 'feeType'> & Partial<Pick<Order, 'purpose'>>,
  evidence: PaymentEvidence,
): AmountCheck {
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
