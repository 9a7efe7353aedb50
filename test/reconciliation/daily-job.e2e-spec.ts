import { Client } from 'pg';
import request from 'supertest';
import { jakartaYesterday } from '../../apps/gateway/src/reconciliation/jakarta-day';
import type { StartedSandbox } from '../../apps/netzme-sandbox/src/sandbox';
import { ADMIN_KEY } from '../support/gateway';
import { sandboxEnv, startTestSandbox } from '../support/sandbox';
import { JobsGateway, startJobsGateway } from '../jobs/support/jobs-gateway';

const admin = { Authorization: `Bearer ${ADMIN_KEY}` };

/**
 * The `daily-reconciliation` job on two replicas sharing a database: yesterday's report is made
 * exactly once, a failed run is retried after RECONCILIATION_RETRY_AFTER_MS, and a run abandoned by
 * a crashed replica (lease expired) is taken over.
 */
describe('daily-reconciliation job on two replicas', () => {
  let sandbox: StartedSandbox;
  let a: JobsGateway;
  let b: JobsGateway;
  let sql: Client;
  const yesterday = () => jakartaYesterday(new Date()).date;

  const tick = async (gw: JobsGateway) =>
    (await request(gw.url).post('/jobs/daily-reconciliation/run').set(admin).expect(200)).body as {
      processed: number;
      errors: number;
      details: Record<string, unknown>;
    };
  const scheduledRuns = async () =>
    (await sql.query(`SELECT id, status, attempts, replica_id, error FROM reconciliation_runs WHERE trigger = 'scheduled' ORDER BY started_at`)).rows;
  /** As if RECONCILIATION_RETRY_AFTER_MS had passed since the failed run finished. */
  const retryDelayPassed = () => sql.query(`UPDATE reconciliation_runs SET finished_at = finished_at - interval '61 seconds' WHERE status = 'FAILED'`);
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sandbox.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status).toBeLessThan(300);
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    const env = {
      JOBS_ENABLED: 'false', // ticks are driven through POST /jobs/:name/run, on both replicas at once
      RECONCILIATION_RUN_AFTER_MINUTES: '0',
      // Long enough that "too soon" holds on a slow machine; the tests backdate a failed run instead of waiting.
      RECONCILIATION_RETRY_AFTER_MS: '60000',
      RECONCILIATION_MAX_ATTEMPTS: '3',
      RECONCILIATION_LEASE_MS: '60000',
    };
    const netzme = { ...sandboxEnv(sandbox), NETZME_TIMEOUT_MS: '5000' };
    a = await startJobsGateway({ netzme, env: { ...env, JOBS_REPLICA_ID: 'replica-a' } });
    b = await startJobsGateway({ db: a.db, netzme, env: { ...env, JOBS_REPLICA_ID: 'replica-b' } });
    sql = new Client({ connectionString: a.db.url });
    await sql.connect();
  });

  beforeEach(async () => {
    await control('DELETE', '/sandbox/faults');
    await sql.query('TRUNCATE reconciliation_runs CASCADE');
  });

  afterAll(async () => {
    await sql?.end();
    await b?.close();
    await a?.close();
    await sandbox?.close();
  });

  it('makes yesterday’s report exactly once although both replicas tick at the same moment', async () => {
    const ticks = await Promise.all([tick(a), tick(b), tick(a), tick(b)]);
    const runs = await scheduledRuns();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'COMPLETED', attempts: 1 });
    expect(ticks.filter((t) => t.details.reportId === runs[0].id)).toHaveLength(1);
    expect(ticks.filter((t) => t.details.claimed === false)).toHaveLength(3);

    const list = await request(b.url).get(`/reconciliation/reports?date=${yesterday()}`).set(admin).expect(200);
    expect(list.body.items).toEqual([expect.objectContaining({ id: runs[0].id, trigger: 'scheduled', status: 'COMPLETED' })]);
    // Later ticks find the day done.
    expect((await tick(b)).details).toMatchObject({ claimed: false });
  });

  it('retries a failed run after RECONCILIATION_RETRY_AFTER_MS, on whichever replica ticks', async () => {
    // Netzme answers 500 to the list (more often than the client's own read retries absorb).
    await control('POST', '/sandbox/faults', { target: '/api-qris/v2.0/transaction/history-list', mode: 'error', count: 10 });
    const failed = await tick(a);
    expect(failed).toMatchObject({ errors: 1, details: { status: 'FAILED', attempt: 1 } });
    expect((await scheduledRuns())[0]).toMatchObject({ status: 'FAILED', attempts: 1, replica_id: 'replica-a' });
    await control('DELETE', '/sandbox/faults');

    // Too soon: nobody retries yet.
    expect((await tick(b)).details).toMatchObject({ claimed: false });
    await retryDelayPassed();
    const retried = await tick(b);
    expect(retried).toMatchObject({ errors: 0, details: { status: 'COMPLETED', attempt: 2 } });
    const [run] = await scheduledRuns();
    expect(run).toMatchObject({ status: 'COMPLETED', attempts: 2, replica_id: 'replica-b', error: null });
  });

  it('gives up after RECONCILIATION_MAX_ATTEMPTS failed runs', async () => {
    await control('POST', '/sandbox/faults', { target: '/api-qris/v2.0/transaction/history-list', mode: 'error', count: 10 });
    for (let attempt = 1; attempt <= 3; attempt++) {
      expect((await tick(attempt % 2 ? a : b)).details).toMatchObject({ status: 'FAILED', attempt });
      await retryDelayPassed();
    }
    expect((await tick(a)).details).toMatchObject({ claimed: false });
    expect(await scheduledRuns()).toEqual([expect.objectContaining({ status: 'FAILED', attempts: 3 })]);
  });

  it('takes over a run whose replica died mid-way (lease expired), and fails abandoned manual runs', async () => {
    // A replica claimed yesterday and crashed: RUNNING with a lease in the past.
    const day = jakartaYesterday(new Date());
    await sql.query(
      `INSERT INTO reconciliation_runs (id, business_date, trigger, scheduled_date, status, replica_id, window_start, window_end, margin_ms, lease_until)
       VALUES (gen_random_uuid(), $1, 'scheduled', $1, 'RUNNING', 'replica-gone', $2, $3, 900000, now() - interval '1 second'),
              (gen_random_uuid(), $1, 'manual', NULL, 'RUNNING', 'replica-gone', $2, $3, 900000, now() - interval '1 second')`,
      [day.date, day.start, day.end],
    );
    const res = await tick(b);
    expect(res.details).toMatchObject({ status: 'COMPLETED', attempt: 2, abandoned: 1 });
    expect(await scheduledRuns()).toEqual([expect.objectContaining({ status: 'COMPLETED', attempts: 2, replica_id: 'replica-b' })]);
    const manual = (await sql.query(`SELECT status, error FROM reconciliation_runs WHERE trigger = 'manual'`)).rows;
    expect(manual).toEqual([{ status: 'FAILED', error: expect.stringMatching(/^abandoned/) }]);
  });

  it('waits until RECONCILIATION_RUN_AFTER_MINUTES of today have passed', async () => {
    const late = await startJobsGateway({
      db: a.db,
      netzme: sandboxEnv(sandbox),
      env: { JOBS_ENABLED: 'false', JOBS_REPLICA_ID: 'replica-late', RECONCILIATION_RUN_AFTER_MINUTES: '1380' },
    });
    try {
      const res = (await request(late.url).post('/jobs/daily-reconciliation/run').set(admin).expect(200)).body;
      const now = Date.now();
      const dueAt = jakartaYesterday(new Date()).end.getTime() + 1380 * 60_000;
      if (now < dueAt) {
        expect(res.details).toMatchObject({ waitingUntil: new Date(dueAt).toISOString() });
        expect(await scheduledRuns()).toEqual([]);
      } else {
        // Run in the last hour of a Jakarta day: the hour has come, so the job must not wait.
        expect(res.details?.waitingUntil).toBeUndefined();
      }
    } finally {
      await late.close();
    }
  });
});
