import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { SafeTypeOrmLogger } from './typeorm-logger';

/** Repository root: the same relative hop works from the sources (jest) and from dist/ (node). */
const ROOT = join(__dirname, '..', '..', '..', '..');

/** How long the gateway waits for Postgres (README "Settings", "When PostgreSQL is down"). */
export interface DatabaseTimeouts {
  /** Waiting for a pooled connection or opening a new one (pg `connectionTimeoutMillis`). */
  connectMs: number;
  /**
   * One statement: Postgres cancels it (`statement_timeout`), and the client gives up on a server
   * that does not answer at all, e.g. a hung host (pg `query_timeout`). 0: no limit (migrations).
   */
  statementMs: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = { connectMs: 5000, statementMs: 20_000 };

/** pg Pool settings for the timeouts: a statement that Postgres should have cancelled is abandoned by the client shortly after. */
export function poolTimeouts(timeouts: DatabaseTimeouts): Record<string, number> {
  return {
    connectionTimeoutMillis: timeouts.connectMs,
    ...(timeouts.statementMs > 0 ? { statement_timeout: timeouts.statementMs, query_timeout: timeouts.statementMs + 500 } : {}),
  };
}

/**
 * The one TypeORM configuration, shared by the app, the migration CLI and the tests. `synchronize`
 * is off everywhere: the schema changes only through the files in migrations/.
 */
export function buildDataSourceOptions(url: string, poolSize = 20, timeouts: DatabaseTimeouts = DEFAULT_DATABASE_TIMEOUTS): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [join(__dirname, '..', '**', '*.entity.{ts,js}')],
    migrations: [join(ROOT, 'migrations', '*.{ts,js}')],
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: ['error', 'warn', 'migration'],
    logger: new SafeTypeOrmLogger(),
    maxQueryExecutionTime: 2000,
    // A fixed-size pool once warm (min = max, as HikariCP advises): connections are opened on demand
    // but never closed for idleness, so the first orders after a lull do not pay for new backends
    // (a fork, catalog caches, re-preparing the hot statements) while the checkout waits.
    extra: { max: poolSize, min: poolSize, ...poolTimeouts(timeouts), application_name: 'netzme-gateway' },
  };
}
