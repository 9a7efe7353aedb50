import type { KeyObject } from 'node:crypto';
import type { HttpSender } from './http-sender';
import type { NetzmeEndpointName } from '@app/snap';
import type { NetzmeLogger } from './logger';
import type { TokenStore } from './token-store';

export interface RetryOptions {
  /** Total attempts for read-only calls on transient errors (1 = no retry). Default 3. */
  maxAttempts?: number;
  /** First backoff step; doubles per attempt, with full jitter. Default 200 ms. */
  baseDelayMs?: number;
  /** Cap of one backoff step. Default 2000 ms. */
  maxDelayMs?: number;
}

/** Credentials and host of the Netzme consumer-side API (a separate client id and secret). */
export interface NetzmeConsumerOptions {
  /** e.g. https://apisnap-stg.netzme.com */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  privateKey: string | KeyObject;
  channelId?: string;
  /** Consumer pages list `X-CLIENT-SECRET` (the secret in clear) as a header. Default true. */
  sendClientSecretHeader?: boolean;
  /** PIN-transaction webview for Payment Bill / Seamless, e.g. https://xplorin-dev.netzme.id/pin-transaction */
  webviewUrl?: string;
}

export interface NetzmeClientOptions {
  /** Toko Netzme host, e.g. https://tokoapisnap-stg.netzme.com (no trailing path needed). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** PEM (PKCS#8 / PKCS#1) or the bare base64 PKCS#1 body Netzme e-mails. */
  privateKey: string | KeyObject;
  /** custIdMerchant, e.g. M_TB1NMLig. */
  merchantId: string;
  /** CHANNEL-ID header; default '95221'. */
  channelId?: string;
  /** Per-attempt timeout of every HTTP call (token calls included). Default 15000 ms. */
  timeoutMs?: number;
  /** Shared token cache; default: in-memory (one process). */
  tokenStore?: TokenStore;
  /** Structured call log; default one JSON line per call on the console. `false` = silent. */
  logger?: NetzmeLogger | false;
  retry?: RetryOptions;
  /** Refresh a token this long before it expires (capped at half its lifetime). Default 120000 ms. */
  tokenRefreshMarginMs?: number;
  /** Version for `{version}` paths ('v1.0' | 'v2.0'); default: each endpoint's documented default. */
  apiVersion?: string;
  /** Version of the token path ('v1' | 'v2'); default 'v1' (what every known client uses). */
  tokenApiVersion?: string;
  /** Replace an endpoint's path (from the host root, version included) — for correcting inferred pages. */
  pathOverrides?: Partial<Record<NetzmeEndpointName, string>>;
  /** How requests travel (a proxy, mTLS, a test double). Default: `undiciSender()`, a keep-alive undici pool. */
  http?: HttpSender;
  /** Netzme consumer-side API; the consumer methods throw when this is absent. */
  consumer?: NetzmeConsumerOptions;
  /** Clock (epoch ms), for tests. */
  now?: () => number;
}

export const DEFAULTS = {
  channelId: '95221',
  timeoutMs: 15_000,
  maxAttempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 2_000,
  tokenRefreshMarginMs: 120_000,
  tokenApiVersion: 'v1',
} as const;
