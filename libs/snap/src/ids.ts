import { randomInt, randomUUID } from 'node:crypto';

/** A fresh numeric X-EXTERNAL-ID (32 digits, Netzme allows up to 36, digits only). */
export function newExternalId(): string {
  let out = String(randomInt(1, 10));
  while (out.length < 32) {
    out += String(randomInt(0, 1_000_000)).padStart(6, '0');
  }
  return out.slice(0, 32);
}

export function newUuid(): string {
  return randomUUID();
}
