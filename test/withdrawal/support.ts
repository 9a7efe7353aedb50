import { Client } from 'pg';
import type { StartedSandbox } from '../../apps/netzme-sandbox/src/sandbox';
import { JobRegistry } from '../../apps/gateway/src/jobs/job-registry';
import { ADMIN_KEY, startTestGateway, type TestGateway } from '../support/gateway';
import { routeCallbacksTo, sandboxEnv, sandboxState, startTestSandbox } from '../support/sandbox';

/** A sandbox, a gateway talking to it, and the sandbox's notifications delivered to the gateway. */
export interface PayoutWorld {
  sandbox: StartedSandbox;
  gw: TestGateway;
  close(): Promise<void>;
}

export async function startPayoutWorld(env: Record<string, string> = {}): Promise<PayoutWorld> {
  const sandbox = await startTestSandbox();
  const gw = await startTestGateway({
    netzme: sandboxEnv(sandbox),
    env: {
      NETZME_TIMEOUT_MS: '3000',
      WITHDRAWAL_SUBMIT_GRACE_MS: '5000',
      WITHDRAWAL_POLL_DELAY_MS: '100',
      WITHDRAWAL_POLL_MAX_DELAY_MS: '400',
      WITHDRAWAL_REPLAY_WAIT_MS: '5000',
      ...env,
    },
  });
  // Netzme's notifications reach the gateway's own callback routes (/callbacks/netzme/<kind>).
  await routeCallbacksTo(sandbox, gw.url);
  return {
    sandbox,
    gw,
    close: async () => {
      await gw.close();
      await sandbox.close();
    },
  };
}

export const adminHeaders = { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' };

export async function api(
  gw: TestGateway,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${gw.url}${path}`, {
    method,
    headers: { ...adminHeaders, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export async function sandboxControl(sandbox: StartedSandbox, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export async function addFault(sandbox: StartedSandbox, fault: { target: string; mode: string; count?: number; delayMs?: number }): Promise<void> {
  const res = await sandboxControl(sandbox, 'POST', '/sandbox/faults', { count: 1, ...fault });
  if (res.status >= 300) throw new Error(`fault not accepted: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Fresh state for a test: sandbox state, faults and our withdrawal rows. */
export async function resetWorld(world: PayoutWorld): Promise<void> {
  await sandboxControl(world.sandbox, 'DELETE', '/sandbox/faults');
  await sandboxControl(world.sandbox, 'POST', '/sandbox/reset', {});
  await routeCallbacksTo(world.sandbox, world.gw.url); // a reset forgets the routing
  const client = new Client({ connectionString: world.gw.db.url });
  await client.connect();
  try {
    await client.query('TRUNCATE withdrawals CASCADE');
    await client.query('TRUNCATE orders, order_status_history, deposit_split_fees'); // top-ups are invoices (orders table, purpose DEPOSIT_TOPUP)
  } finally {
    await client.end();
  }
}

/** One tick of a registered job, as the scheduler would run it. */
export async function runJob(gw: TestGateway, name: string): Promise<unknown> {
  const job = gw.app.get(JobRegistry).get(name);
  if (!job) throw new Error(`job ${name} is not registered`);
  return job.run({ limit: (fn) => fn(), batchSize: 50 });
}

/** Poll a withdrawal until it reaches a status, running a job between looks if given. */
export async function waitForStatus(gw: TestGateway, path: string, status: string, options: { job?: string; timeoutMs?: number } = {}): Promise<any> {
  const deadline = Date.now() + (options.timeoutMs ?? 15000);
  let last: any;
  while (Date.now() < deadline) {
    last = (await api(gw, 'GET', path)).body;
    if (last?.status === status) return last;
    if (options.job) await runJob(gw, options.job);
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${path} did not reach ${status}; last: ${JSON.stringify(last)}`);
}

export async function transfersFor(sandbox: StartedSandbox, partnerReferenceNo: string): Promise<{ accepted: number; transfers: any[]; state: any }> {
  const state = (await sandboxState(sandbox)) as any;
  return {
    accepted: state.acceptedByPartnerReferenceNo?.[partnerReferenceNo] ?? 0,
    transfers: (state.transfers as any[]).filter((t) => t.partnerReferenceNo === partnerReferenceNo),
    state,
  };
}

export function balancesOf(state: any, merchantId: string): { settledBalance: string; depositBalance: string; totalBalance: string } {
  return state.balances[merchantId];
}
