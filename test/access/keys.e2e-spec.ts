import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { ADMIN_KEY, CHECKOUT_KEY, OFFLINE_NETZME, startTestGateway, TestGateway } from '../support/gateway';
import { freePort, GatewayProcess } from '../withdrawal/gateway-process';

/**
 * Managed API keys (issue 20): scopes, the secret shown once and stored hashed, revocation and
 * expiry effective at once on a second gateway process sharing the database.
 */
describe('API keys', () => {
  let gw: TestGateway;
  let second: GatewayProcess;
  let sql: Client;
  const admin = { Authorization: `Bearer ${ADMIN_KEY}` };

  beforeAll(async () => {
    gw = await startTestGateway();
    sql = new Client({ connectionString: gw.db.url });
    await sql.connect();
    // The second replica: its own OS process (today's dist/), on the same database.
    second = new GatewayProcess(await freePort(), {
      ...OFFLINE_NETZME,
      DATABASE_URL: gw.db.url,
      ADMIN_API_KEYS: ADMIN_KEY,
      CHECKOUT_API_KEYS: CHECKOUT_KEY,
      LOG_LEVEL: 'warn',
    });
    await second.start();
  });

  afterAll(async () => {
    await second?.stop();
    await sql?.end();
    await gw?.close();
  });

  async function createKey(body: Record<string, unknown>): Promise<{ id: string; secret: string; prefix: string; [k: string]: unknown }> {
    const res = await request(gw.url).post('/keys').set(admin).send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string; secret: string; prefix: string };
  }

  /** What a key gets on a read that checkout keys may use: 404 means "let in, no such order". */
  async function readOrder(url: string, secret: string): Promise<number> {
    return (await request(url).get(`/orders/${randomUUID()}`).set('Authorization', `Bearer ${secret}`)).status;
  }

  it('answers 401 without a key and 403 for a checkout key on an admin route', async () => {
    const none = await request(gw.url).get('/keys');
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('API_KEY_MISSING');
    const checkout = await request(gw.url).get('/keys').set('Authorization', `Bearer ${CHECKOUT_KEY}`);
    expect(checkout.status).toBe(403);
  });

  it('creates a key whose secret is shown once, with a recognisable prefix, and stored only as a hash', async () => {
    const key = await createKey({ name: 'shop', scope: 'checkout' });
    expect(key).toMatchObject({ name: 'shop', scope: 'checkout', status: 'active', createdBy: 'ADMIN_API_KEYS#1', expiresAt: null });
    expect(key.secret).toMatch(/^ngw_checkout_[A-Za-z0-9_-]{43}$/);
    expect(key.secret.startsWith(key.prefix)).toBe(true);
    // Listed without the secret.
    const list = await request(gw.url).get('/keys').set(admin);
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.body)).not.toContain(key.secret);
    expect(list.body.find((k: { id: string }) => k.id === key.id)).toMatchObject({ name: 'shop', scope: 'checkout', status: 'active' });
    // The database holds the SHA-256 of the secret and nothing from which it could be read back.
    const dump = await sql.query("SELECT row_to_json(k)::text AS row, encode(secret_hash, 'hex') AS hash FROM api_keys k WHERE id = $1", [key.id]);
    expect(dump.rows[0].hash).toBe(createHash('sha256').update(key.secret).digest('hex'));
    expect(dump.rows[0].row).not.toContain(key.secret.slice(key.prefix.length));
    // It works as a checkout key, here and on the second replica.
    expect(await readOrder(gw.url, key.secret)).toBe(404);
    expect(await readOrder(second.url, key.secret)).toBe(404);
    expect((await request(gw.url).get('/keys').set('Authorization', `Bearer ${key.secret}`)).status).toBe(403);
  });

  it('a viewer key reads everything an admin may read and changes nothing', async () => {
    const viewer = await createKey({ name: 'support', scope: 'viewer' });
    const auth = { Authorization: `Bearer ${viewer.secret}` };
    for (const path of ['/keys', '/orders', '/callbacks', '/withdrawals', '/jobs', '/reconciliation/reports']) {
      const res = await request(gw.url).get(path).set(auth);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
    for (const [method, path] of [
      ['post', '/keys'],
      ['delete', `/keys/${viewer.id}`],
      ['post', `/keys/${viewer.id}/rotate`],
      ['post', '/orders'],
      ['post', '/jobs/order-status-poll/run'],
      ['post', '/reconciliation/reports'],
    ] as const) {
      const res = await request(gw.url)[method](path).set(auth).send({});
      expect({ method, path, status: res.status, code: res.body.code }).toEqual({ method, path, status: 403, code: 'API_KEY_READ_ONLY' });
    }
  });

  it('a revoked key is refused at once by the second gateway process', async () => {
    const key = await createKey({ name: 'to-revoke', scope: 'admin' });
    expect((await request(second.url).get('/keys').set('Authorization', `Bearer ${key.secret}`)).status).toBe(200);
    const revoked = await request(gw.url).delete(`/keys/${key.id}`).set(admin);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: key.id, status: 'revoked' });
    // The very next request, on the other process: no cache to wait for.
    const refused = await request(second.url).get('/keys').set('Authorization', `Bearer ${key.secret}`);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('API_KEY_INVALID');
    expect((await request(gw.url).get('/keys').set('Authorization', `Bearer ${key.secret}`)).status).toBe(401);
  });

  it('an expired key is refused at once by the second gateway process', async () => {
    const key = await createKey({ name: 'short-lived', scope: 'checkout', expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(await readOrder(second.url, key.secret)).toBe(404);
    // Its expiry comes (moved into the past in the database rather than waiting for the clock).
    await sql.query("UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1", [key.id]);
    expect(await readOrder(second.url, key.secret)).toBe(401);
    expect(await readOrder(gw.url, key.secret)).toBe(401);
    const listed = await request(gw.url).get('/keys').set(admin);
    expect(listed.body.find((k: { id: string }) => k.id === key.id).status).toBe('expired');
  });

  it('rotation replaces the secret: the old one is refused at once, the new one works', async () => {
    const key = await createKey({ name: 'rotating', scope: 'checkout' });
    const rotated = await request(gw.url).post(`/keys/${key.id}/rotate`).set(admin);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ id: key.id, name: 'rotating', scope: 'checkout' });
    expect(rotated.body.secret).not.toBe(key.secret);
    expect(await readOrder(second.url, key.secret)).toBe(401);
    expect(await readOrder(second.url, rotated.body.secret)).toBe(404);
  });

  it('records when a key was last used', async () => {
    const key = await createKey({ name: 'used', scope: 'checkout' });
    expect((await sql.query('SELECT last_used_at FROM api_keys WHERE id = $1', [key.id])).rows[0].last_used_at).toBeNull();
    await readOrder(gw.url, key.secret);
    // Written in the background (the request does not wait for it): poll for it.
    let lastUsed: Date | null = null;
    for (let i = 0; i < 100 && !lastUsed; i++) {
      lastUsed = (await sql.query('SELECT last_used_at FROM api_keys WHERE id = $1', [key.id])).rows[0].last_used_at as Date | null;
      if (!lastUsed) await new Promise((r) => setTimeout(r, 100));
    }
    expect(lastUsed).toBeInstanceOf(Date);
  });

  it('refuses bad input with 400 and a clear message', async () => {
    for (const body of [
      { name: 'x', scope: 'root' },
      { name: '', scope: 'admin' },
      { name: 'x', scope: 'admin', expiresAt: 'tomorrow' },
      { name: 'x', scope: 'admin', expiresAt: '2001-01-01T00:00:00Z' },
    ]) {
      const res = await request(gw.url).post('/keys').set(admin).send(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    expect((await request(gw.url).delete('/keys/not-a-uuid').set(admin)).status).toBe(400);
    expect((await request(gw.url).delete(`/keys/${randomUUID()}`).set(admin)).status).toBe(404);
  });

  it('lists keys in keyset pages ({ items, nextCursor }) that add up to the deprecated plain array', async () => {
    for (const name of ['page-a', 'page-b', 'page-c']) await createKey({ name, scope: 'viewer' });
    const all = await request(gw.url).get('/keys').set(admin);
    expect(all.status).toBe(200);
    expect(Array.isArray(all.body)).toBe(true);
    const everyId = (all.body as Array<{ id: string }>).map((k) => k.id);
    expect(everyId.length).toBeGreaterThanOrEqual(3);

    const walked: string[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const res = await request(gw.url)
        .get('/keys')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set(admin);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      expect(JSON.stringify(res.body)).not.toContain('"secret"');
      walked.push(...(res.body.items as Array<{ id: string }>).map((k) => k.id));
      cursor = res.body.nextCursor as string | null;
      pages++;
    } while (cursor && pages < 100);
    // Newest first, every key once, the same order as the unpaged answer.
    expect(walked).toEqual(everyId);
    expect(pages).toBe(Math.ceil(everyId.length / 2));

    const bad = await request(gw.url).get('/keys').query({ cursor: 'bm90LWEta2V5' }).set(admin);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_CURSOR', message: 'cursor must be the nextCursor value of a previous page' });
    const zero = await request(gw.url).get('/keys').query({ limit: 0 }).set(admin);
    expect(zero.status).toBe(400);
    expect(zero.body).toMatchObject({ code: 'VALIDATION_FAILED', message: ['limit must be a whole number from 1 to 200'] });
  });

  it('has a CLI: npm run keys -- create / list / rotate / revoke', async () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [join(__dirname, '..', '..', 'dist', 'scripts', 'keys.js'), ...args], {
        env: { PATH: process.env.PATH, DATABASE_URL: gw.db.url },
        encoding: 'utf8',
        timeout: 30_000,
      });
    const created = cli('create', '--name', 'shop', '--scope', 'checkout');
    expect(created.status).toBe(0);
    const key = JSON.parse(created.stdout) as { id: string; secret: string; createdBy: string };
    expect(key.secret).toMatch(/^ngw_checkout_/);
    expect(key.createdBy).toBe('cli');
    expect(created.stderr).toContain('shown this once');
    expect(await readOrder(second.url, key.secret)).toBe(404);
    const listed = cli('list');
    expect(listed.status).toBe(0);
    expect(listed.stdout).toContain(key.id);
    expect(listed.stdout).not.toContain(key.secret);
    const rotated = cli('rotate', key.id);
    expect(rotated.status).toBe(0);
    const fresh = (JSON.parse(rotated.stdout) as { secret: string }).secret;
    expect(await readOrder(second.url, key.secret)).toBe(401);
    expect(await readOrder(second.url, fresh)).toBe(404);
    expect(cli('revoke', key.id).status).toBe(0);
    expect(await readOrder(second.url, fresh)).toBe(401);
    const bad = cli('create', '--name', 'x', '--scope', 'root');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--scope: checkout, admin or viewer');
  });
});
