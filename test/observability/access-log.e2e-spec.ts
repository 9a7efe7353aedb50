import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/free-port';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { ADMIN_KEY, CHECKOUT_KEY, OFFLINE_NETZME } from '../support/gateway';
import { waitFor } from '../invoice/stack';

const MAIN = join(__dirname, '..', '..', 'dist', 'apps', 'gateway', 'src', 'main.js');

/** The real gateway process, its stdout and stderr piped (not a terminal), as a log collector sees them. */
interface GatewayProcess {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

async function startGatewayProcess(db: TestDatabase, env: Record<string, string>): Promise<GatewayProcess> {
  if (!existsSync(MAIN)) {
    throw new Error('dist/ is missing: npm test builds it first (npm run build)');
  }
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: '2',
      JOBS_ENABLED: 'false',
      CHECKOUT_API_KEYS: CHECKOUT_KEY,
      ADMIN_API_KEYS: ADMIN_KEY,
      ...OFFLINE_NETZME,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`gateway exited:\n${output}`);
      return fetch(`${url}/health/live`).then(
        (r) => r.ok,
        () => false,
      );
    },
    60_000,
    'the gateway process',
  );
  return {
    url,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('Access log and log format (the gateway process, output piped)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('logs');
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('should write exactly one access-log line per request, with route template, status, duration and request id, and never a body or a key', async () => {
    const gw = await startGatewayProcess(db, { LOG_FORMAT: 'json' });
    try {
      const secretInBody = 'BODY-SECRET-d41d8cd98f';
      const requests: Array<{ id: string; method: string; path: string; key?: string; body?: string; route: string; status: number }> = [
        { id: 'log-test-health', method: 'GET', path: '/health', route: '/health', status: 200 },
        { id: 'log-test-order', method: 'GET', path: '/orders/00000000-0000-0000-0000-00000000abcd', key: CHECKOUT_KEY, route: '/orders/:id', status: 400 },
        {
          id: 'log-test-invalid',
          method: 'POST',
          path: '/orders',
          key: CHECKOUT_KEY,
          body: JSON.stringify({ merchantOrderId: secretInBody, amount: 'ten' }),
          route: '/orders',
          status: 400,
        },
        { id: 'log-test-denied', method: 'GET', path: '/metrics', key: 'not-a-key-0123456789', route: '/metrics', status: 401 },
        { id: 'log-test-nowhere', method: 'GET', path: '/nowhere/42', route: '(unmatched)', status: 404 },
      ];
      for (const r of requests) {
        const res = await fetch(`${gw.url}${r.path}`, {
          method: r.method,
          headers: { 'x-request-id': r.id, 'content-type': 'application/json', ...(r.key ? { authorization: `Bearer ${r.key}` } : {}) },
          body: r.body,
        });
        expect({ id: r.id, status: res.status }).toEqual({ id: r.id, status: r.status });
      }
      // The line is written when the answer is finished: wait until the last one is there.
      await waitFor(async () => gw.output().includes('log-test-nowhere'), 10_000, 'the last access-log line');

      const entries = gw
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { context?: string; message?: any })
        .filter((line) => line.context === 'Http' && line.message?.event === 'http.request')
        .map((line) => line.message);
      for (const r of requests) {
        const mine = entries.filter((e) => e.requestId === r.id);
        expect(mine).toHaveLength(1);
        expect(mine[0]).toMatchObject({ method: r.method, route: r.route, status: r.status, requestId: r.id });
        expect(typeof mine[0].durationMs).toBe('number');
      }
      // The checkout key's role is known once the guard accepted it; the refused key is not named.
      expect(entries.find((e) => e.requestId === 'log-test-order').role).toBe('checkout');
      const all = gw.output();
      expect(all).not.toContain(secretInBody);
      expect(all).not.toContain(CHECKOUT_KEY);
      expect(all).not.toContain('not-a-key-0123456789');
      expect(all).not.toContain('00000000abcd');
    } finally {
      await gw.stop();
    }
  });

  it('should write pretty logs without colour codes when the output is not a terminal', async () => {
    const gw = await startGatewayProcess(db, { LOG_FORMAT: 'pretty' });
    try {
      await fetch(`${gw.url}/health`, { headers: { 'x-request-id': 'log-test-pretty' } });
      await waitFor(async () => gw.output().includes('log-test-pretty'), 10_000, 'the access-log line');
      const output = gw.output();
      expect(output).toMatch(/GET \/health 200 [\d.]+ ms id=log-test-pretty/);
      expect(output).toContain('gateway listening');
      expect(output).not.toMatch(/\u001b\[/);
    } finally {
      await gw.stop();
    }
  });
});
