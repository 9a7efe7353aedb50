import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../scripts/lib/free-port';
import { startPostgresProcess, type PostgresProcess } from '../support/postgres-process';
import type { StartedSandbox } from '../../apps/netzme-sandbox/src/sandbox';
import { startTestGateway, type TestGateway } from '../support/gateway';
import { sandboxEnv, startTestSandbox } from '../support/sandbox';
import { waitFor } from '../invoice/stack';

const VERSION = (JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;

async function get(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
  return { status: res.status, body: await res.json() };
}

describe('GET /health/live and /health/ready', () => {
  let sandbox: StartedSandbox;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  describe('with a PostgreSQL of its own that the test stops and starts again', () => {
    let dataDir: string;
    let port: number;
    let pg: PostgresProcess | undefined;
    let gw: TestGateway | undefined;

    beforeAll(async () => {
      // The server runs as the `postgres` OS user when the tests run as root: a directory it owns, under /tmp.
      dataDir = join(tmpdir(), `netzme-health-pg-${randomBytes(4).toString('hex')}`);
      port = await freePort();
      pg = await startPostgresProcess(dataDir, port);
      const admin = new Client({ connectionString: pg.url });
      await admin.connect();
      await admin.query('CREATE DATABASE health_gw');
      await admin.end();
      const url = new URL(pg.url);
      url.pathname = '/health_gw';
      gw = await startTestGateway({
        db: { name: 'health_gw', url: url.toString(), drop: async () => undefined },
        netzme: sandboxEnv(sandbox),
        env: { JOBS_ENABLED: 'false', DATABASE_POOL_SIZE: '2' },
      });
    });

    afterAll(async () => {
      await gw?.close().catch(() => undefined);
      await pg?.stop().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('should be live and ready, with the version, while everything answers', async () => {
      const live = await get(`${gw!.url}/health/live`);
      expect(live).toMatchObject({ status: 200, body: { status: 'live', version: VERSION } });
      const ready = await get(`${gw!.url}/health/ready`);
      expect(ready).toEqual({ status: 200, body: { status: 'ready', version: VERSION, checks: { database: 'up', migrations: 'applied', netzme: 'up' } } });
    });

    it('should answer 503 on /health/ready with the database stopped, stay live, and be ready again once it is back', async () => {
      await pg!.stop();
      pg = undefined;
      const down = await waitFor(
        async () => {
          const res = await get(`${gw!.url}/health/ready`);
          return res.status === 503 ? res : undefined;
        },
        30_000,
        '/health/ready to answer 503',
      );
      expect(down.body).toMatchObject({ status: 'not_ready', version: VERSION, checks: { database: 'down' } });
      expect(down.body.problems.join(' ')).toMatch(/database/);
      expect((await get(`${gw!.url}/health/live`)).status).toBe(200);
      // GET /health (the contract's) says the same.
      expect((await get(`${gw!.url}/health`)).status).toBe(503);

      pg = await startPostgresProcess(dataDir, port);
      const up = await waitFor(
        async () => {
          const res = await get(`${gw!.url}/health/ready`);
          return res.status === 200 ? res : undefined;
        },
        60_000,
        '/health/ready to answer 200 again',
      );
      expect(up.body).toMatchObject({ status: 'ready', checks: { database: 'up', migrations: 'applied', netzme: 'up' } });
    });
  });

  it('should not be ready while a migration is not applied', async () => {
    const gw = await startTestGateway({ netzme: sandboxEnv(sandbox), env: { JOBS_ENABLED: 'false' } });
    const sql = new Client({ connectionString: gw.db.url });
    await sql.connect();
    try {
      expect((await get(`${gw.url}/health/ready`)).status).toBe(200);
      // As if a release's new migration had not been run yet.
      const [latest] = (await sql.query('DELETE FROM typeorm_migrations WHERE id = (SELECT max(id) FROM typeorm_migrations) RETURNING *')).rows;
      const ready = await get(`${gw.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(ready.body.checks).toMatchObject({ database: 'up', migrations: 'pending', netzme: 'up' });
      await sql.query('INSERT INTO typeorm_migrations (id, timestamp, name) VALUES ($1, $2, $3)', [latest.id, latest.timestamp, latest.name]);
      expect((await get(`${gw.url}/health/ready`)).status).toBe(200);
    } finally {
      await sql.end();
      await gw.close();
    }
  });

  it('should not be ready when no Netzme access token can be obtained, and say why without a secret', async () => {
    const gw = await startTestGateway({ env: { JOBS_ENABLED: 'false', NETZME_TIMEOUT_MS: '500' } });
    try {
      const ready = await get(`${gw.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(ready.body.checks).toMatchObject({ database: 'up', migrations: 'applied', netzme: 'down' });
      expect(ready.body.problems.join(' ')).toMatch(/netzme: no access token/);
      expect(JSON.stringify(ready.body)).not.toContain(gw.env.NETZME_CLIENT_SECRET!);
      expect((await get(`${gw.url}/health/live`)).status).toBe(200);
    } finally {
      await gw.close();
    }
  });
});
