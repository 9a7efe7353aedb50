import { Client } from 'pg';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import type { JobDefinition } from '../../apps/gateway/src/jobs/job-registry';
import type { StartedSandbox } from '../../apps/netzme-sandbox/src/sandbox';
import { createTestDatabase, TestDatabase } from '../support/database';
import { ADMIN_KEY, CHECKOUT_KEY } from '../support/gateway';
import { routeCallbacksTo, sandboxEnv, sandboxState, startTestSandbox } from '../support/sandbox';
import { eventually, JobsGateway, sleep, startJobsGateway } from './support/jobs-gateway';

/**
 * Several replicas tick the same job against the same database: the job's claim (FOR UPDATE SKIP
 * LOCKED + a lease in next_poll_at), driven by the runner, must hand every due item to exactly one
 * of them.
 */
describe('Jobs on two replicas sharing one database', () => {
  describe('a job with the FOR UPDATE SKIP LOCKED claim pattern', () => {
    const ITEMS = 400;
    let a: JobsGateway;
    let b: JobsGateway;
    let db: TestDatabase;
    const processedBy = new Map<number, string[]>();

    /** The claim pattern the feature jobs use, on a test table: claim a batch, lease it, work, finish. */
    const claimJob =
      (replica: string) =>
      (dataSource: DataSource): JobDefinition[] => [
        {
          name: 'claim-test',
          description: 'claims due rows of claim_test_items',
          defaultIntervalMs: 20,
          run: async (ctx) => {
            // TypeORM answers an UPDATE ... RETURNING with [rows, affected].
            const [claimed]: [Array<{ id: number }>, number] = await dataSource.query(
              `WITH due AS (
               SELECT id FROM claim_test_items
               WHERE done = false AND next_poll_at <= now()
               ORDER BY next_poll_at LIMIT $1
               FOR UPDATE SKIP LOCKED)
             UPDATE claim_test_items t SET next_poll_at = now() + interval '1 minute'
             FROM due WHERE t.id = due.id RETURNING t.id`,
              [ctx.batchSize],
            );
            await Promise.all(
              claimed.map((row) =>
                ctx.limit(async () => {
                  processedBy.set(row.id, [...(processedBy.get(row.id) ?? []), replica]);
                  await sleep(2); // the "Netzme call"
                  await dataSource.query('UPDATE claim_test_items SET done = true, processed_count = processed_count + 1 WHERE id = $1', [row.id]);
                }),
              ),
            );
            return { processed: claimed.length };
          },
        },
      ];

    beforeAll(async () => {
      const env = { JOBS_ENABLED: 'true', JOB_CLAIM_TEST_BATCH_SIZE: '15', NETZME_MAX_CONCURRENCY: '8', NETZME_MAX_RPS: '0' };
      db = await createTestDatabase('replicas');
      // A test-only table, there before either replica ticks (the gateway's migrations leave it alone).
      const sql = new Client({ connectionString: db.url });
      await sql.connect();
      await sql.query(
        `CREATE TABLE claim_test_items (id serial PRIMARY KEY, next_poll_at timestamptz NOT NULL, done boolean NOT NULL DEFAULT false, processed_count integer NOT NULL DEFAULT 0)`,
      );
      await sql.query(`CREATE INDEX ON claim_test_items (next_poll_at) WHERE done = false`);
      await sql.end();
      a = await startJobsGateway({ db, jobs: claimJob('a'), env: { ...env, JOBS_REPLICA_ID: 'replica-a' } });
      b = await startJobsGateway({ db, jobs: claimJob('b'), env: { ...env, JOBS_REPLICA_ID: 'replica-b' } });
    });

    afterAll(async () => {
      await b?.close();
      await a?.close();
      await db?.drop();
    });

    it('processes every due row exactly once, with both replicas doing part of the work', async () => {
      await a.dataSource.query(`INSERT INTO claim_test_items (next_poll_at) SELECT now() FROM generate_series(1, ${ITEMS})`);
      await eventually(
        async () => {
          const [{ remaining }] = await a.dataSource.query('SELECT count(*)::int AS remaining FROM claim_test_items WHERE done = false');
          return remaining === 0;
        },
        20_000,
        async () => `every row processed (job status: ${JSON.stringify(await a.dataSource.query('SELECT * FROM job_status'))})`,
      );
      await sleep(200); // a duplicate would show up now

      const counts: Array<{ processed_count: number; n: number }> = await a.dataSource.query(
        'SELECT processed_count, count(*)::int AS n FROM claim_test_items GROUP BY processed_count',
      );
      expect(counts).toEqual([{ processed_count: 1, n: ITEMS }]);
      expect(processedBy.size).toBe(ITEMS);
      expect([...processedBy.values()].every((by) => by.length === 1)).toBe(true);

      // Each tick records its totals just after its rows are done: wait for them, then check they add up exactly.
      const replicas = await eventually(
        async () => {
          const res = await request(a.url).get('/jobs').set('Authorization', `Bearer ${ADMIN_KEY}`).expect(200);
          const rows = res.body.jobs.find((j: { name: string }) => j.name === 'claim-test').replicas as Array<{ replicaId: string; processedTotal: number }>;
          return rows.reduce((sum, r) => sum + r.processedTotal, 0) >= ITEMS && rows;
        },
        5000,
        'both replicas to record their ticks',
      );
      expect(replicas.map((r) => r.replicaId)).toEqual(['replica-a', 'replica-b']);
      expect(replicas.reduce((sum, r) => sum + r.processedTotal, 0)).toBe(ITEMS);
      for (const replica of replicas) {
        expect(replica.processedTotal).toBeGreaterThan(0);
      }
    });
  });

  describe('order-status-poll (the invoice module’s job) against the sandbox', () => {
    const ORDERS = 18;
    let sandbox: StartedSandbox;
    let a: JobsGateway;
    let b: JobsGateway;
    let sql: Client;

    beforeAll(async () => {
      sandbox = await startTestSandbox();
      const env = {
        JOBS_ENABLED: 'true',
        JOB_ORDER_STATUS_POLL_INTERVAL_MS: '25',
        // Small batches, so that the two replicas' ticks interleave many times over the due orders.
        JOB_ORDER_STATUS_POLL_BATCH_SIZE: '4',
        // After its poll an order is not due again during the test: every status query we count is one claim.
        ORDER_POLL_SCHEDULE_MS: '600000',
        NETZME_MAX_CONCURRENCY: '8',
        NETZME_MAX_RPS: '0',
      };
      const netzme = { ...sandboxEnv(sandbox), NETZME_TIMEOUT_MS: '10000' };
      a = await startJobsGateway({ netzme, env: { ...env, JOBS_REPLICA_ID: 'replica-a' } });
      b = await startJobsGateway({ db: a.db, netzme, env: { ...env, JOBS_REPLICA_ID: 'replica-b' } });
      await routeCallbacksTo(sandbox, a.url);
      sql = new Client({ connectionString: a.db.url });
      await sql.connect();
    });

    afterAll(async () => {
      await sql?.end();
      await b?.close();
      await a?.close();
      await sandbox?.close();
    });

    it('asks Netzme about each due order exactly once across both replicas', async () => {
      // Three at a time: the sandbox signs and draws a QR per invoice, and a slow answer would leave an order UNKNOWN.
      const created: request.Response[] = [];
      for (let i = 0; i < ORDERS; i += 3) {
        created.push(
          ...(await Promise.all(
            [i, i + 1, i + 2].map((n) =>
              request(n % 2 === 0 ? a.url : b.url)
                .post('/orders')
                .set('Authorization', `Bearer ${CHECKOUT_KEY}`)
                .send({ merchantOrderId: `MR-${Date.now()}-${n}`, amount: `${1000 + n}.00` }),
            ),
          )),
        );
      }
      for (const res of created) {
        // 202: the create answer was slow and the order is UNKNOWN for now; the poller settles it below.
        expect([200, 201, 202]).toContain(res.status);
      }
      const ids = created.map((res) => res.body.id as string);
      const rows = await eventually(
        async () => {
          const r = (await sql.query(`SELECT netzme_trx_id FROM orders WHERE id = ANY($1::uuid[]) AND status = 'PENDING' AND netzme_trx_id IS NOT NULL`, [ids]))
            .rows as Array<{ netzme_trx_id: string }>;
          return r.length === ORDERS ? r : undefined;
        },
        20_000,
        'every order PENDING at Netzme',
      );
      const trxIds = rows.map((r) => r.netzme_trx_id);
      expect(new Set(trxIds).size).toBe(ORDERS);
      const before = ((await sandboxState(sandbox)) as { statusQueries: { invoices: Record<string, number> } }).statusQueries.invoices;
      await sql.query('UPDATE orders SET poll_attempts = 0 WHERE id = ANY($1::uuid[])', [ids]);
      const pollTicks = async () => {
        const res = await request(a.url).get('/jobs').set('Authorization', `Bearer ${ADMIN_KEY}`).expect(200);
        return res.body.jobs.find((j: { name: string }) => j.name === 'order-status-poll').replicas as Array<{ replicaId: string; processedTotal: number }>;
      };
      const processedBefore = new Map((await pollTicks()).map((r) => [r.replicaId, r.processedTotal]));

      // All due at once: both replicas' pollers race for them.
      await sql.query('UPDATE orders SET next_poll_at = now() WHERE id = ANY($1::uuid[])', [ids]);
      type Stats = { statusQueries: { invoices: Record<string, number> } };
      await eventually(
        async () => {
          const s = (await sandboxState(sandbox)) as Stats;
          return trxIds.every((t) => (s.statusQueries.invoices[t] ?? 0) > (before[t] ?? 0));
        },
        20_000,
        'a status query for every order',
      );
      await sleep(300); // a second query would arrive now
      const after = (await sandboxState(sandbox)) as Stats;

      const queries = trxIds.map((t) => after.statusQueries.invoices[t] - (before[t] ?? 0));
      expect(queries).toEqual(trxIds.map(() => 1));
      const pollAttempts = (await sql.query('SELECT poll_attempts FROM orders WHERE id = ANY($1::uuid[])', [ids])).rows.map(
        (r: { poll_attempts: number }) => r.poll_attempts,
      );
      expect(pollAttempts).toEqual(ids.map(() => 1));

      // Both replicas took part, and together they claimed each order once.
      // Each tick records its totals just after its calls: wait for them, then check they add up exactly.
      const claimedBy = (rows: Array<{ replicaId: string; processedTotal: number }>) =>
        rows.map((r) => r.processedTotal - (processedBefore.get(r.replicaId) ?? 0));
      const replicas = await eventually(
        async () => {
          const rows = await pollTicks();
          return claimedBy(rows).reduce((sum, n) => sum + n, 0) >= ORDERS && rows;
        },
        5000,
        'both replicas to record their ticks',
      );
      expect(replicas.map((r) => r.replicaId).sort()).toEqual(['replica-a', 'replica-b']);
      const claimedNow = claimedBy(replicas);
      expect(claimedNow.reduce((sum, n) => sum + n, 0)).toBe(ORDERS);
    });
  });
});
