import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Development credentials of the sandbox: what Netzme would e-mail a partner (docs/netzme-protocol.md §1.3),
 * plus Netzme's own key pair for SNAP asymmetric callbacks (§1.8). JSON-serialisable strings.
 */
export interface SandboxCredentials {
  clientId: string;
  /** 32 lower-case hex characters (a dash-less UUID, like Netzme's). */
  clientSecret: string;
  /** The partner's private key, PKCS#8 PEM. Netzme hands this to the partner; the sandbox never needs it. */
  privateKey: string;
  /** The partner's public key (SPKI PEM): the sandbox verifies the access-token signature with it. */
  publicKey: string;
  /** base64 of 32 random bytes, sent as `x-callback-token` on every callback. */
  callbackToken: string;
  /** Toko Netzme merchant id `M_` + 8 characters. */
  merchantId: string;
  /** Netzme's private key (PKCS#8 PEM) used to sign SNAP asymmetric callbacks. */
  netzmePrivateKey: string;
  /** Netzme's public key (SPKI PEM) the partner verifies SNAP callbacks with. */
  netzmePublicKey: string;
  /** The seeded merchant's clear 6-digit withdrawal PIN (the partner sends HMAC(clientId+merchantId, pin)). */
  merchantPin?: string;
  /** The seeded Netzme app user the consumer-side endpoints answer for. */
  consumer?: { custId: string };
}

/**
 * The partner's private key in the form Netzme e-mails it: the bare base64 body of a PKCS#1
 * ("RSA PRIVATE KEY") DER, one line, no header lines. Netzme's own clients (the WooCommerce plugin,
 * the QA tool) wrap exactly that text in "-----BEGIN RSA PRIVATE KEY-----" lines before signing.
 */
export function netzmeKeyFormat(privateKeyPem: string): string {
  return createPrivateKey(privateKeyPem).export({ type: 'pkcs1', format: 'der' }).toString('base64');
}

/** What `GET /sandbox/credentials` serves: the credentials plus the private key in Netzme's format. */
export function publishedCredentials(credentials: SandboxCredentials): SandboxCredentials & { privateKeyBase64Pkcs1: string } {
  return { ...credentials, privateKeyBase64Pkcs1: netzmeKeyFormat(credentials.privateKey) };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomAlnum(length: number): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => ALNUM[b % ALNUM.length]).join('');
}

function rsaPair(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

/** Fresh random development credentials. */
export function generateCredentials(): SandboxCredentials {
  const partner = rsaPair();
  const netzme = rsaPair();
  return {
    clientId: `SandboxClient${randomAlnum(6)}`,
    clientSecret: randomBytes(16).toString('hex'),
    privateKey: partner.privateKey,
    publicKey: partner.publicKey,
    callbackToken: randomBytes(32).toString('base64'),
    merchantId: `M_${randomAlnum(8)}`,
    netzmePrivateKey: netzme.privateKey,
    netzmePublicKey: netzme.publicKey,
    merchantPin: '123456',
    consumer: { custId: randomAlnum(8) },
  };
}

/**
 * Credentials kept across restarts under `<dataDir>/credentials.json` (gitignored `.data/`), so a
 * gateway configured once keeps working. Generated on first start.
 */
export function loadOrGenerateCredentials(dataDir: string): SandboxCredentials {
  const file = join(dataDir, 'credentials.json');
  if (existsSync(file)) {
    return JSON.parse(readFileSync(file, 'utf8')) as SandboxCredentials;
  }
  const credentials = generateCredentials();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  return credentials;
}

/** Walk up from this file to the repository root (works from src/ under ts-jest/swc and from dist/). */
function repoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    if (existsSync(join(dir, 'libs', 'snap', 'test', 'fixtures', 'test-keys'))) {
      return dir;
    }
    dir = resolve(dir, '..');
  }
  throw new Error('testCredentials(): cannot find libs/snap/test/fixtures/test-keys above ' + __dirname);
}

let cachedTestCredentials: SandboxCredentials | undefined;

/**
 * Fixed, clearly test-only credentials for automated tests: the partner key pair of
 * libs/snap/test/fixtures/test-keys and the Netzme pair of apps/netzme-sandbox/test-fixtures
 * (both READMEs say TEST KEYS ONLY). Never use them anywhere real.
 */
export function testCredentials(): SandboxCredentials {
  if (!cachedTestCredentials) {
    const root = repoRoot();
    const read = (...parts: string[]) => readFileSync(join(root, ...parts), 'utf8');
    cachedTestCredentials = {
      clientId: 'TokoSandboxTestClient',
      clientSecret: '0123456789abcdef0123456789abcdef',
      privateKey: read('libs', 'snap', 'test', 'fixtures', 'test-keys', 'partner-private.pem'),
      publicKey: read('libs', 'snap', 'test', 'fixtures', 'test-keys', 'partner-public.pem'),
      callbackToken: Buffer.from('TEST-ONLY-callback-token-32bytes').toString('base64'),
      merchantId: 'M_TestMrc1',
      netzmePrivateKey: read('apps', 'netzme-sandbox', 'test-fixtures', 'netzme-private.pem'),
      netzmePublicKey: read('apps', 'netzme-sandbox', 'test-fixtures', 'netzme-public.pem'),
      merchantPin: '123456',
      consumer: { custId: 'Mw6STUQK' },
    };
  }
  return { ...cachedTestCredentials, consumer: { ...cachedTestCredentials.consumer! } };
}
