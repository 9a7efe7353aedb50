import { Client } from 'pg';
import type { StartedSandbox } from '../../apps/netzme-sandbox/src/sandbox';
import type { RawEnv } from '../../apps/gateway/src/config/env-validation';
import { ADMIN_KEY, CHECKOUT_KEY, startTestGateway, type TestGateway } from '../support/gateway';
import { routeCallbacksTo, sandboxEnv, startTestSandbox } from '../support/sandbox';

/**
 * Gateway + Netzme sandbox + the run's real PostgreSQL, wired both ways: the gateway calls the
 * sandbox, the sandbox sends callbacks to the gateway's /callbacks/netzme/<kind>. Shared by the
 * invoice and callback suites.
 */
export interface Stack {
  gw: TestGateway;
  sandbox: StartedSandbox;
  sql: Client;
  /** fetch against the gateway with a key; JSON in and out. */
  api(
    method: string,
    path: string,
    options?: { key?: string | null; body?: unknown; headers?: Record<string, string>; raw?: string },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  /** fetch against the sandbox's control routes. */
  control(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export interface StackOptions {
  env?: RawEnv;
  /** Callback retry policy of the sandbox (default: 5 attempts, 200 ms back-off doubling). */
  callbackRetry?: { attempts: number; backoffMs: number };
  callbackAuth?: 'token' | 'snap';
}

export { ADMIN_KEY, CHECKOUT_KEY };

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const sandbox = await startTestSandbox({ callbackRetry: options.callbackRetry ?? { attempts: 5, backoffMs: 200 } });
  const gw = await startTestGateway({
    netzme: { ...sandboxEnv(sandbox), NETZME_TIMEOUT_MS: '2000' },
    // Tests drive the poller and re-apply jobs by hand.
    env: { JOBS_ENABLED: 'false', ...options.env },
  });
  const sql = new Client({ connectionString: gw.db.url });
  await sql.connect();

  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sandbox.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  await routeCallbacksTo(sandbox, gw.url, options.callbackAuth ?? 'token');

  return {
    gw,
    sandbox,
    sql,
    control,
    api: async (method, path, opts = {}) => {
      const key = opts.key === undefined ? ADMIN_KEY : opts.key;
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...opts.headers };
      const res = await fetch(`${gw.url}${path}`, { method, headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    close: async () => {
      await sql.end().catch(() => undefined);
      await gw.close();
      await sandbox.close();
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll `fn` until it returns a truthy value (or fail after `timeoutMs`). */
export async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await sleep(50);
  }
}

let counter = 0;
/** A merchantOrderId unique within the run. */
export function orderId(prefix = 'T'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now()}-${counter}`;
}
