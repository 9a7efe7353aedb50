import { hash } from 'node:crypto';

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
