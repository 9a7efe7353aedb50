import { createHash } from 'node:crypto';
import type { CallbackKind } from '@app/snap';
import { jsonObject, text } from './json-readers';

/**
 * The Netzme notifications we receive, one route each under /callbacks/netzme/<kind>. The list of
 * kinds is @app/snap's (the sandbox sends the same names); this file holds what the gateway knows
 * about each kind, in one table.
 */
export { CALLBACK_KIND_LIST, isCallbackKind } from '@app/snap';
export type { CallbackKind };

type Json = Record<string, unknown>;
type RefField = 'originalReferenceNo' | 'originalPartnerReferenceNo';

export interface CallbackKindFacts {
  /** Netzme's page (docs/netzme-protocol.md). */
  page: string;
  title: string;
  /** x-callback-token header, or the SNAP asymmetric signature (T18). */
  auth: 'token' | 'snap';
  /** Netzme's partner-config entry to register the URL under. */
  netzmeConfigKey: string;
  /**
   * The parts that make a notification "the same one": Netzme's ids, the status it reports and (for
   * money) the amounts exactly as sent. A repeat has the same parts; a different status (or a
   * tampered amount) is a different notification and is judged on its own.
   */
  dedupeParts: (payload: Json, info: Json) => string[];
  /** The reference admins search by (also for bodies that cannot be applied). */
  mainReference: (payload: Json, info: Json) => string | undefined;
  /** The ids the success reply echoes, at top level and inside additionalInfo, as each page documents. */
  replyEchoes: { top: RefField[]; additionalInfo: RefField[] };
}

const status = (p: Json) => text(p.latestTransactionStatus) ?? '';
const ref = (p: Json) => text(p.originalReferenceNo);
const partnerRef = (p: Json) => text(p.originalPartnerReferenceNo);
const NO_ECHO = { top: [], additionalInfo: [] };

/** QRIS payments: the token (T16/T17) and SNAP (T18) routes carry the same event, so one key. */
const QRIS_PAID_DEDUPE = (p: Json) => ['qris-paid', ref(p) ?? '', status(p), moneyKey(p.amount), moneyKey(p.feeAmount), moneyKey(p.netAmount)];

export const CALLBACK_KIND_INFO: Readonly<Record<CallbackKind, CallbackKindFacts>> = {
  'invoice-paid': {
    page: 'T15',
    title: 'Payment Success Callback (Invoice)',
    auth: 'token',
    netzmeConfigKey: 'create_invoice_vsnap',
    dedupeParts: (p) => [
      'invoice-paid',
      ref(p) ?? text(p.id) ?? '',
      partnerRef(p) ?? '',
      status(p),
      moneyKey(p.amount),
      moneyKey(p.feeAmount),
      moneyKey(p.netAmount),
    ],
    // Netzme's plugin reads the invoice from a top-level `id` when there is no originalReferenceNo.
    mainReference: (p) => ref(p) ?? text(p.id) ?? partnerRef(p),
    replyEchoes: NO_ECHO,
  },
  'qris-paid': {
    page: 'T16/T17',
    title: 'Payment Success Callback QRIS (non-invoice / V2)',
    auth: 'token',
    netzmeConfigKey: 'notify_vsnap',
    dedupeParts: QRIS_PAID_DEDUPE,
    mainReference: (p) => ref(p) ?? partnerRef(p),
    replyEchoes: NO_ECHO,
  },
  'qris-paid-snap': {
    page: 'T18',
    title: 'SNAP Payment Success Callback QRIS (asymmetric signature)',
    auth: 'snap',
    netzmeConfigKey: 'notify_vsnap',
    dedupeParts: QRIS_PAID_DEDUPE,
    mainReference: (p) => ref(p) ?? partnerRef(p),
    replyEchoes: NO_ECHO,
  },
  'withdrawal-status': {
    page: 'T19',
    title: 'Withdraw Status Notification',
    auth: 'token',
    netzmeConfigKey: 'withdraw_vsnap',
    dedupeParts: (p, info) => ['withdrawal-status', ref(p) ?? '', partnerRef(p) ?? '', status(p), text(info.type) ?? '', moneyKey(p.amount)],
    mainReference: (p) => partnerRef(p) ?? ref(p),
    // T19: the table lists both ids at top level, the example nests them in additionalInfo: send both.
    replyEchoes: { top: ['originalPartnerReferenceNo', 'originalReferenceNo'], additionalInfo: ['originalPartnerReferenceNo', 'originalReferenceNo'] },
  },
  'qris-payment': {
    page: 'N13',
    title: 'QRIS Payment Notification (consumer)',
    auth: 'token',
    netzmeConfigKey: 'notify_vsnap (consumer)',
    dedupeParts: (p) => ['qris-payment', ref(p) ?? '', status(p), moneyKey(p.amount)],
    mainReference: (p) => ref(p) ?? partnerRef(p),
    replyEchoes: { top: [], additionalInfo: ['originalReferenceNo'] },
  },
  'bill-paid': {
    page: 'N15',
    title: 'Payment Bill Notification',
    auth: 'token',
    netzmeConfigKey: 'bill_vsnap',
    dedupeParts: (p, info) => ['bill-paid', ref(p) ?? '', text(info.billId) ?? '', status(p)],
    mainReference: (p, info) => text(info.billId) ?? ref(p),
    replyEchoes: { top: [], additionalInfo: ['originalReferenceNo'] },
  },
  'account-upgrade': {
    page: 'N17',
    title: 'Upgrade Account Notification',
    auth: 'token',
    netzmeConfigKey: 'cdd_vsnap',
    dedupeParts: (p, info) => ['account-upgrade', ref(p) ?? '', text(p.custId) ?? '', text(p.status) ?? text(info.status) ?? ''],
    mainReference: (p) => text(p.custId) ?? ref(p),
    replyEchoes: { top: ['originalReferenceNo'], additionalInfo: [] },
  },
};

/**
 * `{value, currency}` exactly as sent: "10000" and "10000.00" are different notifications, so that a
 * malformed one (kept as an anomaly) never makes the well-formed one look like a repeat.
 */
function moneyKey(value: unknown): string {
  const m = jsonObject(value);
  return `${JSON.stringify(m.value ?? null)}${JSON.stringify(m.currency ?? null)}`;
}

export function dedupeParts(kind: CallbackKind, payload: Json): string[] {
  return CALLBACK_KIND_INFO[kind].dedupeParts(payload, jsonObject(payload.additionalInfo));
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
  return CALLBACK_KIND_INFO[kind].mainReference(payload, jsonObject(payload.additionalInfo)) ?? null;
}

export interface NetzmeReply {
  responseCode: string;
  responseMessage: string;
  [key: string]: unknown;
}

/** Netzme's success reply, echoing the reference numbers where each page documents them. */
export function successReply(kind: CallbackKind, payload: Json): NetzmeReply {
  const reply: NetzmeReply = { responseCode: '2000000', responseMessage: 'Successful' };
  const { top, additionalInfo } = CALLBACK_KIND_INFO[kind].replyEchoes;
  const echo = (fields: RefField[]) => Object.fromEntries(fields.map((field) => [field, text(payload[field])]).filter(([, value]) => value !== undefined));
  Object.assign(reply, echo(top));
  const nested = echo(additionalInfo);
  if (Object.keys(nested).length > 0) {
    reply.additionalInfo = nested;
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
