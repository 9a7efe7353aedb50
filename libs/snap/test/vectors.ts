import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The shared signature vectors and test keys live beside the repository in ../shared/netzme. */
export const SHARED_NETZME_DIR = join(__dirname, '..', '..', '..', '..', 'shared', 'netzme');
export const FIXTURE_DIR = join(__dirname, 'fixtures');

export interface SignatureVector {
  name: string;
  type: string;
  verified: boolean;
  method: string | null;
  path: string | null;
  clientId?: string;
  clientSecret: string | null;
  accessToken: string | null;
  timestamp: string | null;
  body: string;
  bodyBeforeMinify?: string;
  bodySha256Hex?: string;
  stringToSign?: string;
  privateKeyFile?: string;
  publicKeyFile?: string;
  privateKeyBase64Pkcs1?: string;
  publicKeyBase64Pkcs1?: string;
  merchantId?: string;
  clearPin?: string;
  expectedSignature: string;
}

/** Vectors are copied into fixtures/ so the suite does not depend on ../shared being present. */
export function loadVectors(): SignatureVector[] {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, 'vectors.json'), 'utf8')) as SignatureVector[];
}

export function readKey(file: string): string {
  return readFileSync(join(FIXTURE_DIR, file), 'utf8');
}
