import { randomBytes, randomUUID } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomAlnum(length: number): string {
  return Array.from(randomBytes(length), (b) => ALNUM[b % ALNUM.length]).join('');
}

export function uuid(): string {
  return randomUUID();
}

/** Invoice ids look like Netzme's: `NETZ-INV-<merchantId><epoch ms digits><3 random chars>` (T11). */
export function invoiceId(merchantId: string, now: number): string {
  return `NETZ-INV-${merchantId}${now}${randomAlnum(3)}`;
}

let rrnCounter = 0;

/** 12-digit QRIS retrieval reference number, unique within the process. */
export function newRrn(now: number): string {
  rrnCounter = (rrnCounter + 1) % 1_000_000;
  return `${String(Math.floor(now / 1000) % 1_000_000).padStart(6, '0')}${String(rrnCounter).padStart(6, '0')}`;
}
