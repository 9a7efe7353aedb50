import { parseResponseCode } from '@app/snap';

/**
 * What went wrong, in words a caller can act on. `outcome` says whether Netzme definitely did not
 * act on the request ('definite': safe to treat as failed) or might have ('unknown': resolve by
 * asking a status endpoint, never by blindly sending a new request).
 */
export type NetzmeErrorCategory =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'INVALID_TOKEN'
  | 'INSUFFICIENT_FUNDS'
  | 'DUPLICATE_REFERENCE'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'SERVER_ERROR'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'IN_PROGRESS'
  /** HTTP 2xx but no usable JSON / responseCode: we cannot tell what happened. */
  | 'INVALID_RESPONSE'
  /** Refused by the client before anything was sent (e.g. a JSON number in the body). */
  | 'INVALID_REQUEST';

export type NetzmeOutcome = 'definite' | 'unknown';

export interface NetzmeErrorDetails {
  category: NetzmeErrorCategory;
  outcome: NetzmeOutcome;
  message: string;
  endpoint: string;
  responseCode?: string;
  responseMessage?: string;
  httpStatus?: number;
  /** Transport error code (ECONNRESET, ETIMEDOUT, …) when there was no HTTP answer. */
  networkCode?: string;
  /** Whether the business request left this process (false: failed while getting a token, or refused locally). */
  sent: boolean;
  externalId?: string;
  partnerReferenceNo?: string;
  attempts?: number;
  /** Parsed response body, secrets redacted. */
  response?: unknown;
}

export class NetzmeError extends Error {
  override readonly name: string = 'NetzmeError';
  readonly category: NetzmeErrorCategory;
  readonly outcome: NetzmeOutcome;
  readonly endpoint: string;
  readonly responseCode?: string;
  readonly responseMessage?: string;
  readonly httpStatus?: number;
  readonly serviceCode?: string;
  readonly caseCode?: string;
  readonly networkCode?: string;
  readonly sent: boolean;
  readonly externalId?: string;
  readonly partnerReferenceNo?: string;
  attempts: number;
  readonly response?: unknown;

  constructor(details: NetzmeErrorDetails) {
    super(details.message);
    this.category = details.category;
    this.outcome = details.outcome;
    this.endpoint = details.endpoint;
    this.responseCode = details.responseCode;
    this.responseMessage = details.responseMessage;
    this.httpStatus = details.httpStatus;
    this.networkCode = details.networkCode;
    this.sent = details.sent;
    this.externalId = details.externalId;
    this.partnerReferenceNo = details.partnerReferenceNo;
    this.attempts = details.attempts ?? 1;
    this.response = details.response;
    const parsed = parseResponseCode(details.responseCode);
    if (parsed) {
      this.serviceCode = parsed.serviceCode;
      this.caseCode = parsed.caseCode;
    }
  }

  /** A definite failure leaves nothing behind at Netzme; an unknown one may have succeeded. */
  get isUnknownOutcome(): boolean {
    return this.outcome === 'unknown';
  }

  /** Plain data for logs and API answers (no stack, no secrets: the response is already redacted). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      category: this.category,
      outcome: this.outcome,
      endpoint: this.endpoint,
      responseCode: this.responseCode,
      httpStatus: this.httpStatus,
      networkCode: this.networkCode,
      sent: this.sent,
      externalId: this.externalId,
      partnerReferenceNo: this.partnerReferenceNo,
      attempts: this.attempts,
    };
  }
}

/** True when the error may hide a success at Netzme (timeout, reset after sending, 5xx, 202). */
export function isUnknownOutcome(err: unknown): boolean {
  return err instanceof NetzmeError && err.outcome === 'unknown';
}

export function isNetzmeError(err: unknown): err is NetzmeError {
  return err instanceof NetzmeError;
}

/**
 * Category and outcome of a Netzme answer, from its responseCode when it has one (the code's
 * first three digits are the HTTP status Netzme meant) or the HTTP status otherwise.
 * `tokenEndpoint`: on the token call a 401 is a credentials problem, never "token invalid".
 */
export function classifyResponse(
  httpStatus: number,
  responseCode: string | undefined,
  tokenEndpoint = false,
): { category: NetzmeErrorCategory; outcome: NetzmeOutcome } | null {
  const parsed = parseResponseCode(responseCode);
  const status = parsed?.httpStatus ?? httpStatus;
  const caseCode = parsed?.caseCode;
  if (status === 200) {
    return parsed ? null : { category: 'INVALID_RESPONSE', outcome: 'unknown' };
  }
  if (status >= 200 && status < 300) {
    // 202xx00 "Request In Progress" and friends: accepted, result not known yet.
    return { category: 'IN_PROGRESS', outcome: 'unknown' };
  }
  if (status === 401) {
    // 401xx01 "Access Token Invalid" / 401xx03 "Token Not Found": refresh the token and retry once.
    if (!tokenEndpoint && (caseCode === '01' || caseCode === '03')) {
      return { category: 'INVALID_TOKEN', outcome: 'definite' };
    }
    return { category: 'UNAUTHORIZED', outcome: 'definite' };
  }
  if (status === 403) {
    if (caseCode === '14') {
      return { category: 'INSUFFICIENT_FUNDS', outcome: 'definite' };
    }
    if (caseCode === '04') {
      // "Activity Count Limit Exceeded. wait N millisecond." (forgot-pin asked again too soon)
      return { category: 'RATE_LIMITED', outcome: 'definite' };
    }
    return { category: 'FORBIDDEN', outcome: 'definite' };
  }
  if (status === 404) {
    return { category: 'NOT_FOUND', outcome: 'definite' };
  }
  if (status === 409) {
    // 409xx01 is a repeated partnerReferenceNo: the earlier request with that reference was accepted.
    return caseCode === '01' ? { category: 'DUPLICATE_REFERENCE', outcome: 'definite' } : { category: 'CONFLICT', outcome: 'definite' };
  }
  if (status === 429) {
    return { category: 'RATE_LIMITED', outcome: 'definite' };
  }
  if (status === 504) {
    return { category: 'TIMEOUT', outcome: 'unknown' };
  }
  if (status >= 500) {
    return { category: 'SERVER_ERROR', outcome: 'unknown' };
  }
  if (status >= 400) {
    return { category: 'BAD_REQUEST', outcome: 'definite' };
  }
  // 3xx: a redirect (Netzme's staging sometimes sends 308) is not followed; nothing was processed.
  return { category: 'INVALID_RESPONSE', outcome: 'definite' };
}

/** Transport error codes that prove the request never reached the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL']);

/** Network failure classification: refused/unresolvable hosts are definite, everything else unknown. */
export function classifyNetworkError(code: string | undefined): { category: NetzmeErrorCategory; outcome: NetzmeOutcome } {
  if (code && NOT_SENT_CODES.has(code)) {
    return { category: 'NETWORK', outcome: 'definite' };
  }
  if (code === 'ETIMEDOUT' || code === 'ECONNABORTED') {
    return { category: 'TIMEOUT', outcome: 'unknown' };
  }
  return { category: 'NETWORK', outcome: 'unknown' };
}
