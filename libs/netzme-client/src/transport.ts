import type { KeyObject } from 'node:crypto';
import {
  jakartaTimestamp,
  newExternalId,
  NETZME_ENDPOINTS,
  signAccessTokenRequest,
  signSymmetric,
  type NetzmeEndpointSpec,
  type NetzmeFamily,
} from '@app/snap';
import { CallTrace } from './call-log';
import { NetzmeError } from './errors';
import { exchange, type Attempt, type AttemptFailure, type Success } from './exchange';
import type { HttpSender } from './http-sender';
import type { NetzmeLogger, Redactor } from './logger';
import type { CallOptions } from './params';
import { buildQuery, serializeBody } from './request-bytes';
import { TokenManager } from './token-manager';
import type { TokenStore } from './token-store';

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
 * Signs and sends calls for one API family (Toko or consumer): owns that family's token manager
 * and decides, attempt by attempt, whether to refresh the token, retry or give up. The bytes come
 * from request-bytes.ts, each exchange is classified by exchange.ts, the log line is call-log.ts.
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
    const partnerReferenceNo = call.partnerReferenceNo;

    if (call.options?.externalId !== undefined && !/^\d{1,36}$/.test(call.options.externalId)) {
      // Netzme: digits only (else 409xx00), at most 36 characters (else 400xx02).
      throw new NetzmeError({
        category: 'INVALID_REQUEST',
        outcome: 'definite',
        endpoint: spec.name,
        sent: false,
        message: `${spec.name}: X-EXTERNAL-ID must be 1-36 digits`,
      });
    }
    const trace = this.trace(spec, signedPath);
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
          partnerReferenceNo,
          attempts: attempt,
          message: `${spec.name}: could not obtain an access token (${tokenError.message})`,
        });
        trace.attemptResults.push(`TOKEN:${tokenError.responseCode ?? tokenError.category}`);
        trace.finish({ attempts: attempt, tokenRefreshed, externalId, partnerReferenceNo, error });
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

      const timeoutMs = call.options?.timeoutMs ?? this.settings.timeoutMs;
      const outcome = await this.exchange({
        spec,
        url: target.href,
        headers,
        bodyText,
        timeoutMs,
        signal: call.options?.signal,
        externalId,
        partnerReferenceNo,
        attempt,
        secrets,
      });
      if (!('error' in outcome)) {
        trace.attemptResults.push(outcome.responseCode);
        trace.finish({ attempts: attempt, tokenRefreshed, externalId, partnerReferenceNo, body: outcome.body, httpStatus: outcome.status });
        return outcome.body as T;
      }
      const { error } = outcome;
      trace.attemptResults.push(error.responseCode ?? error.networkCode ?? error.category);

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
      trace.finish({ attempts: attempt, tokenRefreshed, externalId, partnerReferenceNo, body: error.response, error });
      throw error;
    }
  }

  backoff(attempt: number): number {
    return backoffDelay(attempt, this.settings.baseDelayMs, this.settings.maxDelayMs);
  }

  /** One HTTP exchange through the configured sender, classified (exchange.ts). */
  private exchange(attempt: Attempt): Promise<Success | AttemptFailure> {
    return exchange(this.settings.http, this.settings.redactor, attempt);
  }

  /** The B2B token call (docs/netzme-protocol.md §1.5–1.6): RSA-signed `clientId|timestamp`, retried like a read. */
  private async fetchToken(): Promise<{ accessToken: string; expiresInMs: number }> {
    const spec = NETZME_ENDPOINTS.accessToken;
    const bodyText = '{"grantType":"client_credentials","additionalInfo":{}}';
    const target = this.target(this.family.tokenPath);
    const trace = this.trace(spec, target.signedPath);
    for (let attempt = 1; ; attempt++) {
      const timestamp = jakartaTimestamp(new Date(this.settings.now()));
      const headers = {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-TIMESTAMP': timestamp,
        'X-CLIENT-KEY': this.family.clientId,
        'X-SIGNATURE': signAccessTokenRequest(this.family.privateKey, this.family.clientId, timestamp),
      };
      const outcome = await this.exchange({ spec, url: target.href, headers, bodyText, timeoutMs: this.settings.timeoutMs, attempt, secrets: [] });
      if (!('error' in outcome)) {
        const body = outcome.body as { accessToken?: unknown; expiresIn?: unknown };
        const seconds = typeof body.expiresIn === 'string' || typeof body.expiresIn === 'number' ? Number(body.expiresIn) : NaN;
        trace.attemptResults.push(outcome.responseCode);
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
          trace.finish({ attempts: attempt, error });
          throw error;
        }
        this.settings.redactor.addSecret(body.accessToken);
        trace.finish({ attempts: attempt, httpStatus: outcome.status });
        return { accessToken: body.accessToken, expiresInMs: seconds * 1000 };
      }
      trace.attemptResults.push(outcome.error.responseCode ?? outcome.error.networkCode ?? outcome.error.category);
      if (outcome.retryable && attempt < this.settings.maxAttempts) {
        await this.sleep(this.backoff(attempt));
        continue;
      }
      outcome.error.attempts = attempt;
      trace.finish({ attempts: attempt, error: outcome.error });
      throw outcome.error;
    }
  }

  private trace(spec: NetzmeEndpointSpec, signedPath: string): CallTrace {
    return new CallTrace(this.settings.logger, this.settings.redactor, { family: this.family.family, clientId: this.family.clientId }, spec, signedPath);
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
}
