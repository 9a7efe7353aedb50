import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { RawEnv } from '../../../apps/gateway/src/config/env-validation';
import { JobDefinition, JobRegistry } from '../../../apps/gateway/src/jobs/job-registry';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { startTestGateway } from '../../support/gateway';

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
 * startTestGateway (test/support/gateway.ts) plus test-only jobs registered between creating the
 * app and booting it, so the runner schedules them exactly like the feature modules' jobs.
 */
export async function startJobsGateway(options: StartJobsGatewayOptions = {}): Promise<JobsGateway> {
  const gateway = await startTestGateway({
    db: options.db ?? (await createTestDatabase('jobs')),
    netzme: options.netzme,
    env: options.env,
    beforeListen: (app) => {
      const registry = app.get(JobRegistry);
      for (const job of options.jobs?.(app.get<DataSource>(getDataSourceToken())) ?? []) {
        registry.register(job);
      }
    },
  });
  const ownsDb = !options.db;
  return {
    app: gateway.app,
    url: gateway.url,
    db: gateway.db,
    dataSource: gateway.app.get<DataSource>(getDataSourceToken()),
    close: async () => {
      await gateway.app.close();
      if (ownsDb) await gateway.db.drop();
    },
  };
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
