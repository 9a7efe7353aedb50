import type { KeyObject } from 'node:crypto';
import {
  containsJsonNumber,
  endpointPath,
  jakartaTimestamp,
  minifyJson,
  newExternalId,
  NETZME_ENDPOINTS,
  signAccessTokenRequest,
  signSymmetric,
  type NetzmeEndpointSpec,
  type NetzmeFamily,
} from '@app/snap';
import type { HttpAnswer, HttpSender } from './http-sender';
import { classifyNetworkError, classifyResponse, NetzmeError, type NetzmeErrorCategory, type NetzmeOutcome } from './errors';
import { REDACTED, type NetzmeCallLog, type NetzmeLogger, type Redactor } from './logger';
import { TokenManager } from './token-manager';
import type { TokenStore } from './token-store';

/** Per-call knobs every client method accepts. */
export interface CallOptions {
  /**
   * X-EXTERNAL-ID to use. Only pass one to repeat the very same request (same body) on purpose,
   * e.g. re-sending a withdraw after an unknown outcome; otherwise a fresh id is generated.
   */
  externalId?: string;
  /** Per-attempt timeout override. */
  timeoutMs?: number;
  /** Cancels the call (counts as an unknown outcome when it happens after sending). */
  signal?: AbortSignal;
}

export interface FamilySettings {
  family: NetzmeFamily;
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  privateKey: KeyObject;
  channelId: string;
  /** Consumer side sends the secret in clear as X-CLIENT-SECRET (docs/netzme-protocol.md §1.4, N2). */
  sendClientSecretHeader: boolean;
  tokenPath: string;
}

export interface TransportSettings {
  http: HttpSender;
  logger: NetzmeLogger;
  redactor: Redactor;
  tokenStore: TokenStore;
  timeoutMs: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  tokenRefreshMarginMs: number;
  now: () => number;
  /** Injected for tests: waits between retries. */
  sleep?: (ms: number) => Promise<void>;
}

export interface SignedCall {
  endpoint: NetzmeEndpointSpec;
  /** Path from the host root, version included, without query. */
  path: string;
  /** Query parameters, in the order they should appear (they are part of the signed path). */
  query?: Record<string, string>;
  /** JSON body (undefined for GET). Must not contain numbers. */
  body?: unknown;
  partnerReferenceNo?: string;
  /** Values of this call that must never be logged (e.g. a PIN hash). */
  secrets?: string[];
  options?: CallOptions;
}

/**
 * Full-jitter exponential backoff before retry number `attempt` (1-based): a random delay in
 * [0, min(maxMs, baseMs * 2^(attempt-1))], so that many clients retrying at once spread out.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const cap = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.floor(random() * cap);
}

/**
 * Serialise a request body exactly once. The string returned is both hashed and sent, so the
 * signature covers the exact bytes on the wire. Refuses JSON numbers (Netzme re-minifies numbers
 * before hashing: `10000` becomes `1e4` on their side and the signature no longer matches).
 */
export function serializeBody(endpoint: string, body: unknown): string {
  if (body === undefined) {
    return '';
  }
  if (containsJsonNumber(body)) {
    throw new NetzmeError({
      category: 'INVALID_REQUEST',
      outcome: 'definite',
      endpoint,
      sent: false,
      message: `${endpoint}: refusing to send a body containing a JSON number; send numeric values as strings (docs/netzme-protocol.md 1.7)`,
    });
  }
  const text = JSON.stringify(body);
  // Belt and braces: what Netzme hashes (its minified form) must be byte-identical to what we send.
  if (minifyJson(text) !== text) {
    throw new NetzmeError({
      category: 'INVALID_REQUEST',
      outcome: 'definite',
      endpoint,
      sent: false,
      message: `${endpoint}: body would be canonicalised differently by Netzme; refusing to send`,
    });
  }
  return text;
}

/** `?a=1&b=2` with every value percent-encoded (stable order = the signed order). */
export function buildQuery(query: Record<string, string> | undefined): string {
  if (!query) {
    return '';
  }
  const parts = Object.entries(query).map(
    ([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
  );
  return parts.length ? `?${parts.join('&')}` : '';
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

interface Success {
  body: unknown;
  responseCode: string;
  status: number;
}

interface AttemptFailure {
  error: NetzmeError;
  retryable: boolean;
}

/**
 * Signs and sends calls for one API family (Toko or consumer): owns that family's token manager.
 */
export class FamilyTransport {
  readonly tokens: TokenManager;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly origin: string;
  /** Path part of baseUrl (usually empty): it is part of the signed path too. */
  private readonly basePath: string;

  constructor(
    private readonly family: FamilySettings,
    private readonly settings: TransportSettings,
  ) {
    this.tokens = new TokenManager({
      clientId: family.clientId,
      store: settings.tokenStore,
      refreshMarginMs: settings.tokenRefreshMarginMs,
      now: settings.now,
      sleep: settings.sleep,
      fetchToken: () => this.fetchToken(),
    });
    this.sleep = settings.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    settings.redactor.addSecret(family.clientSecret);
    const base = new URL(family.baseUrl);
    this.origin = base.origin;
    this.basePath = base.pathname.replace(/\/+$/, '');
  }

  /** Absolute URL and the path Netzme sees (RequestURI: path + query, as the URL parser sends it). */
  private target(pathWithQuery: string): { href: string; signedPath: string } {
    const url = new URL(this.basePath + pathWithQuery, this.origin);
    return { href: url.href, signedPath: url.pathname + url.search };
  }

  get clientId(): string {
    return this.family.clientId;
  }

  /** Send a signed transactional call; returns the parsed success body or throws NetzmeError. */
  async call<T>(call: SignedCall): Promise<T> {
    const spec = call.endpoint;
    const bodyText = serializeBody(spec.name, call.body);
    // Sign the path exactly as the HTTP stack will send it (URL parsing may normalise it).
    const target = this.target(call.path + buildQuery(call.query));
    const signedPath = target.signedPath;
    const secrets = call.secrets ?? [];

    if (call.options?.externalId !== undefined && !/^\d{1,36}$/.test(call.options.externalId)) {
      // Netzme: digits only (else 409xx00), at most 36 characters (else 400xx02).
      throw new NetzmeError({ category: 'INVALID_REQUEST', outcome: 'definite', endpoint: spec.name, sent: false, message: `${spec.name}: X-EXTERNAL-ID must be 1-36 digits` });
    }
    const started = performance.now();
    const attemptResults: string[] = [];
    let externalId = call.options?.externalId ?? newExternalId();
    let tokenRefreshed = false;
    let rotatedAfterConflict = false;
    let attempt = 0;
    let staleToken: string | null = null;

    for (;;) {
      attempt++;
      let accessToken: string;
      try {
        accessToken = staleToken ? await this.tokens.replaceToken(staleToken) : await this.tokens.getToken();
      } catch (err) {
        // No token, nothing sent: whatever happened on the token call, this call's outcome is definite.
        const tokenError = err instanceof NetzmeError ? err : this.unexpected(spec.name, err);
        const error = new NetzmeError({
          category: tokenError.category,
          outcome: 'definite',
          endpoint: spec.name,
          sent: false,
          responseCode: tokenError.responseCode,
          responseMessage: tokenError.responseMessage,
          httpStatus: tokenError.httpStatus,
          networkCode: tokenError.networkCode,
          externalId,
          partnerReferenceNo: call.partnerReferenceNo,
          attempts: attempt,
          message: `${spec.name}: could not obtain an access token (${tokenError.message})`,
        });
        attemptResults.push(`TOKEN:${tokenError.responseCode ?? tokenError.category}`);
        this.log(spec, signedPath, started, attempt, attemptResults, tokenRefreshed, externalId, call.partnerReferenceNo, undefined, error);
        throw error;
      }
      staleToken = null;

      const timestamp = jakartaTimestamp(new Date(this.settings.now()));
      const signature = signSymmetric(this.family.clientSecret, {
        method: spec.method,
        path: signedPath,
        accessToken,
        body: bodyText,
        timestamp,
      });
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-TIMESTAMP': timestamp,
        'X-SIGNATURE': signature,
        Authorization: `Bearer ${accessToken}`,
        'X-PARTNER-ID': this.family.clientId,
        'X-EXTERNAL-ID': externalId,
        'CHANNEL-ID': this.family.channelId,
      };
      if (this.family.sendClientSecretHeader) {
        headers['X-CLIENT-SECRET'] = this.family.clientSecret;
      }

      const outcome = await this.attempt(spec, target.href, headers, bodyText, call.options, call.partnerReferenceNo, externalId, attempt, secrets);
      if (!('error' in outcome)) {
        attemptResults.push(outcome.responseCode);
        this.log(spec, signedPath, started, attempt, attemptResults, tokenRefreshed, externalId, call.partnerReferenceNo, outcome.body, undefined, outcome.status);
        return outcome.body as T;
      }
      const { error } = outcome;
      attemptResults.push(error.responseCode ?? error.networkCode ?? error.category);

      if (error.category === 'INVALID_TOKEN' && !tokenRefreshed) {
        // 401xx01: Netzme no longer accepts this token (another replica refreshed, or it expired early).
        // Refresh once and resend as a new request (new X-EXTERNAL-ID, timestamp and signature):
        // the first one was rejected at authentication, before any business processing.
        tokenRefreshed = true;
        staleToken = accessToken;
        externalId = newExternalId();
        continue;
      }
      if (outcome.retryable && spec.effect === 'read' && attempt < this.settings.maxAttempts) {
        // Read-only: resend the same request (same body and X-EXTERNAL-ID) after a jittered pause.
        await this.sleep(this.backoff(attempt));
        continue;
      }
      if (error.category === 'CONFLICT' && spec.effect === 'read' && attempt > 1 && !rotatedAfterConflict) {
        // Our earlier attempt did arrive and an edge that enforces X-EXTERNAL-ID uniqueness refuses
        // the repeat (409xx00). Harmless for a read: ask once more under a new id.
        rotatedAfterConflict = true;
        externalId = newExternalId();
        continue;
      }
      error.attempts = attempt;
      this.log(spec, signedPath, started, attempt, attemptResults, tokenRefreshed, externalId, call.partnerReferenceNo, error.response, error);
      throw error;
    }
  }

  backoff(attempt: number): number {
    return backoffDelay(attempt, this.settings.baseDelayMs, this.settings.maxDelayMs);
  }

  /** One HTTP exchange, classified. */
  private async attempt(
    spec: NetzmeEndpointSpec,
    url: string,
    headers: Record<string, string>,
    bodyText: string,
    options: CallOptions | undefined,
    partnerReferenceNo: string | undefined,
    externalId: string | undefined,
    attempt: number,
    secrets: string[],
  ): Promise<Success | AttemptFailure> {
    let result: HttpAnswer;
    const timeoutMs = options?.timeoutMs ?? this.settings.timeoutMs;
    try {
      result = await this.send(spec.method, url, headers, bodyText, timeoutMs, options?.signal);
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
          endpoint: spec.name,
          sent: kind.outcome === 'unknown',
          networkCode: failure.timedOut ? 'TIMEOUT' : failure.code,
          externalId,
          partnerReferenceNo,
          attempts: attempt,
          message: `${spec.name}: ${failure.timedOut ? `no answer within ${timeoutMs} ms` : `network error ${failure.code}`} (outcome ${kind.outcome})`,
        }),
        // A caller's own cancellation is never retried.
        retryable: !failure.aborted,
      };
    }
    return this.interpret(spec, result, externalId, partnerReferenceNo, attempt, secrets);
  }

  private interpret(
    spec: NetzmeEndpointSpec,
    result: HttpAnswer,
    externalId: string | undefined,
    partnerReferenceNo: string | undefined,
    attempt: number,
    secrets: string[],
  ): Success | AttemptFailure {
    let body: unknown;
    try {
      body = result.text === '' ? undefined : JSON.parse(result.text);
    } catch {
      body = undefined;
    }
    const record = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
    const responseCode = typeof record?.responseCode === 'string' ? record.responseCode : undefined;
    const responseMessage = typeof record?.responseMessage === 'string' ? this.settings.redactor.redact(record.responseMessage, secrets) : undefined;
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
      externalId,
      partnerReferenceNo,
      attempts: attempt,
      response: record ? this.settings.redactor.redact(record, secrets) : undefined,
      message: `${spec.name}: ${responseCode ?? `HTTP ${result.status}`}${responseMessage ? ` ${responseMessage}` : ''} (${category}, outcome ${outcome})`,
    });
    const retryable =
      outcome === 'unknown' || category === 'NETWORK' || (category === 'RATE_LIMITED' && (responseCode === undefined || responseCode.startsWith('429')));
    return { error, retryable };
  }

  private async send(method: string, url: string, headers: Record<string, string>, body: string, timeoutMs: number, signal?: AbortSignal): Promise<HttpAnswer> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = (): void => controller.abort();
    if (signal?.aborted) {
      clearTimeout(timer);
      throw new TransportFailure('ABORTED', false, true);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.settings.http({ method, url, headers, body, signal: controller.signal });
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

  /** The B2B token call (docs/netzme-protocol.md §1.5–1.6): RSA-signed `clientId|timestamp`, retried like a read. */
  private async fetchToken(): Promise<{ accessToken: string; expiresInMs: number }> {
    const spec = NETZME_ENDPOINTS.accessToken;
    const bodyText = '{"grantType":"client_credentials","additionalInfo":{}}';
    const target = this.target(this.family.tokenPath);
    const started = performance.now();
    const attemptResults: string[] = [];
    for (let attempt = 1; ; attempt++) {
      const timestamp = jakartaTimestamp(new Date(this.settings.now()));
      const headers = {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-TIMESTAMP': timestamp,
        'X-CLIENT-KEY': this.family.clientId,
        'X-SIGNATURE': signAccessTokenRequest(this.family.privateKey, this.family.clientId, timestamp),
      };
      const outcome = await this.attempt(spec, target.href, headers, bodyText, undefined, undefined, undefined, attempt, []);
      if (!('error' in outcome)) {
        const body = outcome.body as { accessToken?: unknown; expiresIn?: unknown };
        const seconds = typeof body.expiresIn === 'string' || typeof body.expiresIn === 'number' ? Number(body.expiresIn) : NaN;
        // expiresIn "0" is legitimate (Netzme counts the live token down): use it for this call only.
        if (typeof body.accessToken !== 'string' || body.accessToken === '' || !Number.isFinite(seconds) || seconds < 0) {
          const error = new NetzmeError({
            category: 'INVALID_RESPONSE',
            outcome: 'definite',
            endpoint: spec.name,
            sent: true,
            responseCode: outcome.responseCode,
            attempts: attempt,
            message: `${spec.name}: success code without a usable accessToken/expiresIn`,
          });
          attemptResults.push(outcome.responseCode);
          this.log(spec, target.signedPath, started, attempt, attemptResults, false, undefined, undefined, undefined, error);
          throw error;
        }
        this.settings.redactor.addSecret(body.accessToken);
        attemptResults.push(outcome.responseCode);
        this.log(spec, target.signedPath, started, attempt, attemptResults, false, undefined, undefined, undefined, undefined, outcome.status);
        return { accessToken: body.accessToken, expiresInMs: seconds * 1000 };
      }
      attemptResults.push(outcome.error.responseCode ?? outcome.error.networkCode ?? outcome.error.category);
      if (outcome.retryable && attempt < this.settings.maxAttempts) {
        await this.sleep(this.backoff(attempt));
        continue;
      }
      outcome.error.attempts = attempt;
      this.log(spec, target.signedPath, started, attempt, attemptResults, false, undefined, undefined, undefined, outcome.error);
      throw outcome.error;
    }
  }

  private unexpected(endpoint: string, err: unknown): NetzmeError {
    return new NetzmeError({
      category: 'NETWORK',
      outcome: 'definite',
      endpoint,
      sent: false,
      message: `${endpoint}: ${this.settings.redactor.scrub(err instanceof Error ? err.message : String(err))}`,
    });
  }

  private log(
    spec: NetzmeEndpointSpec,
    path: string,
    started: number,
    attempts: number,
    attemptResults: string[],
    tokenRefreshed: boolean,
    externalId: string | undefined,
    partnerReferenceNo: string | undefined,
    body: unknown,
    error?: NetzmeError,
    httpStatus?: number,
  ): void {
    const record = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : undefined;
    const scrub = (v: unknown): string | undefined => (typeof v === 'string' ? this.settings.redactor.scrub(v) : undefined);
    const entry: NetzmeCallLog = {
      event: 'netzme.call',
      family: this.family.family,
      endpoint: spec.name,
      method: spec.method,
      path: scrub(path) ?? REDACTED,
      outcome: error ? error.outcome : 'success',
      httpStatus: error ? error.httpStatus : httpStatus,
      responseCode: error ? error.responseCode : scrub(record?.responseCode),
      responseMessage: error ? error.responseMessage : scrub(record?.responseMessage),
      category: error?.category,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      attempts,
      attemptResults,
      tokenRefreshed: tokenRefreshed || undefined,
      externalId,
      partnerReferenceNo: scrub(partnerReferenceNo),
      referenceNo: scrub(record?.referenceNo),
      clientId: this.family.clientId,
    };
    try {
      if (error) {
        this.settings.logger.warn(entry);
      } else {
        this.settings.logger.info(entry);
      }
    } catch {
      // A broken logger must never turn a completed payment call into a failure.
    }
  }
}

/** Path of a spec for a configured version, honouring overrides. */
export function resolvePath(spec: NetzmeEndpointSpec, version: string | undefined, override: string | undefined): string {
  if (override) {
    return override;
  }
  if (version && spec.versions.includes(version)) {
    return endpointPath(spec, version);
  }
  return endpointPath(spec);
}
