import { randomInt, randomUUID } from 'node:crypto';
import { jakartaTimestamp } from './time';

/** A fresh numeric X-EXTERNAL-ID (32 digits, Netzme allows up to 36, digits only). */
export function newExternalId(): string {
  let out = String(randomInt(1, 10));
  while (out.length < 32) {
    out += String(randomInt(0, 1_000_000)).padStart(6, '0');
  }
  return out.slice(0, 32);
}

/**
 * 10 random upper-case hex digits (40 bits), the random part of our partner references. Taken from a
 * v4 UUID's first 8 and 10th-11th hex digits (all random; the version digit comes later): randomUUID
 * draws from a cached entropy pool, where randomBytes asks OpenSSL on every call.
 */
export function randomReferenceSuffix(): string {
  const uuid = randomUUID();
  return `${uuid.slice(0, 8)}${uuid.slice(9, 11)}`.toUpperCase();
}

/**
 * A partner reference that sorts by time: the prefix, the Jakarta time to the second as 14 digits and
 * 10 random hex digits, e.g. WD20261121194512 + 3F09A1C2B7 (≤ 32 characters for a 2-8 letter prefix).
 */
export function timestampedReference(prefix: string, date: Date = new Date()): string {
  return `${prefix}${jakartaTimestamp(date).slice(0, 19).replace(/\D/g, '')}${randomReferenceSuffix()}`;
}

export function newUuid(): string {
  return randomUUID();
}
