import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { claimDue } from '../../apps/gateway/src/database/claim-due';
import { buildDataSourceOptions } from '../../apps/gateway/src/database/database.options';
import { createTestDatabase, TestDatabase } from '../support/database';

/**
 * The one claim every poller uses, against real Postgres: due rows only, oldest first, a lease that
 * makes a second claimer skip them, and no row handed to two concurrent claimers.
 */
describe('claimDue (real Postgres)', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('claim');
    ds = await new DataSource(buildDataSourceOptions(db.url, 10)).initialize();
    await ds.query(`CREATE TABLE work (id int PRIMARY KEY, status text NOT NULL, next_check_at timestamptz, tries int NOT NULL DEFAULT 0)`);
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  beforeEach(async () => {
    await ds.query('DELETE FROM work');
  });

  const open = {
    table: 'work',
    dueColumn: 'next_check_at',
    open: 'status = ANY($3::text[])',
    params: [['OPEN']],
    leaseMs: 60_000,
    alsoSet: 'tries = t.tries + 1',
  };

  it('claims only open rows that are due, oldest due first, and leases them', async () => {
    await ds.query(`INSERT INTO work (id, status, next_check_at) VALUES
      (1, 'OPEN', now() - interval '1 minute'), (2, 'OPEN', now() - interval '2 minutes'),
      (3, 'OPEN', now() + interval '1 hour'), (4, 'DONE', now() - interval '1 hour'), (5, 'OPEN', NULL)`);
    const first = await claimDue(ds, { ...open, batch: 10 });
    expect(first.map((r) => r.id).sort()).toEqual([1, 2]);
    expect(first.every((r) => r.tries === 1)).toBe(true);
    // Leased: pushed a minute ahead, so an immediate second claim finds nothing.
    expect(await claimDue(ds, { ...open, batch: 10 })).toEqual([]);
    const [{ leased }] = await ds.query(`SELECT count(*)::int AS leased FROM work WHERE id IN (1, 2) AND next_check_at > now() + interval '50 seconds'`);
    expect(leased).toBe(2);
  });

  it('takes the oldest first when the batch is smaller than the backlog', async () => {
    await ds.query(`INSERT INTO work (id, status, next_check_at) SELECT g, 'OPEN', now() - g * interval '1 second' FROM generate_series(1, 5) g`);
    const claimed = await claimDue(ds, { ...open, batch: 2 });
    expect(claimed.map((r) => r.id).sort()).toEqual([4, 5]);
  });

  it('never hands one row to two concurrent claimers', async () => {
    await ds.query(`INSERT INTO work (id, status, next_check_at) SELECT g, 'OPEN', now() - interval '1 minute' FROM generate_series(1, 200) g`);
    const claims = await Promise.all(Array.from({ length: 8 }, () => claimDue(ds, { ...open, batch: 40 })));
    const ids = claims.flat().map((r) => r.id as number);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(200);
    const [{ max }] = await ds.query('SELECT max(tries)::int AS max FROM work');
    expect(max).toBe(1);
  });

  it('refuses a table or column name that is not a plain identifier', async () => {
    await expect(claimDue(ds, { ...open, table: 'work; DROP TABLE work', batch: 1 })).rejects.toThrow(/not a plain SQL identifier/);
  });
});
