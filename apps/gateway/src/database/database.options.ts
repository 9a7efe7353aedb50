import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { SafeTypeOrmLogger } from './typeorm-logger';

/** Repository root: the same relative hop works from the sources (jest) and from dist/ (node). */
const ROOT = join(__dirname, '..', '..', '..', '..');

/**
 * The one TypeORM configuration, shared by the app, the migration CLI and the tests. `synchronize`
 * is off everywhere: the schema changes only through the files in migrations/.
 */
export function buildDataSourceOptions(url: string, poolSize = 20): DataSourceOptions {
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
    extra: { max: poolSize, min: poolSize, connectionTimeoutMillis: 5000, application_name: 'netzme-gateway' },
  };
}
