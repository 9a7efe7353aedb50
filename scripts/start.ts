/**
 * `npm start`: the whole system on one machine with no settings.
 *
 *  1. PostgreSQL: DATABASE_URL if set, otherwise an embedded server with its data in .data/postgres.
 *  2. The Netzme sandbox (unless NETZME_BASE_URL points at a real Netzme), on SANDBOX_PORT.
 *  3. The gateway on PORT; it applies the migrations itself and reads the sandbox's credentials.
 *
 * Ctrl-C stops the gateway and the sandbox, then PostgreSQL, and leaves nothing running.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { EmbeddedDatabase, startEmbeddedDatabase } from './lib/embedded-db';
import { checkPorts, describeStartFailure, StartError, type PortUse, type StartContext } from './lib/start-errors';

const ROOT = resolve(__dirname, '..', '..');
const DIST = join(ROOT, 'dist');
/** Where the embedded PostgreSQL and the sandbox keep their data (tests point it elsewhere). */
const DATA_DIR = resolve(process.env.DATA_DIR ?? join(ROOT, '.data'));
const started = Date.now();

if (existsSync(join(ROOT, '.env'))) {
  process.loadEnvFile(join(ROOT, '.env'));
}
const PORT = Number(process.env.PORT ?? 3000);
const SANDBOX_PORT = Number(process.env.SANDBOX_PORT ?? 3001);
const POSTGRES_PORT = Number(process.env.EMBEDDED_POSTGRES_PORT ?? 54329);
/** What main() is doing, so a failure says where it happened. */
const context: StartContext = { stage: 'starting', dataDir: DATA_DIR, postgresPort: POSTGRES_PORT, databaseUrl: process.env.DATABASE_URL };
const useSandbox = !process.env.NETZME_BASE_URL;
const children: ChildProcess[] = [];
let database: EmbeddedDatabase | undefined;
let stopping = false;

function say(line: string): void {
  process.stdout.write(`[start] ${line}\n`);
}

async function waitFor(url: string, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) {
        return;
      }
    } catch {
      // not up yet
    }
    if (stopping) {
      throw new Error('stopping');
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new StartError(`${what} did not answer at ${url} within ${timeoutMs / 1000} s`, `its own output above says why; on a busy machine, try again`);
}

function run(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', join(DIST, script)], { env: { ...process.env, ...env }, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      say(`${name} exited (${signal ?? code}); stopping everything. Its own error is printed above.`);
      void shutdown(1);
    }
  });
  children.push(child);
  return child;
}

async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name}"`);
    }
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** DATABASE_URL given: connect once, so a wrong URL is reported here rather than by the gateway's retries. */
async function ensureReachable(url: string): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  await client.end();
}

async function shutdown(code: number): Promise<void> {
  if (stopping) {
    return;
  }
  stopping = true;
  say('stopping...');
  // Signal every child at once (embedded-postgres's own exit hook may end this process early,
  // and a child signalled late would be left behind), then wait for them, killing stragglers.
  await Promise.all(
    children
      .filter((child) => child.exitCode === null && child.signalCode === null)
      .map(
        (child) =>
          new Promise<void>((resolveExit) => {
            const timer = setTimeout(() => {
              child.kill('SIGKILL');
              resolveExit();
            }, 8000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolveExit();
            });
            child.kill('SIGTERM');
          }),
      ),
  );
  if (database) {
    await database.stop().catch(() => undefined);
    say('PostgreSQL stopped');
  }
  process.exit(code);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  let databaseUrl = process.env.DATABASE_URL;
  // A taken port is the usual reason a start fails: say which one and which setting before starting anything.
  context.stage = 'checking the ports';
  const ports: PortUse[] = [{ port: PORT, setting: 'PORT', what: 'the gateway' }];
  if (useSandbox) {
    ports.push({ port: SANDBOX_PORT, setting: 'SANDBOX_PORT', what: 'the Netzme sandbox' });
  }
  if (!databaseUrl) {
    ports.push({ port: POSTGRES_PORT, setting: 'EMBEDDED_POSTGRES_PORT', what: 'the embedded PostgreSQL' });
  }
  await checkPorts(ports);

  if (!databaseUrl) {
    const t = Date.now();
    const dataDir = join(DATA_DIR, 'postgres');
    const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
    context.stage = `starting the embedded PostgreSQL (${fresh ? 'new' : 'existing'} data in ${dataDir})`;
    database = await startEmbeddedDatabase({ dataDir, port: POSTGRES_PORT });
    context.stage = 'creating the gateway database in the embedded PostgreSQL';
    databaseUrl = await ensureDatabase(database.url, 'netzme_gateway');
    say(`PostgreSQL (embedded, ${fresh ? 'initialised' : 'reused'} ${dataDir}) ready in ${Date.now() - t} ms on port ${database.port}`);
  } else {
    context.stage = 'connecting to the PostgreSQL database';
    await ensureReachable(databaseUrl);
  }

  if (useSandbox) {
    context.stage = 'starting the Netzme sandbox';
    run('sandbox', 'apps/netzme-sandbox/src/main.js', {
      SANDBOX_PORT: String(SANDBOX_PORT),
      SANDBOX_CALLBACK_BASE_URL: process.env.SANDBOX_CALLBACK_BASE_URL ?? `http://127.0.0.1:${PORT}/callbacks/netzme`,
      SANDBOX_DATA_DIR: process.env.SANDBOX_DATA_DIR ?? join(DATA_DIR, 'sandbox'),
    });
    await waitFor(`http://127.0.0.1:${SANDBOX_PORT}/sandbox/credentials`, 'the sandbox');
  }

  context.stage = 'starting the gateway';
  run('gateway', 'apps/gateway/src/main.js', {
    DATABASE_URL: databaseUrl,
    SANDBOX_DATA_DIR: process.env.SANDBOX_DATA_DIR ?? join(DATA_DIR, 'sandbox'),
    LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty',
  });
  await waitFor(`http://127.0.0.1:${PORT}/health`, 'the gateway');

  // Configured keys are secrets and never printed; the development keys are shown only when they are
  // the ones in use (no keys set, not production: the gateway refuses them anywhere else).
  const devKeys = process.env.NODE_ENV !== 'production' && !process.env.CHECKOUT_API_KEYS && !process.env.ADMIN_API_KEYS;
  const checkoutKey = devKeys ? 'dev_checkout_key' : '<a key from CHECKOUT_API_KEYS>';
  process.stdout.write(
    [
      '',
      `  Netzme gateway is up (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      '',
      `  Gateway      http://127.0.0.1:${PORT}`,
      `  Swagger UI   http://127.0.0.1:${PORT}/docs`,
      `  Health       http://127.0.0.1:${PORT}/health`,
      useSandbox
        ? `  Sandbox      http://127.0.0.1:${SANDBOX_PORT}  (state: /sandbox/state, credentials: /sandbox/credentials)`
        : `  Netzme       ${process.env.NETZME_BASE_URL}`,
      '',
      devKeys ? '  API keys     checkout: dev_checkout_key' : '  API keys     from CHECKOUT_API_KEYS / ADMIN_API_KEYS, or managed keys (npm run keys)',
      devKeys ? '               admin:    dev_admin_key' : '',
      '',
      '  Try it:',
      `    curl -s -X POST http://127.0.0.1:${PORT}/orders -H 'Authorization: Bearer ${checkoutKey}' \\`,
      `      -H 'Content-Type: application/json' -d '{"merchantOrderId":"demo-1","amount":"15000.00"}'`,
      useSandbox ? '    npm run sandbox -- pay <order partnerReferenceNo or trxId>     # the buyer pays' : '',
      '',
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  if (!stopping) {
    process.stderr.write(`[start] failed while ${describeStartFailure(error, context)}\n`);
    void shutdown(1);
  }
});
