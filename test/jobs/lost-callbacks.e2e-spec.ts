import request from 'supertest';
import type { StartedSandbox } from '../../apps/netzme-sandbox/src/sandbox';
import { ADMIN_KEY, CHECKOUT_KEY } from '../support/gateway';
import { routeCallbacksTo, sandboxEnv, sandboxState, startTestSandbox } from '../support/sandbox';
import { eventually, JobsGateway, startJobsGateway } from './support/jobs-gateway';

/**
 * Nothing stays pending: with every payment callback lost, the scheduled poller still finds out
 * from Netzme. Short intervals stand in for production's seconds-to-minutes schedule.
 */
describe('Lost callbacks - the scheduled poller settles orders on its own', () => {
  const POLL_STEP_MS = 400;
  const TICK_MS = 100;
  let sandbox: StartedSandbox;
  let gw: JobsGateway;

  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sandbox.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status).toBeLessThan(300);
    const text = await res.text();
    return text ? JSON.parse(text) : undefined;
  };
  const order = async (id: string) => (await request(gw.url).get(`/orders/${id}`).set('Authorization', `Bearer ${CHECKOUT_KEY}`).expect(200)).body;
  const createOrder = async (merchantOrderId: string, extra: Record<string, unknown> = {}) => {
    const res = await request(gw.url)
      .post('/orders')
      .set('Authorization', `Bearer ${CHECKOUT_KEY}`)
      .send({ merchantOrderId, amount: '25000.00', ...extra });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('PENDING');
    return res.body as { id: string; status: string };
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    gw = await startJobsGateway({
      netzme: { ...sandboxEnv(sandbox), NETZME_TIMEOUT_MS: '10000' },
      env: {
        JOBS_ENABLED: 'true',
        JOB_ORDER_STATUS_POLL_INTERVAL_MS: String(TICK_MS),
        ORDER_POLL_SCHEDULE_MS: String(POLL_STEP_MS),
        ORDER_EXPIRY_GRACE_MS: '0',
        JOB_WITHDRAWAL_STATUS_POLL_INTERVAL_MS: String(TICK_MS),
        WITHDRAWAL_POLL_DELAY_MS: String(POLL_STEP_MS),
        WITHDRAWAL_POLL_MAX_DELAY_MS: String(POLL_STEP_MS),
        WITHDRAWAL_SUBMIT_GRACE_MS: '15000',
      },
    });
    await routeCallbacksTo(sandbox, gw.url);
    // Every payment notification is lost, whichever kind the sandbox would send.
    for (const target of ['invoice-paid', 'qris-paid', 'qris-paid-snap', 'withdrawal-status']) {
      await control('POST', '/sandbox/faults', { target, mode: 'drop', count: 1000 });
    }
  });

  afterAll(async () => {
    await gw?.close();
    await sandbox?.close();
  });

  it('marks a paid order PAID within one polling cycle although its callback never arrives', async () => {
    const created = await createOrder(`LOST-${Date.now()}`);
    await control('POST', `/sandbox/invoices/${(await orderRow(created.id)).netzme_trx_id}/pay`);
    const pollsBeforePaying = (await orderRow(created.id)).poll_attempts;

    const paid = await eventually(
      async () => {
        const o = await order(created.id);
        return o.status === 'PAID' ? o : undefined;
      },
      10_000,
      'the order to become PAID',
    );
    // One cycle: the first poll that asked Netzme after the payment settled it (counted in polls, not
    // wall-clock time, which a loaded CI machine stretches). A poll already claimed when the buyer paid
    // may settle it too (0 more).
    expect((await orderRow(created.id)).poll_attempts - pollsBeforePaying).toBeLessThanOrEqual(1);
    expect(paid.amount).toEqual({ value: '25000.00', currency: 'IDR' });
    expect(paid.paidAt).toBeTruthy();

    // The callback really was lost (the sandbox dropped it) and the gateway learnt by asking.
    const trxId = (await orderRow(created.id)).netzme_trx_id;
    const state = (await sandboxState(sandbox)) as {
      statusQueries: { invoices: Record<string, number> };
      callbacks: Array<{ id: string; subject: string; attempts: unknown[] }>;
      faults: { events: Array<{ mode: string; subject: string }> };
    };
    expect(state.statusQueries.invoices[trxId]).toBeGreaterThanOrEqual(1);
    const notifications = state.callbacks.filter((c) => c.subject === trxId);
    expect(notifications.length).toBeGreaterThanOrEqual(1);
    for (const notification of notifications) {
      expect(notification.attempts).toHaveLength(0);
      expect(state.faults.events).toContainEqual(expect.objectContaining({ mode: 'drop', subject: notification.id }));
    }

    // The tick that settled the order records its totals just after the order changed: wait for them.
    await eventually(
      async () => {
        const jobs = await request(gw.url).get('/jobs').set('Authorization', `Bearer ${ADMIN_KEY}`).expect(200);
        const poll = jobs.body.jobs.find((j: { name: string }) => j.name === 'order-status-poll');
        return poll.replicas[0].processedTotal >= 1;
      },
      5000,
      'order-status-poll to record a processed order',
    );
  });

  it('settles many paid orders, and expires the unpaid ones after their final check', async () => {
    const paid = await Promise.all([1, 2, 3, 4].map((n) => createOrder(`LOST-MANY-${Date.now()}-${n}`)));
    const unpaid = await createOrder(`LOST-UNPAID-${Date.now()}`, { expiresInSeconds: 60 });
    for (const o of paid) {
      await control('POST', `/sandbox/invoices/${(await orderRow(o.id)).netzme_trx_id}/pay`);
    }
    // The unpaid one runs out on Netzme's side (as if its expiry had passed).
    await control('POST', `/sandbox/invoices/${(await orderRow(unpaid.id)).netzme_trx_id}/expire`);

    await eventually(
      async () => {
        const statuses = await Promise.all([...paid, unpaid].map(async (o) => (await order(o.id)).status));
        return statuses.slice(0, 4).every((s) => s === 'PAID') && statuses[4] === 'EXPIRED';
      },
      15_000,
      'four PAID and one EXPIRED',
    );
  });

  it('finishes a withdrawal through Get Information Withdraw when its status notification is lost', async () => {
    const admin = { Authorization: `Bearer ${ADMIN_KEY}` };
    expect((await request(gw.url).post('/withdrawals/pin').set(admin).send({ pin: '123456' })).status).toBe(200);
    const created = await request(gw.url)
      .post('/withdrawals')
      .set(admin)
      .set('Idempotency-Key', `lost-wd-${Date.now()}`)
      .send({ amount: '40000.00', pin: '123456' });
    expect([201, 202]).toContain(created.status);
    const id = created.body.id as string;
    const reference = await eventually(
      async () => (await gw.dataSource.query('SELECT reference_no FROM withdrawals WHERE id = $1', [id]))[0]?.reference_no as string | undefined,
      10_000,
      'a referenceNo',
    );
    await control('POST', `/sandbox/withdrawals/${reference}/complete`, { status: 'success' });

    const done = await eventually(
      async () => {
        const w = (await request(gw.url).get(`/withdrawals/${id}`).set(admin)).body;
        return w.status === 'SUCCEEDED' ? w : undefined;
      },
      10_000,
      'the withdrawal to become SUCCEEDED',
    );
    expect(done.amount).toEqual({ value: '40000.00', currency: 'IDR' });
    const state = (await sandboxState(sandbox)) as {
      statusQueries: { withdrawals: Record<string, number> };
      callbacks: Array<{ subject: string; attempts: unknown[] }>;
    };
    expect(state.statusQueries.withdrawals[reference]).toBeGreaterThanOrEqual(1);
    const notifications = state.callbacks.filter((c) => c.subject === reference);
    expect(notifications.length).toBeGreaterThanOrEqual(1);
    expect(notifications.every((c) => c.attempts.length === 0)).toBe(true);
  });

  async function orderRow(id: string): Promise<{ netzme_trx_id: string; poll_attempts: number }> {
    const [row] = await gw.dataSource.query('SELECT netzme_trx_id, poll_attempts FROM orders WHERE id = $1', [id]);
    return row;
  }
});
