import type { CallbackKind } from '@app/snap';
import { parseNetzmeTime } from '@app/snap';
import { findNul, jsonDepth } from '../http/input-limits';
import type { CallbackEvent, CallbackReading, InvoiceReferences, PaymentFacts, UnreadableCallback, WithdrawalNotificationType } from './callback-events';
import { WITHDRAWAL_NOTIFICATION_TYPES } from './callback-events';
import { MAX_CALLBACK_JSON_DEPTH } from './callback-intake';
import { readCallbackAmounts } from './callback-money';
import { jsonObject, text } from './json-readers';

/**
 * The one reader of Netzme's callback bodies. Tolerant where Netzme's shapes vary (ids in several
 * places, optional amounts and status, numbers where strings are documented), strict on money
 * (callback-money.ts). An authentic body it cannot read becomes an UnreadableCallback whose reason
 * admins see in the inbox.
 */

type Json = Record<string, unknown>;

/**
 * A body as received (`parsed` by the HTTP layer) or as stored (`parsed` omitted: read from `raw`).
 * Checks the form first (nesting, JSON, NUL characters), then reads the event.
 */
export function readCallback(kind: CallbackKind, raw: string, parsed?: unknown): CallbackReading {
  const depth = jsonDepth(raw);
  if (depth > MAX_CALLBACK_JSON_DEPTH) {
    return unreadable(kind, `nested ${depth} levels deep (more than ${MAX_CALLBACK_JSON_DEPTH}): kept as text, never applied`);
  }
  let body = parsed;
  if (body === undefined) {
    try {
      body = JSON.parse(raw);
    } catch {
      return unreadable(kind, 'not JSON: kept as text, never applied');
    }
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return unreadable(kind, 'not a JSON object: never applied');
  }
  if (findNul(body, 'body') !== undefined) {
    return unreadable(kind, "contains NUL characters (\\u0000), which no field of Netzme's carries: stored escaped, never applied");
  }
  return parseCallback(kind, body as Json);
}

/** A JSON object body -> its event, or why it cannot be applied. */
export function parseCallback(kind: CallbackKind, payload: Json): CallbackReading {
  const info = jsonObject(payload.additionalInfo);
  const ref = text(payload.originalReferenceNo);
  const status = text(payload.latestTransactionStatus);
  switch (kind) {
    case 'invoice-paid':
      // Any one id is enough to look for the invoice (Netzme's plugin reads a top-level `id`).
      if (!ref && !text(payload.id) && !text(payload.originalPartnerReferenceNo) && !text(info.transactionId)) return missing(kind, 'originalReferenceNo');
      return paymentEvent(kind, payload);
    case 'qris-paid':
    case 'qris-paid-snap':
      if (!ref) return missing(kind, 'originalReferenceNo');
      return paymentEvent(kind, payload);
    case 'withdrawal-status':
      return withdrawalEvent(kind, payload);
    case 'qris-payment':
      if (!ref) return missing(kind, 'originalReferenceNo');
      if (!status) return missing(kind, 'latestTransactionStatus');
      return { type: 'qris-payment', referenceNo: ref, status };
    case 'bill-paid':
      if (!ref) return missing(kind, 'originalReferenceNo');
      if (!status) return missing(kind, 'latestTransactionStatus');
      return { type: 'bill-paid', referenceNo: ref, billId: text(info.billId), status };
    case 'account-upgrade': {
      const custId = text(payload.custId);
      const upgrade = text(payload.status) ?? text(info.status);
      if (!ref) return missing(kind, 'originalReferenceNo');
      if (!custId) return missing(kind, 'custId');
      if (!upgrade) return missing(kind, 'status');
      return { type: 'account-upgrade', referenceNo: ref, custId, status: upgrade };
    }
  }
}

/** T15 and T16-T18: the same facts, found in slightly different places. */
function paymentEvent(kind: 'invoice-paid' | 'qris-paid' | 'qris-paid-snap', payload: Json): CallbackEvent | UnreadableCallback {
  const amounts = readCallbackAmounts(payload);
  if (!amounts.ok) {
    return unreadable(kind, `unreadable amount, not a payment: ${amounts.reason}`);
  }
  const info = jsonObject(payload.additionalInfo);
  const common = {
    status: text(payload.latestTransactionStatus),
    amounts: { amount: amounts.amounts.amount?.minor ?? null, fee: amounts.amounts.fee?.minor ?? null, net: amounts.amounts.net?.minor ?? null },
    paidAt: parseNetzmeTime(info.paymentTime) ?? parseNetzmeTime(info.paidTs),
    details: paymentFacts(info),
    topupMarked: info.apiSource === 'topup_deposit' || payload.apiSource === 'topup_deposit',
  };
  if (kind === 'invoice-paid') {
    return { type: 'invoice-paid', references: invoiceReferences(payload, info), ...common };
  }
  return {
    type: 'qris-paid',
    rrn: text(payload.originalReferenceNo)!,
    invoiceNumber: text(info.invoiceNumber),
    scheme: kind === 'qris-paid-snap' ? 'snap' : 'token',
    // QRIS: originalReferenceNo is the RRN; the invoice (if any) is additionalInfo.invoiceNumber.
    references: {
      trxId: text(info.transactionId) ?? text(info.invoiceTransactionId),
      invoiceId: text(info.invoiceNumber),
      partnerReferenceNo: text(info.partnerReferenceNo) ?? text(payload.originalPartnerReferenceNo),
    },
    ...common,
  };
}

/**
 * T15. The doc page: originalReferenceNo = invoice id, originalPartnerReferenceNo = trxId. Netzme's
 * own WooCommerce plugin reads its partner reference from originalPartnerReferenceNo and the invoice
 * from a top-level `id`. Every reading is offered; owners confirm with their own ids.
 */
function invoiceReferences(payload: Json, info: Json): InvoiceReferences {
  const qr = jsonObject(info.qrDetail);
  return {
    trxId: text(info.transactionId) ?? text(payload.originalPartnerReferenceNo),
    invoiceId: text(payload.originalReferenceNo) ?? text(payload.id) ?? text(qr.invoiceId),
    partnerReferenceNo: text(info.partnerReferenceNo) ?? text(payload.originalPartnerReferenceNo),
  };
}

/** T15 nests QRIS facts in additionalInfo.qrDetail; T16-T18 put them in additionalInfo itself. */
function paymentFacts(info: Json): PaymentFacts {
  const qr = jsonObject(info.qrDetail);
  const rrn = text(qr.rrn) ?? text(info.rrn);
  return {
    method: text(info.paymentMethod) ?? (rrn ? 'QRIS' : undefined),
    channel: text(info.paymentChannel),
    rrn,
    issuerName: text(qr.issuerName) ?? text(info.issuerName),
    issuerId: text(qr.issuerId) ?? text(info.issuerId),
    acquirerName: text(qr.acquirerName) ?? text(info.acquirerName),
    customerPan: text(qr.customerPan) ?? text(info.customerPan),
    buyerName: text(qr.buyerFullname) ?? text(info.buyerFullname),
    bankCode: text(info.bankCode),
    paymentTime: text(info.paymentTime),
  };
}

/** T19. Without a status there is nothing to confirm; without a type we do not know whose it is. */
function withdrawalEvent(kind: 'withdrawal-status', payload: Json): CallbackEvent | UnreadableCallback {
  const info = jsonObject(payload.additionalInfo);
  const partnerReferenceNo = text(payload.originalPartnerReferenceNo);
  const referenceNo = text(payload.originalReferenceNo);
  const status = text(payload.latestTransactionStatus);
  const type = text(info.type);
  if (!partnerReferenceNo && !referenceNo) return missing(kind, 'originalPartnerReferenceNo');
  if (!status) return missing(kind, 'latestTransactionStatus');
  if (!type) return missing(kind, 'additionalInfo.type');
  const amounts = readCallbackAmounts(payload);
  if (!amounts.ok) {
    return unreadable(kind, `unreadable amount, not a payment: ${amounts.reason}`);
  }
  if (!Object.hasOwn(WITHDRAWAL_NOTIFICATION_TYPES, type)) {
    return unreadable(kind, `unknown withdrawal notification type "${type}"`);
  }
  const notificationType = type as WithdrawalNotificationType;
  return {
    type: 'withdrawal-status',
    withdrawal: WITHDRAWAL_NOTIFICATION_TYPES[notificationType],
    notificationType,
    partnerReferenceNo,
    referenceNo,
    status,
    statusDesc: text(payload.transactionStatusDesc),
    amount: amounts.amounts.amount?.minor ?? null,
  };
}

function unreadable(kind: CallbackKind, reason: string): UnreadableCallback {
  return { type: 'unreadable', kind, reason };
}

/** The first field without which we cannot even tell what the notification is about. */
function missing(kind: CallbackKind, field: string): UnreadableCallback {
  return unreadable(kind, `malformed: ${field} is missing`);
}
