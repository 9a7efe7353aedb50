import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { ADMIN_KEY, CHECKOUT_KEY, startTestGateway, TestGateway } from '../support/gateway';

type Json = Record<string, any>;
const METHODS = ['post', 'put', 'patch', 'delete'] as const;

/** The audit trail (issue 20): every admin change, with the key's name, request id, target, before/after. */
describe('Audit trail', () => {
  let gw: TestGateway;
  let alice: { id: string; secret: string };
  const admin = { Authorization: `Bearer ${ADMIN_KEY}` };

  beforeAll(async () => {
    gw = await startTestGateway({ env: { JOBS_ENABLED: 'false' } });
    const res = await request(gw.url).post('/keys').set(admin).send({ name: 'ops-alice', scope: 'admin' });
    expect(res.status).toBe(201);
    alice = res.body as { id: string; secret: string };
  });

  afterAll(async () => {
    await gw?.close();
  });

  async function entriesFor(requestId: string): Promise<Json[]> {
    const res = await request(gw.url).get('/audit').set(admin).query({ limit: 200 });
    expect(res.status).toBe(200);
    return (res.body.items as Json[]).filter((e) => e.requestId === requestId);
  }

  it('records key changes with the key name, target and before/after, and never a secret', async () => {
    const auth = { Authorization: `Bearer ${alice.secret}` };
    const created = await request(gw.url).post('/keys').set(auth).set('X-Request-Id', 'audit-create-1').send({ name: 'shop', scope: 'checkout' });
    expect(created.status).toBe(201);
    const rotated = await request(gw.url).post(`/keys/${created.body.id}/rotate`).set(auth).set('X-Request-Id', 'audit-rotate-1');
    expect(rotated.status).toBe(200);
    const revoked = await request(gw.url).delete(`/keys/${created.body.id}`).set(admin).set('X-Request-Id', 'audit-revoke-1');
    expect(revoked.status).toBe(200);

    const [create] = await entriesFor('audit-create-1');
    expect(create).toMatchObject({
      keyName: 'ops-alice',
      keyId: alice.id,
      role: 'admin',
      action: 'POST /keys',
      status: 201,
      request: { name: 'shop', scope: 'checkout' },
      before: null,
    });
    expect(create.after).toMatchObject({ id: created.body.id, name: 'shop', secret: '[REDACTED]' });
    expect(Date.parse(create.at)).not.toBeNaN();
    const [rotate] = await entriesFor('audit-rotate-1');
    expect(rotate).toMatchObject({ keyName: 'ops-alice', action: 'POST /keys/:id/rotate', target: created.body.id, status: 200 });
    expect(rotate.before).toMatchObject({ id: created.body.id, rotatedAt: null, status: 'active' });
    expect(rotate.after.rotatedAt).toEqual(expect.any(String));
    const [revoke] = await entriesFor('audit-revoke-1');
    expect(revoke).toMatchObject({
      keyName: 'ADMIN_API_KEYS#1',
      keyId: null,
      action: 'DELETE /keys/:id',
      target: created.body.id,
      before: { status: 'active' },
      after: { status: 'revoked' },
    });

    // No secret anywhere in the table.
    const sql = new Client({ connectionString: gw.db.url });
    await sql.connect();
    try {
      const dump = (await sql.query('SELECT row_to_json(a)::text AS row FROM audit_log a')).rows.map((r) => r.row as string).join('\n');
      for (const secret of [alice.secret, created.body.secret, rotated.body.secret, ADMIN_KEY]) expect(dump).not.toContain(secret);
    } finally {
      await sql.end();
    }
  });

  it('redacts PINs from the recorded request', async () => {
    const res = await request(gw.url).post('/withdrawals/pin').set(admin).set('X-Request-Id', 'audit-pin-1').send({ pin: '123456' });
    const [entry] = await entriesFor('audit-pin-1');
    expect(entry).toMatchObject({ action: 'POST /withdrawals/pin', status: res.status, request: { pin: '[REDACTED]' } });
    expect(JSON.stringify(entry)).not.toContain('123456');
  });

  it('covers every changing admin route of the OpenAPI document, and nothing a checkout key or a read does', async () => {
    const doc = (await request(gw.url).get('/docs-json')).body as Json;
    const missing: string[] = [];
    let n = 0;
    for (const [path, item] of Object.entries(doc.paths as Json)) {
      if (path.startsWith('/callbacks/netzme/')) continue; // Netzme's, not an admin's
      for (const method of METHODS) {
        if (!(item as Json)[method]) continue;
        const url = path.replace(/\{id\}/g, randomUUID()).replace(/\{name\}/g, 'order-status-poll');
        const id = `audit-walk-${++n}`;
        const res = await request(gw.url)[method](url).set(admin).set('X-Request-Id', id).set('Idempotency-Key', randomUUID()).send({});
        const entries = await entriesFor(id);
        const action = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
        if (entries.length !== 1 || entries[0].action !== action || entries[0].status !== res.status || entries[0].keyName !== 'ADMIN_API_KEYS#1') {
          missing.push(`${action} (${res.status}): ${JSON.stringify(entries)}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(n).toBeGreaterThan(15);
    // A checkout key creating an order and an admin reading are not admin changes.
    await request(gw.url).post('/orders').set('Authorization', `Bearer ${CHECKOUT_KEY}`).set('X-Request-Id', 'audit-checkout-1').send({});
    await request(gw.url).get('/orders').set(admin).set('X-Request-Id', 'audit-read-1');
    expect(await entriesFor('audit-checkout-1')).toEqual([]);
    expect(await entriesFor('audit-read-1')).toEqual([]);
  });

  it('filters by key name, action and target, and refuses bad filters with 400', async () => {
    const byAlice = await request(gw.url).get('/audit').set(admin).query({ keyName: 'ops-alice' });
    expect(byAlice.status).toBe(200);
    expect(byAlice.body.items.length).toBeGreaterThanOrEqual(2);
    for (const e of byAlice.body.items as Json[]) expect(e.keyName).toBe('ops-alice');
    const rotations = await request(gw.url).get('/audit').set(admin).query({ action: 'POST /keys/:id/rotate', limit: 1 });
    expect(rotations.body.items).toHaveLength(1);
    expect(rotations.body.items[0].action).toBe('POST /keys/:id/rotate');
    const target = rotations.body.items[0].target as string;
    const byTarget = await request(gw.url).get('/audit').set(admin).query({ target });
    for (const e of byTarget.body.items as Json[]) expect(e.target).toBe(target);
    for (const query of [
      { limit: '0' },
      { from: 'yesterday' },
      { cursor: 'abc' },
      { action: 'GET /x' },
      { target: 'a b' },
      { keyName: 'a\u0000b' },
      { target: '%00' },
      { cursor: '99999999999999999999' },
    ]) {
      const res = await request(gw.url).get('/audit').set(admin).query(query);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
    }
  });
});
