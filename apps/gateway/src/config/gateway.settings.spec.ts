import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrivateKey } from 'node:crypto';
import { loadVectors, readKey } from '../../../../libs/snap/test/vectors';
import { ConfigurationError } from './env-validation';
import { DEV_ADMIN_KEY, DEV_CHECKOUT_KEY, isLocalSandboxUrl, loadGatewaySettings } from './gateway.settings';

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

// 32+ character keys, as production requires (test values only).
const CHK1 = 'chk-key-000000001-test-only-0000000000';
const CHK2 = 'chk-key-000000002-test-only-0000000000';
const ADM1 = 'adm-key-000000001-test-only-0000000000';
const STRONG_KEYS = { CHECKOUT_API_KEYS: `${CHK1}, ${CHK2}`, ADMIN_API_KEYS: ADM1 };

function problemsOf(raw: Record<string, string | undefined>): string {
  try {
    loadGatewaySettings(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigurationError);
    return (e as Error).message;
  }
  return '';
}

function sandboxDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sbx-'));
  writeFileSync(
    join(dir, 'credentials.json'),
    JSON.stringify({
      clientId: 'SandboxClient',
      clientSecret: 'a'.repeat(32),
      privateKey: DOCS_EXAMPLE_KEY,
      callbackToken: 'cb-token-123',
      merchantId: 'M_SANDBOX1',
    }),
  );
  return dir;
}

describe('loadGatewaySettings', () => {
  it('falls back to the sandbox credentials and development API keys outside production', () => {
    const config = loadGatewaySettings({ SANDBOX_DATA_DIR: sandboxDir(), SANDBOX_PORT: '3101' });
    expect(config.netzme).toMatchObject({ baseUrl: 'http://127.0.0.1:3101', clientId: 'SandboxClient', merchantId: 'M_SANDBOX1', usingSandbox: true });
    expect(config.apiKeys).toEqual({ checkout: [DEV_CHECKOUT_KEY], admin: [DEV_ADMIN_KEY], viewer: [] });
    expect(config.port).toBe(3000);
  });

  it('names the sandbox credentials file when neither settings nor sandbox are there', () => {
    expect(() => loadGatewaySettings({ SANDBOX_DATA_DIR: join(tmpdir(), 'nowhere-xyz') })).toThrow(
      /NETZME_CLIENT_ID: not set, and no sandbox credentials at .*nowhere-xyz/,
    );
  });

  it('refuses to start in production without real Netzme settings and API keys', () => {
    let error: unknown;
    try {
      loadGatewaySettings({ NODE_ENV: 'production', SANDBOX_DATA_DIR: sandboxDir() });
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
    expect(() =>
      loadGatewaySettings({ NODE_ENV: 'production', ...REAL_NETZME, CHECKOUT_API_KEYS: DEV_CHECKOUT_KEY, ADMIN_API_KEYS: 'a-long-admin-key-1234' }),
    ).toThrow(/development API keys/);
  });

  it('accepts a complete production configuration', () => {
    const config = loadGatewaySettings({ NODE_ENV: 'production', ...REAL_NETZME, ...STRONG_KEYS });
    expect(config.production).toBe(true);
    expect(config.netzme.usingSandbox).toBe(false);
    expect(config.apiKeys.checkout).toEqual([CHK1, CHK2]);
  });

  it('NETZME_HTTP_TRANSPORT: undici by default, axios on request, anything else refused by name', () => {
    expect(loadGatewaySettings({ ...REAL_NETZME, ...STRONG_KEYS }).netzme.httpTransport).toBe('undici');
    expect(loadGatewaySettings({ ...REAL_NETZME, ...STRONG_KEYS, NETZME_HTTP_TRANSPORT: 'axios' }).netzme.httpTransport).toBe('axios');
    expect(problemsOf({ ...REAL_NETZME, ...STRONG_KEYS, NETZME_HTTP_TRANSPORT: 'fetch' })).toMatch(/NETZME_HTTP_TRANSPORT must be undici or axios/);
  });

  it('names the bad variable and never echoes a secret value', () => {
    expect(() => loadGatewaySettings({ ...REAL_NETZME, PORT: 'eighty' })).toThrow(/PORT: .*\(got "eighty"\)/);
    let message = '';
    try {
      loadGatewaySettings({ ...REAL_NETZME, NETZME_CLIENT_SECRET: 'short' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('NETZME_CLIENT_SECRET');
    expect(message).not.toContain('short"');
    expect(() => loadGatewaySettings({ ...REAL_NETZME, DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must be a postgres/);
    expect(() => loadGatewaySettings({ ...REAL_NETZME, NETZME_PRIVATE_KEY: 'not-a-key'.repeat(8) })).toThrow(
      /NETZME_PRIVATE_KEY: not a readable RSA private key/,
    );
  });

  it.each([
    ['bare base64 PKCS#1, as Netzme e-mails it', () => DOCS_EXAMPLE_KEY],
    ['PKCS#1 PEM ("RSA PRIVATE KEY")', () => readKey('test-keys/partner-private.pkcs1.pem')],
    ['PKCS#8 PEM ("PRIVATE KEY")', () => readKey('test-keys/partner-private.pem')],
    ['PEM on one line with \\n escapes (a .env file)', () => readKey('test-keys/partner-private.pem').trim().replace(/\n/g, '\\n')],
  ])('takes NETZME_PRIVATE_KEY as %s, and the client gets the same key', (_label, key) => {
    const config = loadGatewaySettings({ ...REAL_NETZME, ...STRONG_KEYS, NETZME_PRIVATE_KEY: key() });
    expect(config.netzme.privateKey).toBe(key());
  });

  it('the bare base64 and the PEM forms of one key are the same key', () => {
    const pem = readKey('test-keys/partner-private.pkcs1.pem');
    const bare = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    const der = (text: string) =>
      createPrivateKey(text.includes('BEGIN') ? text : { key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs1' }).export({
        type: 'pkcs1',
        format: 'der',
      });
    expect(der(bare).equals(der(pem))).toBe(true);
    expect(loadGatewaySettings({ ...REAL_NETZME, ...STRONG_KEYS, NETZME_PRIVATE_KEY: bare }).netzme.privateKey).toBe(bare);
  });

  describe('weak key settings are refused at start (issue 16, item 8)', () => {
    it('refuses the same key in two lists (it would silently become an admin key), in any mode', () => {
      expect(problemsOf({ NODE_ENV: 'production', ...REAL_NETZME, CHECKOUT_API_KEYS: `${CHK1},${ADM1}`, ADMIN_API_KEYS: ADM1 })).toMatch(/a key appears twice/);
      expect(problemsOf({ SANDBOX_DATA_DIR: sandboxDir(), CHECKOUT_API_KEYS: 'same-key-0001', ADMIN_API_KEYS: 'same-key-0001' })).toMatch(
        /a key appears twice/,
      );
    });

    it('refuses keys shorter than 32 characters in production, without echoing them', () => {
      const message = problemsOf({ NODE_ENV: 'production', ...REAL_NETZME, CHECKOUT_API_KEYS: CHK1, ADMIN_API_KEYS: 'adm-key-0000001' });
      expect(message).toMatch(/every key must be at least 32 characters in production/);
      expect(message).not.toContain('adm-key-0000001');
      expect(problemsOf({ NODE_ENV: 'production', ...REAL_NETZME, ...STRONG_KEYS })).toBe('');
    });

    it('refuses a callback token shorter than 32 characters in production', () => {
      const message = problemsOf({ NODE_ENV: 'production', ...REAL_NETZME, ...STRONG_KEYS, NETZME_CALLBACK_TOKEN: 'abcd1234' });
      expect(message).toMatch(/NETZME_CALLBACK_TOKEN: must be at least 32 characters in production/);
      expect(message).not.toContain('abcd1234');
    });
  });

  describe('development keys only against the local sandbox, whatever NODE_ENV says (issue 20)', () => {
    it('refuses the development keys, named or by default, when NETZME_BASE_URL is a real Netzme host', () => {
      for (const NODE_ENV of [undefined, 'development', 'test']) {
        const env: Record<string, string> = NODE_ENV ? { NODE_ENV } : {};
        expect(problemsOf({ ...env, ...REAL_NETZME, CHECKOUT_API_KEYS: DEV_CHECKOUT_KEY, ADMIN_API_KEYS: DEV_ADMIN_KEY })).toMatch(
          /development API keys .* may only be used against the local sandbox/,
        );
        expect(problemsOf({ ...env, ...REAL_NETZME })).toMatch(/CHECKOUT_API_KEYS: required when NETZME_BASE_URL is not the local sandbox/);
        expect(problemsOf({ ...env, ...REAL_NETZME, CHECKOUT_API_KEYS: CHK1 })).toMatch(
          /ADMIN_API_KEYS: required when NETZME_BASE_URL is not the local sandbox/,
        );
        expect(problemsOf({ ...env, ...REAL_NETZME, ...STRONG_KEYS })).toBe('');
      }
    });

    it('keeps the development keys for the sandbox: unset, loopback or a Compose service name', () => {
      for (const NETZME_BASE_URL of [undefined, 'http://127.0.0.1:3101', 'http://localhost:3001', 'http://[::1]:3001', 'http://sandbox:3001']) {
        const config = loadGatewaySettings({ SANDBOX_DATA_DIR: sandboxDir(), ...(NETZME_BASE_URL ? { NETZME_BASE_URL } : {}) });
        expect(config.apiKeys).toMatchObject({ checkout: [DEV_CHECKOUT_KEY], admin: [DEV_ADMIN_KEY] });
      }
      expect(isLocalSandboxUrl('https://tokoapisnap-stg.netzme.com')).toBe(false);
      expect(isLocalSandboxUrl('http://10.0.0.5:3001')).toBe(false);
    });
  });
});
