import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './database.options';
import { runMigrationsLocked } from './migrator';

/**
 * `node dist/apps/gateway/src/database/migrate.js`: apply pending migrations once and exit (0 when
 * the schema is current). The release step of a deployment (docker-compose.yml's `migrate` service):
 * gateways then start with DB_SKIP_MIGRATIONS=true and only check, in /health/ready, that nothing is
 * pending. Under the same advisory lock as a gateway's own start-up run, so either way is safe.
 */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error('DATABASE_URL is not set: point it at the PostgreSQL to migrate');
  }
  // Two connections: the advisory lock holds one while the migrations run on the other.
  const dataSource = await new DataSource({
    ...buildDataSourceOptions(url, 2),
    extra: { max: 2, connectionTimeoutMillis: 10_000, application_name: 'netzme-gateway-migrate' },
  }).initialize();
  try {
    const applied = await runMigrationsLocked(dataSource);
    process.stdout.write(applied.length > 0 ? `migrations applied: ${applied.join(', ')}\n` : 'migrations: nothing to apply, the schema is current\n');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  // The message only: a connection error's stack adds nothing, and the URL (with its password) is never printed.
  process.stderr.write(`migrate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
