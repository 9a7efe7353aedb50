import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createTestDatabase, TestDatabase } from '../support/database';
import { ADMIN_KEY, CHECKOUT_KEY, OFFLINE_NETZME } from '../support/gateway';
import { freePort } from '../withdrawal/gateway-process';

const START = join(__dirname, '..', '..', 'dist', 'scripts', 'start.js');

/** Issue 16 item 8: the production start-up banner shows no development key and no configured key. */
describe('npm start banner in production', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('names where the keys come from, never a key', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [START], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        PORT: String(port),
        DATABASE_URL: db.url,
        CHECKOUT_API_KEYS: CHECKOUT_KEY,
        ADMIN_API_KEYS: ADMIN_KEY,
        LOG_LEVEL: 'warn',
        ...OFFLINE_NETZME,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      const deadline = Date.now() + 90_000;
      while (!output.includes('Ctrl-C stops everything') && Date.now() < deadline && child.exitCode === null) {
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(output).toContain('Netzme gateway is up');
      expect(output).not.toContain('dev_checkout_key');
      expect(output).not.toContain('dev_admin_key');
      expect(output).not.toContain(CHECKOUT_KEY);
      expect(output).not.toContain(ADMIN_KEY);
      expect(output).toContain("'Authorization: Bearer <a key from CHECKOUT_API_KEYS>'");
    } finally {
      child.kill('SIGINT');
      await exited;
    }
  }, 120_000);
});
