import request from 'supertest';
import type { JobContext, JobDefinition } from '../../apps/gateway/src/jobs/job-registry';
import { RateLimiter } from '../../apps/gateway/src/jobs/rate-limiter';
import { ADMIN_KEY, CHECKOUT_KEY } from '../support/gateway';
import { eventually, JobsGateway, sleep, startJobsGateway } from './support/jobs-gateway';

interface JobRow {
  replicaId: string;
  enabled: boolean;
  intervalMs: number;
  batchSize: number;
  runsTotal: number;
  failuresTotal: number;
  processedTotal: number;
  errorsTotal: number;
  lastOutcome: string | null;
  lastError: string | null;
  lastProcessed: number | null;
  lastDurationMs: number | null;
  lastFinishedAt: string | null;
}

async function jobRow(gw: JobsGateway, name: string): Promise<JobRow | undefined> {
  const res = await request(gw.url).get('/jobs').set('Authorization', `Bearer ${ADMIN_KEY}`).expect(200);
  return (res.body.jobs as Array<{ name: string; replicas: JobRow[] }>).find((j) => j.name === name)?.replicas[0];
}

describe('Jobs runner - scheduling, run records, /jobs and /metrics', () => {
  let gw: JobsGateway;
  const seen = { counting: [] as JobContext[], slowActive: 0, slowMaxActive: 0, slowRuns: 0, disabledRuns: 0, limitedActive: 0, limitedMax: 0, limiterPeak: 0 };
  // The gateway's own jobs share the limiter, so its in-flight count, not ours alone, is what must stay at the limit.
  let limiter: RateLimiter | undefined;

  const jobs = (): JobDefinition[] => [
    {
      name: 'counting-job',
      description: 'processes two items per tick',
      defaultIntervalMs: 60_000, // overridden by JOB_COUNTING_JOB_INTERVAL_MS
      run: async (ctx) => {
        seen.counting.push(ctx);
        return { processed: 2 };
      },
    },
    {
      name: 'slow-job',
      description: 'ticks take far longer than the interval',
      defaultIntervalMs: 30,
      run: async () => {
        seen.slowActive++;
        seen.slowMaxActive = Math.max(seen.slowMaxActive, seen.slowActive);
        await sleep(250);
        seen.slowActive--;
        seen.slowRuns++;
        return { processed: 1 };
      },
    },
    {
      name: 'failing-job',
      description: 'always throws',
      defaultIntervalMs: 100,
      run: async () => {
        throw new Error('boom: Netzme answered 500');
      },
    },
    {
      name: 'partial-job',
      description: 'one of four items fails',
      defaultIntervalMs: 100,
      run: async () => ({ processed: 3, errors: 1, details: { failed: ['ORDER-1'] } }),
    },
    {
      name: 'disabled-job',
      description: 'listed in JOBS_DISABLED',
      defaultIntervalMs: 50,
      run: async () => {
        seen.disabledRuns++;
        return { processed: 5 };
      },
    },
    {
      name: 'limited-job',
      description: 'fires many Netzme calls at once through ctx.limit',
      defaultIntervalMs: 3_600_000,
      run: async (ctx) => {
        const calls = Array.from({ length: 12 }, () =>
          ctx.limit(async () => {
            seen.limitedActive++;
            seen.limitedMax = Math.max(seen.limitedMax, seen.limitedActive);
            seen.limiterPeak = Math.max(seen.limiterPeak, limiter?.stats().inFlight ?? 0);
            await sleep(20);
            seen.limitedActive--;
          }),
        );
        await Promise.all(calls);
        return { processed: calls.length };
      },
    },
  ];

  beforeAll(async () => {
    gw = await startJobsGateway({
      jobs,
      env: {
        JOBS_ENABLED: 'true',
        JOBS_REPLICA_ID: 'replica-a',
        JOBS_DISABLED: 'disabled-job',
        JOB_COUNTING_JOB_INTERVAL_MS: '100',
        JOB_COUNTING_JOB_BATCH_SIZE: '7',
        NETZME_MAX_CONCURRENCY: '3',
        NETZME_MAX_RPS: '0',
      },
    });
    limiter = gw.app.get(RateLimiter);
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('schedules registered jobs at their configured interval and hands ticks the batch size, replica id and limiter', async () => {
    await eventually(() => seen.counting.length >= 3, 5000, 'three ticks of counting-job');
    const ctx = seen.counting[0];
    expect(ctx).toMatchObject({ batchSize: 7, jobName: 'counting-job', replicaId: 'replica-a' });
    expect(typeof ctx.limit).toBe('function');
    expect(ctx.signal?.aborted).toBe(false);
  });

  it('records every tick in Postgres and shows it through GET /jobs', async () => {
    const row = await eventually(async () => {
      const r = await jobRow(gw, 'counting-job');
      return r && r.runsTotal >= 2 ? r : undefined;
    });
    expect(row).toMatchObject({
      replicaId: 'replica-a',
      enabled: true,
      intervalMs: 100,
      batchSize: 7,
      lastOutcome: 'ok',
      lastProcessed: 2,
      failuresTotal: 0,
      errorsTotal: 0,
    });
    expect(row.processedTotal).toBe(2 * row.runsTotal);
    expect(row.lastDurationMs).toBeGreaterThanOrEqual(0);
    const [{ runs_total }] = await gw.dataSource.query(`SELECT runs_total FROM job_status WHERE job_name = 'counting-job' AND replica_id = 'replica-a'`);
    expect(Number(runs_total)).toBeGreaterThanOrEqual(2);

    const res = await request(gw.url).get('/jobs').set('Authorization', `Bearer ${ADMIN_KEY}`).expect(200);
    expect(res.body.replicaId).toBe('replica-a');
    const counting = res.body.jobs.find((j: { name: string }) => j.name === 'counting-job');
    expect(counting).toMatchObject({ description: 'processes two items per tick', here: { enabled: true, intervalMs: 100, batchSize: 7 } });
  });

  it('never overlaps two ticks of the same job in one process, and counts the skipped ticks', async () => {
    await eventually(() => seen.slowRuns >= 3, 5000, 'three slow ticks');
    expect(seen.slowMaxActive).toBe(1);
    const metrics = await request(gw.url).get('/metrics').set('Authorization', `Bearer ${ADMIN_KEY}`).expect(200);
    const skipped = /gateway_job_skipped_ticks_total\{job="slow-job"\} (\d+)/.exec(metrics.text);
    expect(Number(skipped?.[1])).toBeGreaterThan(0);
  });

  it('records a throwing tick as failed with its error, and keeps scheduling the job', async () => {
    const row = await eventually(async () => {
      const r = await jobRow(gw, 'failing-job');
      return r && r.failuresTotal >= 2 ? r : undefined;
    });
    expect(row).toMatchObject({ lastOutcome: 'failed', lastError: 'Error: boom: Netzme answered 500', lastProcessed: 0, lastErrors: 1 });
    expect(row.runsTotal).toBe(row.failuresTotal);
  });

  it('records item errors of a partial tick', async () => {
    const row = await eventually(async () => {
      const r = await jobRow(gw, 'partial-job');
      return r && r.runsTotal >= 1 ? r : undefined;
    });
    expect(row).toMatchObject({ lastOutcome: 'partial', lastProcessed: 3, lastErrors: 1, lastError: null });
  });

  it('does not schedule a job listed in JOBS_DISABLED, but POST /jobs/:name/run runs one tick of it', async () => {
    await sleep(300);
    expect(seen.disabledRuns).toBe(0);
    expect(await jobRow(gw, 'disabled-job')).toMatchObject({ enabled: false, runsTotal: 0 });

    const res = await request(gw.url).post('/jobs/disabled-job/run').set('Authorization', `Bearer ${ADMIN_KEY}`).expect(200);
    expect(res.body).toMatchObject({ job: 'disabled-job', replicaId: 'replica-a', trigger: 'manual', processed: 5, errors: 0, outcome: 'ok' });
    expect(new Date(res.body.startedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(seen.disabledRuns).toBe(1);
    expect(await jobRow(gw, 'disabled-job')).toMatchObject({ runsTotal: 1, processedTotal: 5, lastOutcome: 'ok' });
  });

  it('answers a manual run of a failing job with 200 and outcome "failed"', async () => {
    const res = await request(gw.url).post('/jobs/failing-job/run').set('Authorization', `Bearer ${ADMIN_KEY}`).expect(200);
    expect(res.body).toMatchObject({ outcome: 'failed', error: 'Error: boom: Netzme answered 500', processed: 0, errors: 1 });
  });

  it('waits for a running tick before a manual run instead of overlapping it', async () => {
    const before = seen.slowRuns;
    const res = await request(gw.url).post('/jobs/slow-job/run').set('Authorization', `Bearer ${ADMIN_KEY}`).expect(200);
    expect(res.body.trigger).toBe('manual');
    expect(seen.slowRuns).toBeGreaterThan(before);
    expect(seen.slowMaxActive).toBe(1);
  });

  it('keeps Netzme calls made through ctx.limit under NETZME_MAX_CONCURRENCY', async () => {
    const res = await request(gw.url).post('/jobs/limited-job/run').set('Authorization', `Bearer ${ADMIN_KEY}`).expect(200);
    expect(res.body.processed).toBe(12);
    // Twelve calls queue behind three slots: the limiter runs exactly three at a time. A built-in job's
    // call (to the offline Netzme) may hold one of those slots for a moment, so ours alone can peak
    // below three, but never above it.
    expect(seen.limiterPeak).toBe(3);
    expect(seen.limitedMax).toBeGreaterThanOrEqual(1);
    expect(seen.limitedMax).toBeLessThanOrEqual(3);
    const metrics = await request(gw.url).get('/metrics').set('Authorization', `Bearer ${ADMIN_KEY}`).expect(200);
    expect(metrics.text).toMatch(/gateway_netzme_limiter_waited_total \d+/);
    // Every slot comes back. The gateway's own jobs share the limiter (their calls to the offline
    // Netzme fail within milliseconds), so a scrape may catch one of theirs in flight: poll briefly.
    await eventually(
      async () => (await request(gw.url).get('/metrics').set('Authorization', `Bearer ${ADMIN_KEY}`)).text.includes('gateway_netzme_limiter_in_flight 0'),
      5000,
      'the limiter to have nothing in flight',
    );
  });

  it('refuses unknown jobs with 404 and a list of known ones', async () => {
    const res = await request(gw.url).post('/jobs/no-such-job/run').set('Authorization', `Bearer ${ADMIN_KEY}`).expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'JOB_NOT_FOUND' });
    expect(res.body.message).toContain('counting-job');
  });

  it('is admin-only: 401 without a key, 403 with a checkout key', async () => {
    for (const [method, path] of [
      ['get', '/jobs'],
      ['post', '/jobs/counting-job/run'],
      ['get', '/metrics'],
    ] as const) {
      await request(gw.url)[method](path).expect(401);
      await request(gw.url)[method](path).set('Authorization', `Bearer ${CHECKOUT_KEY}`).expect(403);
    }
  });

  it('serves Prometheus text with runs, processed items, errors and durations per job', async () => {
    const res = await request(gw.url).get('/metrics').set('Authorization', `Bearer ${ADMIN_KEY}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toMatch(/# TYPE gateway_job_runs_total counter/);
    expect(res.text).toMatch(/gateway_job_runs_total\{job="counting-job",trigger="schedule",outcome="ok"\} [1-9]\d*/);
    expect(res.text).toMatch(/gateway_job_runs_total\{job="failing-job",trigger="schedule",outcome="failed"\} [1-9]\d*/);
    expect(res.text).toMatch(/gateway_job_processed_total\{job="counting-job"\} [1-9]\d*/);
    expect(res.text).toMatch(/gateway_job_errors_total\{job="partial-job"\} [1-9]\d*/);
    expect(res.text).toMatch(/gateway_job_duration_seconds_count\{job="counting-job"\} [1-9]\d*/);
    expect(res.text).toContain('gateway_job_enabled{job="disabled-job"} 0');
    expect(res.text).toContain('gateway_job_interval_seconds{job="counting-job"} 0.1');
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = await request(gw.url).get('/docs-json').expect(200);
    expect(doc.body.paths['/jobs'].get.description).toMatch(/run record/);
    expect(doc.body.paths['/jobs/{name}/run'].post.responses).toHaveProperty('404');
    expect(doc.body.paths['/metrics'].get.description).toMatch(/Prometheus|exposition/);
  });
});

describe('Jobs runner - settings and lifecycle', () => {
  it('fails at boot naming a bad JOB_<NAME>_INTERVAL_MS', async () => {
    const job: JobDefinition = { name: 'counting-job', description: 'x', defaultIntervalMs: 1000, run: async () => ({ processed: 0 }) };
    await expect(startJobsGateway({ jobs: () => [job], env: { JOB_COUNTING_JOB_INTERVAL_MS: 'often' } })).rejects.toThrow(
      /JOB_COUNTING_JOB_INTERVAL_MS must be a whole number/,
    );
  });

  it('schedules nothing with JOBS_ENABLED=false (and by default under NODE_ENV=test)', async () => {
    let runs = 0;
    const job = (): JobDefinition[] => [{ name: 'eager-job', description: 'x', defaultIntervalMs: 50, run: async () => ({ processed: ++runs }) }];
    const off = await startJobsGateway({ jobs: job, env: { JOBS_ENABLED: 'false' } });
    const byDefault = await startJobsGateway({ jobs: job, env: { JOBS_REPLICA_ID: 'default-test' } });
    try {
      await sleep(400);
      expect(runs).toBe(0);
      const res = await request(off.url).get('/jobs').set('Authorization', `Bearer ${ADMIN_KEY}`).expect(200);
      expect(res.body.jobs.find((j: { name: string }) => j.name === 'eager-job')).toMatchObject({ here: { enabled: false } });
    } finally {
      await off.close();
      await byDefault.close();
    }
  });

  it('on shutdown stops scheduling, signals running ticks and waits for them before closing the database', async () => {
    const events: string[] = [];
    let started!: () => void;
    const tickStarted = new Promise<void>((resolve) => (started = resolve));
    const gw = await startJobsGateway({
      jobs: (dataSource) => [
        {
          name: 'long-job',
          description: 'a tick that is running when the app stops',
          defaultIntervalMs: 50,
          run: async (ctx) => {
            events.push('start');
            started();
            while (!ctx.signal?.aborted) await sleep(10);
            events.push('aborted');
            await sleep(200);
            // The database is still open: the tick can finish its claimed items.
            await dataSource.query('SELECT 1');
            events.push('finished');
            return { processed: 1 };
          },
        },
      ],
      env: { JOBS_ENABLED: 'true', JOBS_SHUTDOWN_GRACE_MS: '5000' },
    });
    await tickStarted;
    await gw.close();
    expect(events).toEqual(['start', 'aborted', 'finished']);
  });
});
