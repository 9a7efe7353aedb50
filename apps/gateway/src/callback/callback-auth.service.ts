import { constantTimeEquals, loadPublicKey, verifyAsymmetric } from '@app/snap';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway.settings';
import { CALLBACK_KIND_INFO, CallbackKind } from './callback-kinds';
import { CALLBACK_SETTINGS, CallbackSettings } from './callback.settings';

/** What the authenticity check needs from a request. */
export interface CallbackRequestParts {
  /** Header lookup, case-insensitive. */
  header(name: string): string | undefined;
  /** Path and query exactly as received (the SNAP signature covers it). */
  pathAsReceived: string;
  /** The exact body bytes; undefined when nothing was read (e.g. not JSON). */
  rawBody: Buffer | undefined;
}

export type AuthResult = { ok: true } | { ok: false; scheme: 'token' | 'snap'; reason: string; stale?: boolean };

/** X-TIMESTAMP as SNAP writes it: ISO-8601 date-time with seconds and an offset (or Z). */
const SNAP_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Is this really Netzme? v1 callbacks carry the `x-callback-token` Netzme issued us (compared in
 * constant time); the SNAP QRIS callback (T18) carries X-SIGNATURE = SHA256withRSA over
 * `POST:<path>:<sha256hex(minify(raw body))>:<X-TIMESTAMP>`, verified with Netzme's public key.
 */
@Injectable()
export class CallbackAuthService {
  private readonly logger = new Logger('Callbacks');
  private readonly publicKey: KeyObject | null;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(CALLBACK_SETTINGS) private readonly settings: CallbackSettings,
  ) {
    let key: KeyObject | null = null;
    if (config.netzme.publicKey) {
      try {
        key = loadPublicKey(config.netzme.publicKey);
      } catch {
        this.logger.error('NETZME_PUBLIC_KEY cannot be read: SNAP-signed callbacks will be refused');
      }
    }
    this.publicKey = key;
  }

  verify(kind: CallbackKind, req: CallbackRequestParts): AuthResult {
    if (CALLBACK_KIND_INFO[kind].auth === 'snap') {
      return this.verifySignature(req);
    }
    const token = req.header('x-callback-token');
    const expected = this.config.netzme.callbackToken;
    if (!token || !expected || !constantTimeEquals(token, expected)) {
      return { ok: false, scheme: 'token', reason: token ? 'x-callback-token does not match' : 'x-callback-token missing' };
    }
    return { ok: true };
  }

  private verifySignature(req: CallbackRequestParts): AuthResult {
    const signature = req.header('x-signature');
    const timestamp = req.header('x-timestamp');
    if (!this.publicKey) {
      return { ok: false, scheme: 'snap', reason: 'NETZME_PUBLIC_KEY is not configured' };
    }
    if (!signature || !timestamp) {
      return { ok: false, scheme: 'snap', reason: 'X-SIGNATURE or X-TIMESTAMP missing' };
    }
    if (!req.rawBody) {
      return { ok: false, scheme: 'snap', reason: 'no JSON body to verify' };
    }
    // Freshness: a signature over an old timestamp is a replay (the signature covers X-TIMESTAMP).
    const at = SNAP_TIMESTAMP.test(timestamp.trim()) ? Date.parse(timestamp.trim()) : Number.NaN;
    if (Number.isNaN(at)) {
      return { ok: false, scheme: 'snap', reason: 'X-TIMESTAMP is not an ISO-8601 date-time with an offset', stale: true };
    }
    if (Math.abs(Date.now() - at) > this.settings.timestampWindowMs) {
      return { ok: false, scheme: 'snap', reason: `X-TIMESTAMP is more than ${this.settings.timestampWindowMs / 1000} s away from now`, stale: true };
    }
    let body: string;
    try {
      body = new TextDecoder('utf-8', { fatal: true }).decode(req.rawBody);
    } catch {
      return { ok: false, scheme: 'snap', reason: 'body is not UTF-8' };
    }
    const ok = verifyAsymmetric(this.publicKey, { method: 'POST', path: req.pathAsReceived, body, timestamp }, signature);
    return ok ? { ok: true } : { ok: false, scheme: 'snap', reason: 'X-SIGNATURE does not verify' };
  }
}
