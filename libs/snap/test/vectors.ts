import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Signature vectors (docs/netzme-protocol.md §5) and test keys, kept in the repository. */
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

export function loadVectors(): SignatureVector[] {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, 'vectors.json'), 'utf8')) as SignatureVector[];
}

export function readKey(file: string): string {
  return readFileSync(join(FIXTURE_DIR, file), 'utf8');
}
