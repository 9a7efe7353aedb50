import { hash } from 'node:crypto';
import { BadRequestError, ConflictError } from '../http/app-error';
import { IdempotencyErrorCode } from './idempotency-errors';

/**
 * Idempotency, one way for every money-moving route (orders, top-ups, split fees, withdrawals):
 *   1. the caller's `Idempotency-Key` header is read and checked here ({@link idempotencyKeyOf});
 *   2. the request's meaningful content is hashed ({@link requestFingerprint}) and stored beside the
 *      key, under a unique index, in the same insert that creates the record;
 *   3. a repeat finds the stored record and is answered with it, but only when its fingerprint is the
 *      same ({@link assertSameRequest}): the same key with a different body is a 409, never a silent
 *      answer about another request.
 */

/** 1-255 visible ASCII characters (a UUID, a shop's own reference, ...): no spaces, nothing invisible. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7E]{1,255}$/;

/** The `Idempotency-Key` header, checked; `undefined` when it is optional and absent. */
export function idempotencyKeyOf(value: string | string[] | undefined, options: { required: true; what: string }): string;
export function idempotencyKeyOf(value: string | string[] | undefined, options: { required: false; what: string }): string | undefined;
export function idempotencyKeyOf(value: string | string[] | undefined, options: { required: boolean; what: string }): string | undefined {
  const key = Array.isArray(value) ? value[0] : value;
  if (key === undefined || key.trim() === '') {
    if (!options.required) {
      return undefined;
    }
    throw new BadRequestError(
      IdempotencyErrorCode.IDEMPOTENCY_KEY_REQUIRED,
      `The Idempotency-Key header is required: send a unique value (e.g. a UUID) per ${options.what}, and the same value when you retry it`,
    );
  }
  if (!IDEMPOTENCY_KEY_PATTERN.test(key)) {
    throw new BadRequestError(
      IdempotencyErrorCode.IDEMPOTENCY_KEY_INVALID,
      'The Idempotency-Key header must be 1-255 visible ASCII characters without spaces (a UUID is a good choice)',
    );
  }
  return key;
}

/** Canonical JSON (sorted keys) so that the same request body always has the same fingerprint. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * SHA-256 of a request's meaningful content: stored beside an idempotency key so that a repeat with
 * the same key but a different body is refused (409) instead of silently answered.
 */
export function requestFingerprint(value: unknown): string {
  return hash('sha256', canonicalJson(value), 'hex');
}

/**
 * A repeat must be the same request: the stored record's fingerprint against this request's. The
 * message names the record the key belongs to, so the caller can see what they collided with.
 */
export function assertSameRequest(
  stored: { id: string; requestFingerprint: string | null },
  fingerprint: string,
  what: string,
  details?: Record<string, unknown>,
): void {
  if (stored.requestFingerprint !== fingerprint) {
    throw new ConflictError(
      IdempotencyErrorCode.IDEMPOTENCY_KEY_REUSED,
      `This Idempotency-Key was already used for a different ${what} request (${what} ${stored.id}); use a new key for a new ${what}`,
      details,
    );
  }
}
