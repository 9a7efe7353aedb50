import type { DataSource } from 'typeorm';

/** Advisory lock ids used by the gateway (Postgres-wide 64-bit keys). */
export const enum AdvisoryLock {
  Migrations = 7_420_001,
}

/**
 * Run pending migrations while holding a session advisory lock, so that two replicas starting
 * together take turns: the second finds nothing left to do.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [AdvisoryLock.Migrations]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [AdvisoryLock.Migrations]).catch(() => undefined);
    await runner.release();
  }
}
