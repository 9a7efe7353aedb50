import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/free-port';

const START = join(__dirname, '..', '..', 'dist', 'scripts', 'start.js');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) {
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function ok(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

async function json(url: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  return { status: res.status, body: await res.json() };
}

/**
 * `npm start` as a newcomer runs it (dist/scripts/start.js is what it runs after the build): the
 * embedded PostgreSQL, the sandbox and the gateway come up with no settings, and Ctrl-C (SIGINT)
 * leaves nothing running and no stale lock, so a second start reuses the data — the sandbox's too:
 * an order created before the restart can be paid after it.
 */
describe('npm start', () => {
  let dataDir: string;
  let child: ChildProcess | undefined;
  let output = '';

  beforeAll(() => {
    if (!existsSync(START)) {
      throw new Error('dist/ is missing: npm test builds it first (npm run build)');
    }
    dataDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
    // As root, PostgreSQL runs as the `postgres` user, which must be able to enter the directory.
    chmodSync(dataDir, 0o755);
  });

  afterAll(() => {
    if (child?.pid && alive(child.pid)) {
      child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function startOnce(ports: { gateway: number; sandbox: number; postgres: number }): Promise<{ child: ChildProcess; ms: number }> {
    const started = Date.now();
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dataDir,
      PORT: String(ports.gateway),
      SANDBOX_PORT: String(ports.sandbox),
      EMBEDDED_POSTGRES_PORT: String(ports.postgres),
    };
    const proc = spawn(process.execPath, [START], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    proc.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child = proc;
    try {
      await waitFor(() => ok(`http://127.0.0.1:${ports.gateway}/health`), 60_000, 'the gateway');
    } catch (error) {
      throw new Error(`${(error as Error).message}; npm start printed:\n${output.slice(-3000)}`);
    }
    return { child: proc, ms: Date.now() - started };
  }

  async function stop(proc: ChildProcess): Promise<void> {
    const exited = new Promise<number | null>((resolveExit) => proc.once('exit', (code) => resolveExit(code)));
    proc.kill('SIGINT');
    // 0 from our own shutdown, or 130 (the usual code after SIGINT) from embedded-postgres's exit hook.
    expect([0, 130]).toContain(await exited);
  }

  it('serves health, Swagger and the sandbox, prints the keys, and stops everything on Ctrl-C', async () => {
    const ports = { gateway: await freePort(), sandbox: await freePort(), postgres: await freePort() };
    const first = await startOnce(ports);
    expect(first.ms).toBeLessThan(30_000);
    expect(await ok(`http://127.0.0.1:${ports.gateway}/docs-json`)).toBe(true);
    expect(await ok(`http://127.0.0.1:${ports.sandbox}/sandbox/state`)).toBe(true);
    await waitFor(() => output.includes('dev_admin_key'), 5000, 'the banner');
    expect(output).toContain(`http://127.0.0.1:${ports.gateway}/docs`);

    // An order the gateway created with the first sandbox...
    const checkout = { Authorization: 'Bearer dev_checkout_key', 'Content-Type': 'application/json' };
    const order = await json(`http://127.0.0.1:${ports.gateway}/orders`, {
      method: 'POST',
      headers: checkout,
      body: '{"merchantOrderId":"restart-1","amount":"15000.00"}',
    });
    expect(order.status).toBe(201);
    expect(order.body).toMatchObject({ status: 'PENDING' });
    const trxId: string = order.body.netzme.trxId;
    expect(trxId).toEqual(expect.any(String));

    const postmasterPid = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(alive(postmasterPid)).toBe(true);
    await stop(first.child);
    expect(existsSync(join(dataDir, 'sandbox', 'state.json'))).toBe(true);
    await waitFor(() => !alive(postmasterPid), 10_000, 'PostgreSQL to stop');
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    expect(await ok(`http://127.0.0.1:${ports.gateway}/health`)).toBe(false);
    expect(await ok(`http://127.0.0.1:${ports.sandbox}/sandbox/state`)).toBe(false);

    // A second start reuses the data directory (no initdb, no stale lock).
    const second = await startOnce(ports);
    expect(output).toMatch(/reused .*postgres/);

    // ...is known to the restarted sandbox: the buyer pays it there and the gateway's order becomes PAID.
    const paid = await json(`http://127.0.0.1:${ports.sandbox}/sandbox/invoices/${trxId}/pay`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(paid).toMatchObject({ status: 200, body: { status: 'SUCCESS', trxId } });
    await waitFor(
      async () => (await json(`http://127.0.0.1:${ports.gateway}/orders/${order.body.id}`, { headers: checkout })).body.status === 'PAID',
      60_000,
      'the order to be PAID',
    );

    const secondPostmaster = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    await stop(second.child);
    await waitFor(() => !alive(secondPostmaster), 10_000, 'PostgreSQL to stop');
    await waitFor(
      async () => !(await ok(`http://127.0.0.1:${ports.gateway}/health`)) && !(await ok(`http://127.0.0.1:${ports.sandbox}/sandbox/state`)),
      10_000,
      'the gateway and the sandbox to stop',
    );
  }, 240_000);
});
