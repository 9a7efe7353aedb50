import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { testCredentials } from '../../apps/netzme-sandbox/src/sandbox';
import { createTestDatabase, TestDatabase } from '../support/database';
import { ADMIN_KEY, CHECKOUT_KEY, OFFLINE_NETZME } from '../support/gateway';
import { freePort, GATEWAY_MAIN, GatewayProcess } from '../withdrawal/gateway-process';

/** Netzme's staging host with credentials of the right shape (nothing is sent: start-up fails first). */
const STAGING = {
  NETZME_BASE_URL: 'https://tokoapisnap-stg.netzme.com',
  NETZME_CLIENT_ID: 'TokoClient',
  NETZME_CLIENT_SECRET: 'f013bc2810be469790dc99773c08812e',
  NETZME_PRIVATE_KEY: testCredentials().privateKey,
  NETZME_CALLBACK_TOKEN: 'wPdsP4e3kXcXwZoogNulEanpDyNuO6cKLI8URGtdMTs=',
  NETZME_MERCHANT_ID: 'M_TB1NMLig',
};

function startMain(env: Record<string, string>) {
  return spawnSync(process.execPath, [GATEWAY_MAIN], {
    env: { PATH: process.env.PATH, DATABASE_URL: 'postgres://x@127.0.0.1:9/x', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

async function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

describe('Safe defaults (issue 20)', () => {
  it('refuses the development keys when NETZME_BASE_URL is a real Netzme host, with NODE_ENV unset', () => {
    const named = startMain({ ...STAGING, CHECKOUT_API_KEYS: 'dev_checkout_key', ADMIN_API_KEYS: 'dev_admin_key' });
    expect(named.status).toBe(1);
    expect(named.stderr).toMatch(/development API keys .* may only be used against the local sandbox/);
    // With no keys at all the gateway used to fall back to the development keys: now it refuses to start.
    const fallback = startMain({ ...STAGING });
    expect(fallback.status).toBe(1);
    expect(fallback.stderr).toMatch(/CHECKOUT_API_KEYS: required when NETZME_BASE_URL is not the local sandbox/);
  });

  describe('listening address', () => {
    let db: TestDatabase;
    let gateway: GatewayProcess;

    beforeAll(async () => {
      db = await createTestDatabase();
    });

    afterAll(async () => {
      await gateway?.stop();
      await db.drop();
    });

    it('listens on 127.0.0.1 unless HOST is set', async () => {
      const port = await freePort();
      // HOST='' counts as unset (GatewayProcess sets HOST=127.0.0.1 otherwise).
      gateway = new GatewayProcess(port, {
        ...OFFLINE_NETZME,
        DATABASE_URL: db.url,
        ADMIN_API_KEYS: ADMIN_KEY,
        CHECKOUT_API_KEYS: CHECKOUT_KEY,
        LOG_LEVEL: 'log',
        HOST: '',
      });
      await gateway.start();
      expect(gateway.logs()).toContain(`gateway listening on http://127.0.0.1:${port}`);
      // Where the machine has another address, the gateway does not answer on it.
      const external = Object.values(networkInterfaces())
        .flat()
        .find((i) => i && i.family === 'IPv4' && !i.internal);
      if (external) {
        expect(await reachable(external.address, port)).toBe(false);
      }
      expect(await reachable('127.0.0.1', port)).toBe(true);
    });
  });
});
