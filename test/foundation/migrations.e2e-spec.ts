import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../apps/gateway/src/database/database.options';
import { runMigrationsLocked } from '../../apps/gateway/src/database/migrator';
import { createTestDatabase, TestDatabase } from '../support/database';

describe('Migrations', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('mig');
  });

  afterAll(async () => {
    await db.drop();
  });

  it('two replicas starting together apply every migration exactly once', async () => {
    const replicas = [new DataSource(buildDataSourceOptions(db.url, 2)), new DataSource(buildDataSourceOptions(db.url, 2))];
    await Promise.all(replicas.map((ds) => ds.initialize()));
    try {
      const applied = await Promise.all(replicas.map((ds) => runMigrationsLocked(ds)));
      const all = replicas[0].migrations.map((m) => m.name);
      // One replica applied everything, the other found nothing left to do.
      expect([...applied[0], ...applied[1]].sort()).toEqual([...all].sort());
      const rows = await replicas[0].query('SELECT name FROM typeorm_migrations');
      expect(rows).toHaveLength(all.length);
    } finally {
      await Promise.all(replicas.map((ds) => ds.destroy()));
    }
  });

  it('the entities and the migrations agree: generating a migration would yield nothing', async () => {
    const ds = await new DataSource(buildDataSourceOptions(db.url, 2)).initialize();
    try {
      await runMigrationsLocked(ds);
      const pending = await ds.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });

  it('every migration can be reverted and applied again', async () => {
    const ds = await new DataSource(buildDataSourceOptions(db.url, 2)).initialize();
    try {
      await runMigrationsLocked(ds);
      for (let i = 0; i < ds.migrations.length; i++) {
        await ds.undoLastMigration({ transaction: 'each' });
      }
      expect(await ds.query('SELECT name FROM typeorm_migrations')).toHaveLength(0);
      await runMigrationsLocked(ds);
      expect(await ds.query('SELECT name FROM typeorm_migrations')).toHaveLength(ds.migrations.length);
    } finally {
      await ds.destroy();
    }
  });
});
