import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateKey } from 'node:crypto';
import { loadVectors, readKey } from '../../../../libs/snap/test/vectors';
import { ConfigurationError } from './env-validation';
import { DEV_ADMIN_KEY, DEV_CHECKOUT_KEY, loadGatewayConfig } from './gateway.config';

const DOCS_EXAMPLE_KEY = (loadVectors().find((v) => v.privateKeyBase64Pkcs1)?.privateKeyBase64Pkcs1 ?? '') as string;

const REAL_NETZME = {
  NETZME_BASE_URL: 'https://tokoapisnap-stg.netzme.com',
  NETZME_CLIENT_ID: 'TokoClient',
  NETZME_CLIENT_SECRET: 'f013bc2810be469790dc99773c08812e',
  // The 512-bit example key printed in Netzme's docs (bare base64 PKCS#1, as Netzme e-mails it).
  NETZME_PRIVATE_KEY: DOCS_EXAMPLE_KEY,
  NETZME_CALLBACK_TOKEN: 'wPdsP4e3kXcXwZoogNulEanpDyNuO6cKLI8URGtdMTs=',
  NETZME_MERCHANT_ID: 'M_TB1NMLig',
};

function sandboxDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sbx-'));
  writeFileSync(
    join(dir, 'credentials.json'),
    JSON.stringify({ clientId: 'SandboxClient', clientSecret: 'a'.repeat(32), privateKey: DOCS_EXAMPLE_KEY, callbackToken: 'cb-token-123', merchantId: 'M_SANDBOX1' }),
  );
  return dir;
}

describe('loadGatewayConfig', () => {
  it('falls back to the sandbox credentials and development API keys outside production', () => {
    const config = loadGatewayConfig({ SANDBOX_DATA_DIR: sandboxDir(), SANDBOX_PORT: '3101' });
    expect(config.netzme).toMatchObject({ baseUrl: 'http://127.0.0.1:3101', clientId: 'SandboxClient', merchantId: 'M_SANDBOX1', usingSandbox: true });
    expect(config.apiKeys).toEqual({ checkout: [DEV_CHECKOUT_KEY], admin: [DEV_ADMIN_KEY] });
    expect(config.port).toBe(3000);
  });

  it('names the sandbox credentials file when neither settings nor sandbox are there', () => {
    expect(() => loadGatewayConfig({ SANDBOX_DATA_DIR: join(tmpdir(), 'nowhere-xyz') })).toThrow(/NETZME_CLIENT_ID: not set, and no sandbox credentials at .*nowhere-xyz/);
  });

  it('refuses to start in production without real Netzme settings and API keys', () => {
    let error: unknown;
    try {
      loadGatewayConfig({ NODE_ENV: 'production', SANDBOX_DATA_DIR: sandboxDir() });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    for (const name of ['NETZME_BASE_URL', 'NETZME_CLIENT_SECRET', 'NETZME_PRIVATE_KEY', 'CHECKOUT_API_KEYS', 'ADMIN_API_KEYS']) {
      expect(message).toContain(name);
    }
  });

  it('refuses the development keys in production', () => {
    expect(() => loadGatewayConfig({ NODE_ENV: 'production', ...REAL_NETZME, CHECKOUT_API_KEYS: DEV_CHECKOUT_KEY, ADMIN_API_KEYS: 'a-long-admin-key-1234' })).toThrow(/development API keys/);
  });

  it('accepts a complete production configuration', () => {
    const config = loadGatewayConfig({ NODE_ENV: 'production', ...REAL_NETZME, CHECKOUT_API_KEYS: 'chk-key-000000001, chk-key-000000002', ADMIN_API_KEYS: 'adm-key-000000001' });
    expect(config.production).toBe(true);
    expect(config.netzme.usingSandbox).toBe(false);
    expect(config.apiKeys.checkout).toEqual(['chk-key-000000001', 'chk-key-000000002']);
  });

  it('names the bad variable and never echoes a secret value', () => {
    expect(() => loadGatewayConfig({ ...REAL_NETZME, PORT: 'eighty' })).toThrow(/PORT: .*\(got "eighty"\)/);
    let message = '';
    try {
      loadGatewayConfig({ ...REAL_NETZME, NETZME_CLIENT_SECRET: 'short' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('NETZME_CLIENT_SECRET');
    expect(message).not.toContain('short"');
    expect(() => loadGatewayConfig({ ...REAL_NETZME, DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must be a postgres/);
    expect(() => loadGatewayConfig({ ...REAL_NETZME, NETZME_PRIVATE_KEY: 'not-a-key'.repeat(8) })).toThrow(/NETZME_PRIVATE_KEY: not a readable RSA private key/);
  });

  it.each([
    ['bare base64 PKCS#1, as Netzme e-mails it', () => DOCS_EXAMPLE_KEY],
    ['PKCS#1 PEM ("RSA PRIVATE KEY")', () => readKey('test-keys/partner-private.pkcs1.pem')],
    ['PKCS#8 PEM ("PRIVATE KEY")', () => readKey('test-keys/partner-private.pem')],
    ['PEM on one line with \\n escapes (a .env file)', () => readKey('test-keys/partner-private.pem').trim().replace(/\n/g, '\\n')],
  ])('takes NETZME_PRIVATE_KEY as %s, and the client gets the same key', (_label, key) => {
    const config = loadGatewayConfig({ ...REAL_NETZME, NETZME_PRIVATE_KEY: key() });
    expect(config.netzme.privateKey).toBe(key());
  });

  it('the bare base64 and the PEM forms of one key are the same key', () => {
    const pem = readKey('test-keys/partner-private.pkcs1.pem');
    const bare = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    const der = (text: string) => createPrivateKey(text.includes('BEGIN') ? text : { key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs1' }).export({ type: 'pkcs1', format: 'der' });
    expect(der(bare).equals(der(pem))).toBe(true);
    expect(loadGatewayConfig({ ...REAL_NETZME, NETZME_PRIVATE_KEY: bare }).netzme.privateKey).toBe(bare);
  });
});
