import { createHash } from 'node:crypto';

/**
 * The Netzme notifications we receive, one route each under /callbacks/netzme/<kind> (the names are
 * the path segments the sandbox appends to its callback base URL).
 */
export const CALLBACK_KINDS = ['invoice-paid', 'qris-paid', 'qris-paid-snap', 'withdrawal-status', 'qris-payment', 'bill-paid', 'account-upgrade'] as const;
export type CallbackKind = (typeof CALLBACK_KINDS)[number];

export function isCallbackKind(value: string): value is CallbackKind {
  return (CALLBACK_KINDS as readonly string[]).includes(value);
}

export interface CallbackKindInfo {
  /** Netzme's page (docs/netzme-protocol.md). */
  page: string;
  title: string;
  /** x-callback-token header, or the SNAP asymmetric signature (T18). */
  auth: 'token' | 'snap';
  /** Netzme's partner-config entry to register the URL under. */
  netzmeConfigKey: string;
}

export const CALLBACK_KIND_INFO: Readonly<Record<CallbackKind, CallbackKindInfo>> = {
  'invoice-paid': { page: 'T15', title: 'Payment Success Callback (Invoice)', auth: 'token', netzmeConfigKey: 'create_invoice_vsnap' },
  'qris-paid': { page: 'T16/T17', title: 'Payment Success Callback QRIS (non-invoice / V2)', auth: 'token', netzmeConfigKey: 'notify_vsnap' },
  'qris-paid-snap': { page: 'T18', title: 'SNAP Payment Success Callback QRIS (asymmetric signature)', auth: 'snap', netzmeConfigKey: 'notify_vsnap' },
  'withdrawal-status': { page: 'T19', title: 'Withdraw Status Notification', auth: 'token', netzmeConfigKey: 'withdraw_vsnap' },
  'qris-payment': { page: 'N13', title: 'QRIS Payment Notification (consumer)', auth: 'token', netzmeConfigKey: 'notify_vsnap (consumer)' },
  'bill-paid': { page: 'N15', title: 'Payment Bill Notification', auth: 'token', netzmeConfigKey: 'bill_vsnap' },
  'account-upgrade': { page: 'N17', title: 'Upgrade Account Notification', auth: 'token', netzmeConfigKey: 'cdd_vsnap' },
};

type Json = Record<string, unknown>;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

function obj(value: unknown): Json {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

/**
 * `{value, currency}` exactly as sent: "10000" and "10000.00" are different notifications, so that a
 * malformed one (kept as an anomaly) never makes the well-formed one look like a repeat.
 */
function moneyKey(value: unknown): string {
  const m = obj(value);
  return `${JSON.stringify(m.value ?? null)}${JSON.stringify(m.currency ?? null)}`;
}

export type PayloadCheck = { ok: true } | { ok: false; field: string };

/**
 * The fields without which we cannot even tell what a notification is about (which record it
 * names). Everything else (amount, fees, status) may be missing: money is confirmed with Netzme's
 * status call anyway. An authentic callback that fails this check is still answered 200 and kept as
 * an anomaly for a person (issue: Netzme's own plugin shows real callbacks without `amount`).
 */
export function checkPayload(kind: CallbackKind, payload: Json): PayloadCheck {
  const info = obj(payload.additionalInfo);
  const need = (field: string, present: boolean): PayloadCheck | null => (present ? null : { ok: false, field });
  const checks: Array<PayloadCheck | null> = [];
  switch (kind) {
    case 'invoice-paid':
      checks.push(need('originalReferenceNo', !!(text(payload.originalReferenceNo) || text(payload.originalPartnerReferenceNo) || text(info.transactionId))));
      break;
    case 'qris-paid':
    case 'qris-paid-snap':
      checks.push(need('originalReferenceNo', !!text(payload.originalReferenceNo)));
      break;
    case 'withdrawal-status':
      checks.push(need('originalPartnerReferenceNo', !!(text(payload.originalPartnerReferenceNo) || text(payload.originalReferenceNo))));
      // Without a status there is nothing to confirm; without a type we do not know whose it is.
      checks.push(need('latestTransactionStatus', !!text(payload.latestTransactionStatus)));
      checks.push(need('additionalInfo.type', !!text(info.type)));
      break;
    case 'qris-payment':
      checks.push(need('originalReferenceNo', !!text(payload.originalReferenceNo)));
      checks.push(need('latestTransactionStatus', !!text(payload.latestTransactionStatus)));
      break;
    case 'bill-paid':
      checks.push(need('originalReferenceNo', !!text(payload.originalReferenceNo)));
      checks.push(need('latestTransactionStatus', !!text(payload.latestTransactionStatus)));
      break;
    case 'account-upgrade':
      checks.push(need('originalReferenceNo', !!text(payload.originalReferenceNo)));
      checks.push(need('custId', !!text(payload.custId)));
      checks.push(need('status', !!(text(payload.status) || text(info.status))));
      break;
  }
  return checks.find((c) => c !== null) ?? { ok: true };
}

/**
 * The parts that make a notification "the same one": Netzme's ids, the status it reports and (for
 * money) the amounts. A repeat of the same notification has the same key; a different status (or a
 * tampered amount) is a different notification and is judged on its own.
 */
export function dedupeParts(kind: CallbackKind, payload: Json): string[] {
  const info = obj(payload.additionalInfo);
  const status = text(payload.latestTransactionStatus) ?? '';
  switch (kind) {
    case 'invoice-paid':
      return [kind, text(payload.originalReferenceNo) ?? text(payload.id) ?? '', text(payload.originalPartnerReferenceNo) ?? '', status, moneyKey(payload.amount), moneyKey(payload.feeAmount), moneyKey(payload.netAmount)];
    case 'qris-paid':
    case 'qris-paid-snap':
      // Both routes carry the same event (token or SNAP scheme): one key, whichever arrives first.
      return ['qris-paid', text(payload.originalReferenceNo) ?? '', status, moneyKey(payload.amount), moneyKey(payload.feeAmount), moneyKey(payload.netAmount)];
    case 'withdrawal-status':
      return [kind, text(payload.originalReferenceNo) ?? '', text(payload.originalPartnerReferenceNo) ?? '', status, text(info.type) ?? '', moneyKey(payload.amount)];
    case 'qris-payment':
      return [kind, text(payload.originalReferenceNo) ?? '', status, moneyKey(payload.amount)];
    case 'bill-paid':
      return [kind, text(payload.originalReferenceNo) ?? '', text(info.billId) ?? '', status];
    case 'account-upgrade':
      return [kind, text(payload.originalReferenceNo) ?? '', text(payload.custId) ?? '', text(payload.status) ?? text(info.status) ?? ''];
  }
}

export function dedupeKey(kind: CallbackKind, payload: Json): string {
  const parts = dedupeParts(kind, payload);
  return `${parts[0]}:${createHash('sha256').update(JSON.stringify(parts)).digest('hex')}`;
}

/** Key for a body we could not read: the same bytes twice are one row. */
export function rawDedupeKey(kind: CallbackKind, raw: string): string {
  return `${kind}:raw:${createHash('sha256').update(raw).digest('hex')}`;
}

/** The reference admins search by. */
export function mainReference(kind: CallbackKind, payload: Json): string | null {
  const info = obj(payload.additionalInfo);
  switch (kind) {
    case 'withdrawal-status':
      return text(payload.originalPartnerReferenceNo) ?? text(payload.originalReferenceNo) ?? null;
    case 'bill-paid':
      return text(info.billId) ?? text(payload.originalReferenceNo) ?? null;
    case 'account-upgrade':
      return text(payload.custId) ?? text(payload.originalReferenceNo) ?? null;
    case 'invoice-paid':
      // Netzme's plugin reads the invoice from a top-level `id` when there is no originalReferenceNo.
      return text(payload.originalReferenceNo) ?? text(payload.id) ?? text(payload.originalPartnerReferenceNo) ?? null;
    default:
      return text(payload.originalReferenceNo) ?? text(payload.originalPartnerReferenceNo) ?? null;
  }
}

export interface NetzmeReply {
  responseCode: string;
  responseMessage: string;
  [key: string]: unknown;
}

/** Netzme's success reply, echoing the reference numbers where each page documents them. */
export function successReply(kind: CallbackKind, payload: Json): NetzmeReply {
  const reply: NetzmeReply = { responseCode: '2000000', responseMessage: 'Successful' };
  const ref = text(payload.originalReferenceNo);
  const partnerRef = text(payload.originalPartnerReferenceNo);
  switch (kind) {
    case 'withdrawal-status':
      // T19: the table lists both ids at top level, the example nests them in additionalInfo: send both.
      if (partnerRef) reply.originalPartnerReferenceNo = partnerRef;
      if (ref) reply.originalReferenceNo = ref;
      reply.additionalInfo = { ...(partnerRef ? { originalPartnerReferenceNo: partnerRef } : {}), ...(ref ? { originalReferenceNo: ref } : {}) };
      break;
    case 'bill-paid':
    case 'qris-payment':
      if (ref) reply.additionalInfo = { originalReferenceNo: ref };
      break;
    case 'account-upgrade':
      if (ref) reply.originalReferenceNo = ref;
      break;
    default:
      break;
  }
  return reply;
}

/** Netzme-format error bodies for our answers. */
export const NETZME_REPLIES = {
  unauthorizedToken: { responseCode: '4010000', responseMessage: 'Unauthorized. invalid x-callback-token' },
  unauthorizedSignature: { responseCode: '4010000', responseMessage: 'Unauthorized. invalid signature' },
  staleTimestamp: { responseCode: '4010000', responseMessage: 'Unauthorized. X-TIMESTAMP is missing, malformed or outside the accepted window' },
  invalidBody: { responseCode: '4000000', responseMessage: 'Invalid Request body' },
  missingField: (field: string) => ({ responseCode: '4000002', responseMessage: `Invalid Mandatory Field ${field}` }),
  notFound: { responseCode: '4040000', responseMessage: 'Not Found' },
  tooLarge: { responseCode: '4130000', responseMessage: 'Request Entity Too Large' },
  serverError: { responseCode: '5000000', responseMessage: 'Internal Server Error' },
} as const;

/** Headers kept with a stored callback: secrets dropped, everything else as received. */
const SECRET_HEADERS = new Set(['x-callback-token', 'authorization', 'cookie', 'x-client-secret', 'private_key', 'x-client-key']);

export function safeHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value === undefined) {
      continue;
    }
    out[lower] = SECRET_HEADERS.has(lower) ? '[REDACTED]' : Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
