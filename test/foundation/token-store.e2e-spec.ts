import { NetzmeClient } from '@app/netzme-client';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../apps/gateway/src/database/database.options';
import { runMigrationsLocked } from '../../apps/gateway/src/database/migrator';
import { PostgresTokenStore } from '../../apps/gateway/src/netzme/postgres-token-store';
import { createTestDatabase, TestDatabase } from '../support/database';
import { startTestSandbox } from '../support/sandbox';

describe('PostgresTokenStore (the Netzme token shared by replicas)', () => {
  let db: TestDatabase;
  let replicaA: DataSource;
  let replicaB: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('tok');
    replicaA = await new DataSource(buildDataSourceOptions(db.url, 4)).initialize();
    replicaB = await new DataSource(buildDataSourceOptions(db.url, 4)).initialize();
    await runMigrationsLocked(replicaA);
  });

  afterAll(async () => {
    await replicaA.destroy();
    await replicaB.destroy();
    await db.drop();
  });

  it('serialises refreshes across replicas with the advisory lock', async () => {
    const stores = [new PostgresTokenStore(replicaA), new PostgresTokenStore(replicaB)];
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        stores[i % 2].withRefreshLock('client-lock', async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await new Promise((r) => setTimeout(r, 30));
          inside--;
        }),
      ),
    );
    expect(maxInside).toBe(1);
  });

  it('caches reads briefly, and reads the database again inside the refresh lock', async () => {
    let now = 1_000_000;
    const a = new PostgresTokenStore(replicaA, 5000, () => now);
    const b = new PostgresTokenStore(replicaB, 5000, () => now);
    await a.set('client-cache', { accessToken: 'token-1', expiresAt: now + 60_000 });
    expect((await b.get('client-cache'))?.accessToken).toBe('token-1');
    await a.set('client-cache', { accessToken: 'token-2', expiresAt: now + 60_000 });
    // Within the cache window replica B still answers from memory...
    expect((await b.get('client-cache'))?.accessToken).toBe('token-1');
    // ...but a refresh under the lock sees what replica A stored.
    expect(await b.withRefreshLock('client-cache', async () => (await b.get('client-cache'))?.accessToken)).toBe('token-2');
    now += 5001;
    await a.invalidate('client-cache', 'token-2');
    expect(await b.get('client-cache')).toBeNull();
  });

  it('only removes the token it was told is stale', async () => {
    const a = new PostgresTokenStore(replicaA);
    await a.set('client-inv', { accessToken: 'new', expiresAt: Date.now() + 60_000 });
    await a.invalidate('client-inv', 'old');
    expect((await new PostgresTokenStore(replicaB).get('client-inv'))?.accessToken).toBe('new');
  });

  it('two replicas with 200 concurrent calls each ask Netzme for exactly one token', async () => {
    const sandbox = await startTestSandbox();
    try {
      const c = sandbox.credentials;
      const clients = [replicaA, replicaB].map(
        (ds) =>
          new NetzmeClient({
            baseUrl: sandbox.url,
            clientId: c.clientId,
            clientSecret: c.clientSecret,
            privateKey: c.privateKey,
            merchantId: c.merchantId,
            tokenStore: new PostgresTokenStore(ds),
            logger: false,
          }),
      );
      await Promise.all(clients.flatMap((client) => Array.from({ length: 200 }, () => client.getBalanceDetail())));
      const fetches = clients.reduce((sum, client) => sum + client.diagnostics().tokenFetches.toko, 0);
      expect(fetches).toBe(1);
    } finally {
      await sandbox.close();
    }
  });
});
