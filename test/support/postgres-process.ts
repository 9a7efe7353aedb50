import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const MAIN = join(__dirname, '..', '..', 'dist', 'test', 'support', 'postgres-main.js');

export interface PostgresProcess {
  /** Superuser URL (database `postgres`). */
  url: string;
  port: number;
  /** Stop the server (its data stays in dataDir) and wait for the process to end. */
  stop(): Promise<void>;
}

/**
 * Start (or start again, on the same data and port) a PostgreSQL in its own process, for suites that
 * stop, freeze or restart their database; see postgres-main.ts. Without a port, a free one is taken.
 */
export async function startPostgresProcess(dataDir: string, port?: number): Promise<PostgresProcess> {
  if (!existsSync(MAIN)) {
    throw new Error('dist/ is missing: npm test builds it first (npm run build)');
  }
  const child: ChildProcess = spawn(process.execPath, [MAIN, dataDir, port === undefined ? '' : String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /^ready (\S+)$/m.exec(output);
      if (match) resolve(match[1]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`postgres process exited (${code}) before it was ready:\n${output.slice(-2000)}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    port: Number(new URL(url).port),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
      }
      await exited;
    },
  };
}
