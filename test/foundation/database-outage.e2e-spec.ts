import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { StartedSandbox } from '../../apps/netzme-sandbox/src/sandbox';
import { ADMIN_KEY, CHECKOUT_KEY, startTestGateway, type TestGateway } from '../support/gateway';
import { type PostgresProcess, startPostgresProcess } from '../support/postgres-process';
import { sandboxEnv, startTestSandbox } from '../support/sandbox';

/**
 * PostgreSQL outages, on a PostgreSQL of this suite's own (the run's shared one is never stopped):
 * stopped (connections refused) and hung (SIGSTOP on every server process, as a frozen host).
 * Every route answers 503 with Retry-After in bounded time, and nothing is lost: an order whose
 * create could not be written is created by the same request repeated after the outage.
 */
describe('Database outages: 503 + Retry-After in bounded time, nothing lost', () => {
  const dataDir = join(tmpdir(), `netzme-gw-outage-${process.pid}-${Date.now()}`);
  const STATEMENT_TIMEOUT_MS = 3000;
  let pg: PostgresProcess;
  let port: number;
  let sandbox: StartedSandbox;
  let gw: TestGateway;

  beforeAll(async () => {
    // Persistent, so that it can be stopped and started again on the same data.
    pg = await startPostgresProcess(dataDir);
    port = pg.port;
    sandbox = await startTestSandbox();
    gw = await startTestGateway({
      db: { url: pg.url, name: 'postgres', drop: async () => undefined },
      netzme: { ...sandboxEnv(sandbox), NETZME_TIMEOUT_MS: '2000' },
      env: { JOBS_ENABLED: 'false', DATABASE_POOL_SIZE: '4', DATABASE_CONNECT_TIMEOUT_MS: '1000', DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS) },
    });
  });

  afterAll(async () => {
    await gw?.close().catch(() => undefined);
    await sandbox?.close();
    await pg?.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, body?: unknown) => {
    const started = performance.now();
    const res = await fetch(`${gw.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${CHECKOUT_KEY}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: text ? JSON.parse(text) : undefined,
      retryAfter: res.headers.get('retry-after'),
      ms: Math.round(performance.now() - started),
    };
  };

  const ordersNamed = async (merchantOrderId: string): Promise<number> => {
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    try {
      return (await client.query('SELECT count(*)::int AS n FROM orders WHERE merchant_order_id = $1', [merchantOrderId])).rows[0].n as number;
    } finally {
      await client.end();
    }
  };

  /** Repeat until the database is back (the pool may still hold a connection that died). */
  const untilNot503 = async (make: () => Promise<{ status: number; body: any }>) => {
    for (let i = 0; i < 60; i++) {
      const res = await make();
      if (res.status !== 503) {
        return res;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error('still 503 after the database came back');
  };

  it('PostgreSQL stopped: POST /orders, GET /orders/:id and /health answer 503 with Retry-After; the repeated create works afterwards', async () => {
    // 202 (Netzme did not answer within NETZME_TIMEOUT_MS on a loaded machine) is as good here: the order is written.
    const before = await call('POST', '/orders', { merchantOrderId: 'OUTAGE-STOP-0', amount: '10000.00' });
    expect([201, 202]).toContain(before.status);

    await pg.stop();
    const body = { merchantOrderId: 'OUTAGE-STOP-1', amount: '15000.00' };
    const create = await call('POST', '/orders', body);
    const read = await call('GET', `/orders/${before.body.id}`);
    const health = await call('GET', '/health');
    console.log(
      `PostgreSQL stopped: POST /orders ${create.status} in ${create.ms} ms, GET /orders/:id ${read.status} in ${read.ms} ms, /health ${health.status} in ${health.ms} ms`,
    );
    for (const res of [create, read, health]) {
      expect(res.status).toBe(503);
      expect(Number(res.retryAfter)).toBeGreaterThan(0);
    }
    expect(create.body).toMatchObject({ statusCode: 503, code: 'DATABASE_UNAVAILABLE' });
    expect(create.body.message).toMatch(/again/);
    expect(read.body.code).toBe('DATABASE_UNAVAILABLE');
    // Refused connections fail fast: far below the 5 s the issue allows (a loose bound, for slow machines).
    expect(create.ms).toBeLessThan(30_000);

    // Every other operation of the API document too: 503 with Retry-After, or an answer that did
    // not need the database (Netzme's balance, metrics); never a 500. The Netzme callback receivers
    // answer in Netzme's own format (non-200, so that Netzme sends the notification again).
    interface Schema {
      $ref?: string;
      example?: unknown;
      properties?: Record<string, Schema>;
    }
    const doc = (await (await fetch(`${gw.url}/docs-json`)).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
      components: { schemas: Record<string, Schema> };
    };
    const resolve = (schema?: Schema) => (schema?.$ref ? doc.components.schemas[schema.$ref.split('/').pop()!] : schema);
    const seen: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (path.startsWith('/callbacks/netzme/')) {
        continue;
      }
      for (const [method, op] of Object.entries(methods)) {
        // A well-formed request: the document's own examples (a fresh merchantOrderId), any id.
        const properties = resolve(op.requestBody?.content?.['application/json']?.schema)?.properties ?? {};
        const body = Object.fromEntries(
          Object.entries(properties).map(([name, schema]) => [name, name === 'merchantOrderId' ? `OUTAGE-ALL-${seen.length}` : schema.example]),
        );
        const res = await fetch(`${gw.url}${path.replace(/\{[^}]+\}/g, () => '5b0e6a4c-3f0e-4f7e-9a51-0d7f0d3c8c11')}`, {
          method: method.toUpperCase(),
          headers: { authorization: `Bearer ${ADMIN_KEY}`, 'idempotency-key': `outage-${seen.length}`, 'content-type': 'application/json' },
          body: method === 'get' ? undefined : JSON.stringify(body),
        });
        await res.arrayBuffer();
        seen.push(`${method.toUpperCase()} ${path} ${res.status}${res.status === 503 ? ` retry-after=${res.headers.get('retry-after')}` : ''}`);
      }
    }
    console.log(`PostgreSQL stopped, every operation:\n  ${seen.join('\n  ')}`);
    expect(seen.length).toBeGreaterThanOrEqual(35);
    // 502 / 504 are Netzme's (the sandbox is slow on a loaded machine), not the database's.
    expect(seen.filter((line) => / 5\d\d/.test(line) && !/ 503 retry-after=\d+$/.test(line) && !/ 50[24]$/.test(line))).toEqual([]);
    expect(seen.filter((line) => / 503 /.test(line)).length).toBeGreaterThanOrEqual(25);

    pg = await startPostgresProcess(dataDir, port);
    const retried = await untilNot503(() => call('POST', '/orders', body));
    expect([201, 202]).toContain(retried.status);
    expect(retried.body.merchantOrderId).toBe('OUTAGE-STOP-1');
    expect(await ordersNamed('OUTAGE-STOP-1')).toBe(1);
    expect((await call('GET', '/health')).status).toBe(200);
  });

  it('PostgreSQL hung (SIGSTOP): 503 within the statement timeout; after SIGCONT the repeated create works, once', async () => {
    const ok = await untilNot503(() => call('POST', '/orders', { merchantOrderId: 'OUTAGE-HANG-0', amount: '10000.00' }));
    expect([201, 202]).toContain(ok.status);

    const pids = serverPids(dataDir);
    expect(pids.length).toBeGreaterThan(1);
    const body = { merchantOrderId: 'OUTAGE-HANG-1', amount: '12000.00' };
    let create: Awaited<ReturnType<typeof call>>;
    let health: Awaited<ReturnType<typeof call>>;
    signal(pids, 'SIGSTOP');
    try {
      [create, health] = await Promise.all([call('POST', '/orders', body), call('GET', '/health')]);
    } finally {
      signal(pids, 'SIGCONT');
    }
    console.log(
      `PostgreSQL hung: POST /orders ${create.status} in ${create.ms} ms, /health ${health.status} in ${health.ms} ms (statement timeout ${STATEMENT_TIMEOUT_MS} ms)`,
    );
    expect(create.status).toBe(503);
    expect(create.body.code).toBe('DATABASE_UNAVAILABLE');
    expect(Number(create.retryAfter)).toBeGreaterThan(0);
    expect(health.status).toBe(503);
    expect(Number(health.retryAfter)).toBeGreaterThan(0);
    // Bounded by the timeouts, not by the outage (which lasts until SIGCONT): a loose bound.
    expect(create.ms).toBeLessThan(STATEMENT_TIMEOUT_MS * 5);

    // The statement that timed out may still have run after SIGCONT: the repeat finds that row
    // (same body: 200/202, same order) or creates it (201). Either way exactly one order.
    const retried = await untilNot503(() => call('POST', '/orders', body));
    expect([200, 201, 202]).toContain(retried.status);
    expect(retried.body.merchantOrderId).toBe('OUTAGE-HANG-1');
    expect(await ordersNamed('OUTAGE-HANG-1')).toBe(1);
  });
});

function signal(pids: number[], name: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, name);
    } catch {
      // gone already (a backend whose client went away)
    }
  }
}

/** The postmaster and all its children (backends, checkpointer, ...): SIGSTOP on them all freezes the server as a hung host would. */
function serverPids(dataDir: string): number[] {
  const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so read after the last ')'.
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}
