import { generateKeyPairSync } from 'node:crypto';
import { InMemoryTokenStore, NetzmeClient, type HttpSender } from '@app/netzme-client';

/** The client benchmark's credentials (a fresh key pair per run) and its client of the stand-in. */

export const CLIENT_ID = 'BenchClientId';
export const SECRET = 'f013bc2810be469790dc99773c08812e';
export const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

export function newClient(url: string, store = new InMemoryTokenStore(), http?: HttpSender): NetzmeClient {
  return new NetzmeClient({
    baseUrl: url,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    privateKey,
    merchantId: 'M_BENCH001',
    logger: false,
    timeoutMs: 30_000,
    tokenStore: store,
    http,
  });
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
