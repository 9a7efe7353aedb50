import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { createGatewayApp } from '../../../apps/gateway/src/app.factory';
import type { RawEnv } from '../../../apps/gateway/src/config/env-validation';
import { JobDefinition, JobRegistry } from '../../../apps/gateway/src/jobs/job-registry';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { ADMIN_KEY, CHECKOUT_KEY, OFFLINE_NETZME } from '../../support/gateway';

export interface JobsGateway {
  app: INestApplication;
  url: string;
  db: TestDatabase;
  dataSource: DataSource;
  close(): Promise<void>;
}

export interface StartJobsGatewayOptions {
  /** Test-only jobs, registered before the application boots (as feature modules do in onModuleInit). */
  jobs?: (dataSource: DataSource) => JobDefinition[];
  env?: RawEnv;
  netzme?: RawEnv;
  db?: TestDatabase;
}

/**
 * Like startTestGateway (test/support/gateway.ts), plus test-only jobs registered between creating
 * the app and booting it, so the runner schedules them exactly like the feature modules' jobs.
 */
export async function startJobsGateway(options: StartJobsGatewayOptions = {}): Promise<JobsGateway> {
  const db = options.db ?? (await createTestDatabase('jobs'));
  const env: RawEnv = {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: '10',
    PORT: '0',
    CHECKOUT_API_KEYS: CHECKOUT_KEY,
    ADMIN_API_KEYS: ADMIN_KEY,
    LOG_LEVEL: 'warn',
    ...OFFLINE_NETZME,
    ...options.netzme,
    ...options.env,
  };
  const ownsDb = !options.db;
  let app: INestApplication | undefined;
  try {
    app = await createGatewayApp({ env, logs: process.env.TEST_LOGS === '1' });
    const dataSource = app.get<DataSource>(getDataSourceToken());
    const registry = app.get(JobRegistry);
    for (const job of options.jobs?.(dataSource) ?? []) {
      registry.register(job);
    }
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const started = app;
    return {
      app: started,
      url: `http://127.0.0.1:${port}`,
      db,
      dataSource,
      close: async () => {
        await started.close();
        if (ownsDb) await db.drop();
      },
    };
  } catch (error) {
    await app?.close().catch(() => undefined);
    if (ownsDb) await db.drop();
    throw error;
  }
}

/** Poll until check() returns a truthy value (or fail after timeoutMs). */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
  what: string | (() => Promise<string>) = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const description = typeof what === 'string' ? what : await what().catch((error: unknown) => `(could not describe: ${String(error)})`);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
