import { NETZME_ENDPOINTS, type NetzmeEndpointSpec } from '@app/snap';
import { classifyNetworkError, classifyResponse, NetzmeError, type NetzmeErrorCategory, type NetzmeOutcome } from './errors';
import type { HttpAnswer, HttpSender } from './http-sender';
import type { Redactor } from './logger';

/**
 * One HTTP exchange with Netzme, classified: sent through the configured HttpSender (undici or
 * axios) under a deadline and the caller's signal, and turned into either the success body or a
 * NetzmeError that says whether the outcome is known and whether a retry may help. Whatever the
 * sender, the same classification applies.
 */

/** One attempt: the signed request and what identifies it in an error. */
export interface Attempt {
  spec: NetzmeEndpointSpec;
  url: string;
  headers: Record<string, string>;
  bodyText: string;
  timeoutMs: number;
  signal?: AbortSignal;
  externalId?: string;
  partnerReferenceNo?: string;
  /** 1-based number of this attempt. */
  attempt: number;
  /** Values of this call to redact from what Netzme echoes back. */
  secrets: string[];
}

export interface Success {
  body: unknown;
  responseCode: string;
  status: number;
}

export interface AttemptFailure {
  error: NetzmeError;
  retryable: boolean;
}

class TransportFailure extends Error {
  constructor(
    readonly code: string,
    readonly timedOut: boolean,
    readonly aborted: boolean,
  ) {
    super(code);
  }
}

export async function exchange(http: HttpSender, redactor: Redactor, a: Attempt): Promise<Success | AttemptFailure> {
  let result: HttpAnswer;
  try {
    result = await sendWithin(http, a);
  } catch (err) {
    const failure = err instanceof TransportFailure ? err : new TransportFailure('UNKNOWN', false, false);
    const kind = failure.timedOut
      ? { category: 'TIMEOUT' as const, outcome: 'unknown' as const }
      : failure.aborted
        ? { category: 'NETWORK' as const, outcome: 'unknown' as const }
        : classifyNetworkError(failure.code);
    return {
      error: new NetzmeError({
        ...kind,
        endpoint: a.spec.name,
        sent: kind.outcome === 'unknown',
        networkCode: failure.timedOut ? 'TIMEOUT' : failure.code,
        externalId: a.externalId,
        partnerReferenceNo: a.partnerReferenceNo,
        attempts: a.attempt,
        message: `${a.spec.name}: ${failure.timedOut ? `no answer within ${a.timeoutMs} ms` : `network error ${failure.code}`} (outcome ${kind.outcome})`,
      }),
      // A caller's own cancellation is never retried.
      retryable: !failure.aborted,
    };
  }
  return interpret(redactor, a, result);
}

/** An answer arrived: a success code, or an error whose category and outcome the status and code decide. */
function interpret(redactor: Redactor, a: Attempt, result: HttpAnswer): Success | AttemptFailure {
  const { spec } = a;
  let body: unknown;
  try {
    body = result.text === '' ? undefined : JSON.parse(result.text);
  } catch {
    body = undefined;
  }
  const record = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
  const responseCode = typeof record?.responseCode === 'string' ? record.responseCode : undefined;
  const responseMessage = typeof record?.responseMessage === 'string' ? redactor.redact(record.responseMessage, a.secrets) : undefined;
  const kind = classifyResponse(result.status, responseCode, spec === NETZME_ENDPOINTS.accessToken);
  if (!kind && responseCode) {
    return { body, responseCode, status: result.status };
  }
  const { category, outcome } = kind ?? { category: 'INVALID_RESPONSE' as NetzmeErrorCategory, outcome: 'unknown' as NetzmeOutcome };
  const error = new NetzmeError({
    category,
    outcome,
    endpoint: spec.name,
    sent: true,
    responseCode,
    responseMessage,
    httpStatus: result.status,
    externalId: a.externalId,
    partnerReferenceNo: a.partnerReferenceNo,
    attempts: a.attempt,
    response: record ? redactor.redact(record, a.secrets) : undefined,
    message: `${spec.name}: ${responseCode ?? `HTTP ${result.status}`}${responseMessage ? ` ${responseMessage}` : ''} (${category}, outcome ${outcome})`,
  });
  const retryable =
    outcome === 'unknown' || category === 'NETWORK' || (category === 'RATE_LIMITED' && (responseCode === undefined || responseCode.startsWith('429')));
  return { error, retryable };
}

/** The sender's call under the attempt's deadline and the caller's signal; no answer -> a TransportFailure with only a code. */
async function sendWithin(http: HttpSender, a: Attempt): Promise<HttpAnswer> {
  const { signal } = a;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, a.timeoutMs);
  const onAbort = (): void => controller.abort();
  if (signal?.aborted) {
    clearTimeout(timer);
    throw new TransportFailure('ABORTED', false, true);
  }
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await http({ method: a.spec.method, url: a.url, headers: a.headers, body: a.bodyText, signal: controller.signal });
  } catch (err) {
    if (timedOut) {
      throw new TransportFailure('TIMEOUT', true, false);
    }
    if (signal?.aborted) {
      throw new TransportFailure('ABORTED', false, true);
    }
    // Only the code travels on: an HTTP library's error may carry the request, headers and all (token, secret).
    const code = (err as { code?: unknown })?.code;
    const causeCode = (err as { cause?: { code?: unknown } })?.cause?.code;
    throw new TransportFailure(typeof causeCode === 'string' ? causeCode : typeof code === 'string' ? code : 'UNKNOWN', false, false);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
