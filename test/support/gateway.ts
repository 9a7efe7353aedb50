import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { createGatewayApp } from '../../apps/gateway/src/app.factory';
import type { RawEnv } from '../../apps/gateway/src/config/env-validation';
import { testCredentials } from '../../apps/netzme-sandbox/src/sandbox';
import { createTestDatabase, TestDatabase } from './database';

export const ADMIN_KEY = 'test_admin_key_0001_for_tests_only_xxxxxx';
export const CHECKOUT_KEY = 'test_checkout_key_0001_for_tests_only_xxx';

export interface TestGateway {
  app: INestApplication;
  url: string;
  db: TestDatabase;
  env: RawEnv;
  close(): Promise<void>;
}

export interface StartTestGatewayOptions {
  /** Netzme settings (usually from a running sandbox: see sandboxEnv in ./sandbox.ts). */
  netzme?: RawEnv;
  /** Extra settings (feature intervals, ...). */
  env?: RawEnv;
  /** Reuse a database (e.g. a second replica, or a restart). */
  db?: TestDatabase;
  port?: number;
  logs?: boolean;
  /** Runs after the app is created and before it boots (e.g. to register test-only jobs). */
  beforeListen?: (app: INestApplication) => void | Promise<void>;
}

/** Netzme settings for suites that never reach Netzme (test-only credentials, nothing listens). */
export const OFFLINE_NETZME: RawEnv = {
  NETZME_BASE_URL: 'http://127.0.0.1:9',
  NETZME_CLIENT_ID: 'OfflineClient',
  NETZME_CLIENT_SECRET: '00000000000000000000000000000000',
  NETZME_PRIVATE_KEY: testCredentials().privateKey,
  NETZME_CALLBACK_TOKEN: 'offline-callback-token-for-tests-only-xxx',
  NETZME_MERCHANT_ID: 'M_OFFLINE1',
};

/** Start the real gateway app on a random port against its own fresh database. */
export async function startTestGateway(options: StartTestGatewayOptions = {}): Promise<TestGateway> {
  const db = options.db ?? (await createTestDatabase());
  const env: RawEnv = {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: '10',
    PORT: String(options.port ?? 0),
    CHECKOUT_API_KEYS: CHECKOUT_KEY,
    ADMIN_API_KEYS: ADMIN_KEY,
    LOG_LEVEL: 'warn',
    // Suites that send many requests with one key are not about rate limits (test/access/rate-limit* is).
    RATE_LIMIT_PER_SECOND: '0',
    ...OFFLINE_NETZME,
    ...options.netzme,
    ...options.env,
  };
  const ownsDb = !options.db;
  let app: INestApplication | undefined;
  try {
    app = await createGatewayApp({ env, logs: options.logs ?? process.env.TEST_LOGS === '1' });
    await options.beforeListen?.(app);
    await app.listen(options.port ?? 0, '127.0.0.1');
  } catch (error) {
    await app?.close().catch(() => undefined);
    if (ownsDb) {
      await db.drop();
    }
    throw error;
  }
  const started = app;
  const { port } = started.getHttpServer().address() as AddressInfo;
  return {
    app: started,
    url: `http://127.0.0.1:${port}`,
    db,
    env,
    close: async () => {
      await started.close();
      if (ownsDb) {
        await db.drop();
      }
    },
  };
}
