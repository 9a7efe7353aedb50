import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/free-port';

const START = join(__dirname, '..', '..', 'dist', 'scripts', 'start.js');

/** Something else listening on a port, as a forgotten earlier run would. */
function occupy(): Promise<{ port: number; server: Server }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as { port: number }).port, server }));
  });
}

/** Run dist/scripts/start.js until it exits (bounded), with only the given settings. */
function runStart(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [START], { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // Generous: a failed start exits in well under a second on an idle machine.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`npm start did not exit within 90 s; it printed:\n${output}`));
    }, 90_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * `npm start` that cannot start says why and what to do (it used to print "[start] failed: undefined"
 * when the embedded PostgreSQL's port was taken).
 */
describe('npm start - failures say their cause and what to do', () => {
  let dataDir: string;
  const servers: Server[] = [];

  beforeAll(() => {
    if (!existsSync(START)) {
      throw new Error('dist/ is missing: npm test builds it first (npm run build)');
    }
  });
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'npm-start-fail-'));
    chmodSync(dataDir, 0o755);
  });
  afterEach(() => {
    for (const server of servers.splice(0)) {
      server.close();
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function taken(): Promise<number> {
    const { port, server } = await occupy();
    servers.push(server);
    return port;
  }

  it('names a taken EMBEDDED_POSTGRES_PORT and offers a free one', async () => {
    const pgPort = await taken();
    const { code, output } = await runStart({
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      SANDBOX_PORT: String(await freePort()),
      EMBEDDED_POSTGRES_PORT: String(pgPort),
    });
    expect(code).toBe(1);
    expect(output).toContain(`port ${pgPort} (EMBEDDED_POSTGRES_PORT, for the embedded PostgreSQL) is already in use`);
    expect(output).toMatch(/What to do: .*EMBEDDED_POSTGRES_PORT=\d+ npm start/);
    expect(output).not.toContain('undefined');
    // Nothing was started: no PostgreSQL data was created.
    expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(false);
  });

  it('names every taken port at once: PORT and SANDBOX_PORT', async () => {
    const gatewayPort = await taken();
    const sandboxPort = await taken();
    const { code, output } = await runStart({
      DATA_DIR: dataDir,
      PORT: String(gatewayPort),
      SANDBOX_PORT: String(sandboxPort),
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
    });
    expect(code).toBe(1);
    expect(output).toContain(`port ${gatewayPort} (PORT, for the gateway) is already in use`);
    expect(output).toContain(`port ${sandboxPort} (SANDBOX_PORT, for the Netzme sandbox) is already in use`);
    expect(output).not.toContain('undefined');
  });

  it('says where an unreachable DATABASE_URL points, without its password', async () => {
    const closed = await freePort();
    const { code, output } = await runStart({
      DATA_DIR: dataDir,
      DATABASE_URL: `postgres://gw:s3cret-pw@127.0.0.1:${closed}/gateway`,
      PORT: String(await freePort()),
      SANDBOX_PORT: String(await freePort()),
    });
    expect(code).toBe(1);
    expect(output).toContain(`127.0.0.1:${closed}/gateway (DATABASE_URL)`);
    expect(output).toMatch(/ECONNREFUSED/);
    expect(output).toMatch(/What to do: .*unset DATABASE_URL/);
    expect(output).not.toContain('s3cret-pw');
    expect(output).not.toContain('undefined');
  });

  it('prints what PostgreSQL said when it stops while starting (here: an incomplete data folder)', async () => {
    // A data folder left by an interrupted first start: PG_VERSION but nothing else.
    mkdirSync(join(dataDir, 'postgres'), { recursive: true });
    writeFileSync(join(dataDir, 'postgres', 'PG_VERSION'), '18\n');
    const { code, output } = await runStart({
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      SANDBOX_PORT: String(await freePort()),
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
    });
    expect(code).toBe(1);
    expect(output).toContain('failed while starting the embedded PostgreSQL');
    expect(output).toMatch(/PostgreSQL said:\n {4}\S/);
    expect(output).toMatch(/What to do: .*(move it away|DATA_DIR)/);
    expect(output).not.toContain('undefined');
  });
});
