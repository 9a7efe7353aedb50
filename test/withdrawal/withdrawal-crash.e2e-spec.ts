import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { StartedSandbox } from '../../apps/netzme-sandbox/src/sandbox';
import { createTestDatabase, TestDatabase } from '../support/database';
import { ADMIN_KEY } from '../support/gateway';
import { sandboxEnv, sandboxState, startTestSandbox } from '../support/sandbox';
import { buildGateway, freePort, GatewayProcess } from './gateway-process';

/**
 * The gateway process dies (SIGKILL) while Withdraw Process is on the wire; a new process on the
 * same database finishes the job with its scheduler. Notifications are not delivered here at all,
 * so only the restarted process's polling can resolve the withdrawal.
 */
describe('Withdrawal crash safety - gateway process killed mid-transfer', () => {
  let sandbox: StartedSandbox;
  let db: TestDatabase;
  let gateway: GatewayProcess;
  const PATH = '/api/v1.0/emoney/transfer-bank';

  // The process that gets killed does not poll: only the restarted process's polling may resolve the
  // withdrawal (on a slow machine the first one could otherwise pass its submit grace and claim it first).
  const FIRST_PROCESS = { env: { JOBS_ENABLED: 'false' } };
  const headers = { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' };
  const get = async (path: string) => (await fetch(`${gateway.url}${path}`, { headers })).json() as Promise<any>;
  const rows = async () => {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query('SELECT id, status, submit_attempts, partner_reference_no, reference_no FROM withdrawals')).rows;
    } finally {
      await client.end();
    }
  };
  const fault = (body: Record<string, unknown>) =>
    fetch(`${sandbox.url}/sandbox/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ count: 1, ...body }) });
  const complete = (ref: string) =>
    fetch(`${sandbox.url}/sandbox/withdrawals/${ref}/complete`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 'success' }),
    });
  const waitFor = async <T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const value = await fn();
      if (value) return value;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}\n--- gateway logs ---\n${gateway.logs().slice(-4000)}`);
  };

  beforeAll(async () => {
    buildGateway();
    sandbox = await startTestSandbox();
  });

  afterAll(async () => {
    await gateway?.stop();
    await sandbox?.close();
  });

  beforeEach(async () => {
    await fetch(`${sandbox.url}/sandbox/reset`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    db = await createTestDatabase('wdcrash');
    gateway = new GatewayProcess(await freePort(), {
      ...sandboxEnv(sandbox),
      DATABASE_URL: db.url,
      ADMIN_API_KEYS: ADMIN_KEY,
      CHECKOUT_API_KEYS: 'test_checkout_key_0001_for_tests_only_xxx',
      LOG_LEVEL: 'warn',
      NETZME_TIMEOUT_MS: '2000',
      WITHDRAWAL_SUBMIT_GRACE_MS: '3000',
      WITHDRAWAL_POLL_DELAY_MS: '200',
      WITHDRAWAL_POLL_MAX_DELAY_MS: '500',
      JOBS_ENABLED: 'true',
      JOB_WITHDRAWAL_STATUS_POLL_INTERVAL_MS: '250',
    });
  });

  afterEach(async () => {
    await gateway.stop();
    await db.drop();
  });

  it('killed after the transfer reached Netzme: the restarted process finds it and ends SUCCEEDED with exactly one transfer', async () => {
    await gateway.start(FIRST_PROCESS);
    // Netzme processes the transfer, then holds the answer: the gateway is waiting on it.
    await fault({ target: PATH, mode: 'timeout', delayMs: 15_000 });
    const pending = fetch(`${gateway.url}/withdrawals`, {
      method: 'POST',
      headers: { ...headers, 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({ amount: '150000.00', pin: '123456' }),
    }).catch(() => undefined);
    const transfer = await waitFor('the transfer at the sandbox', async () => ((await sandboxState(sandbox)) as any).transfers[0]);
    await gateway.kill();
    await pending;

    const [row] = await rows();
    expect(row).toMatchObject({ status: 'PENDING_SUBMIT', submit_attempts: 1, partner_reference_no: transfer.partnerReferenceNo, reference_no: null });

    await gateway.start(); // same database: a restart
    const processing = await waitFor('PROCESSING after restart', async () => {
      const w = await get(`/withdrawals/${row.id}`);
      return w.status === 'PROCESSING' ? w : undefined;
    });
    expect(processing.referenceNo).toBe(transfer.referenceNo);
    expect(processing.events.map((e: any) => `${e.fromStatus}>${e.toStatus}:${e.source}`)).toEqual(
      expect.arrayContaining(['PENDING_SUBMIT>UNKNOWN:poll', 'UNKNOWN>PROCESSING:poll']),
    );

    await complete(transfer.partnerReferenceNo);
    await waitFor('SUCCEEDED', async () => (await get(`/withdrawals/${row.id}`)).status === 'SUCCEEDED');
    const state = (await sandboxState(sandbox)) as any;
    expect(state.transfers).toHaveLength(1);
    expect(state.acceptedByPartnerReferenceNo[transfer.partnerReferenceNo]).toBe(1);
    expect(state.transfers[0].duplicatesRefused).toBe(0);
    expect(state.balances[sandbox.credentials.merchantId].settledBalance).toBe('850000.00');
  });

  it('killed before Netzme processed it: nothing is sent again by itself; a person resubmits the SAME reference, one transfer', async () => {
    await gateway.start(FIRST_PROCESS);
    await fault({ target: PATH, mode: 'timeout', delayMs: 15_000, beforeProcessing: true });
    const pending = fetch(`${gateway.url}/withdrawals`, {
      method: 'POST',
      headers: { ...headers, 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({ amount: '20000.00', pin: '123456' }),
    }).catch(() => undefined);
    await waitFor('the request held by the sandbox', async () => ((await sandboxState(sandbox)) as any).faults.events.length > 0);
    await gateway.kill();
    await pending;
    const [row] = await rows();
    expect(row.status).toBe('PENDING_SUBMIT');

    await gateway.start();
    const waiting = await waitFor('UNKNOWN with the PIN needed', async () => {
      const w = await get(`/withdrawals/${row.id}`);
      return w.status === 'UNKNOWN' && /PIN/.test(w.lastError ?? '') ? w : undefined;
    });
    expect(waiting.referenceNo).toBeNull();
    expect(((await sandboxState(sandbox)) as any).transfers).toHaveLength(0);

    const res = await fetch(`${gateway.url}/withdrawals/${row.id}/resubmit`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ pin: '123456', resubmittedBy: 'ops: Dewi' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ status: 'PROCESSING', partnerReferenceNo: row.partner_reference_no });
    expect(body.events.find((e: any) => e.type === 'RESUBMITTED')).toMatchObject({ source: 'admin', actor: expect.stringContaining('ops: Dewi') });
    const state = (await sandboxState(sandbox)) as any;
    expect(state.transfers).toHaveLength(1);
    expect(state.transfers[0].partnerReferenceNo).toBe(row.partner_reference_no);
  });
});
