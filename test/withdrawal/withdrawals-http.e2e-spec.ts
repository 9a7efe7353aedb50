import request from 'supertest';
import { ADMIN_KEY, CHECKOUT_KEY, startTestGateway, TestGateway } from '../support/gateway';

/**
 * The withdrawal routes' edges (auth, validation, ids, filters) on the real gateway. Nothing here
 * reaches Netzme: every request is refused before the inquiry, which is the point.
 */
describe('Withdrawals HTTP edges - /withdrawals', () => {
  let gw: TestGateway;
  const admin = () => ({ Authorization: `Bearer ${ADMIN_KEY}` });

  beforeAll(async () => {
    gw = await startTestGateway();
  });

  afterAll(async () => {
    await gw.close();
  });

  describe('POST /withdrawals', () => {
    it('requires the Idempotency-Key header (400 with a clear message)', async () => {
      const res = await request(gw.url).post('/withdrawals').set(admin()).send({ amount: '50000.00', pin: '123456' });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'IDEMPOTENCY_KEY_REQUIRED' });
      expect(res.body.message).toMatch(/Idempotency-Key header is required/);
    });

    it('refuses an Idempotency-Key with spaces or over 255 characters', async () => {
      for (const key of ['has space', 'x'.repeat(256)]) {
        const res = await request(gw.url).post('/withdrawals').set(admin()).set('Idempotency-Key', key).send({ amount: '50000.00', pin: '123456' });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('IDEMPOTENCY_KEY_INVALID');
      }
    });

    it.each([
      ['12345', /pin must be exactly 6 digits/],
      ['1234567', /pin must be exactly 6 digits/],
      ['12a456', /pin must be exactly 6 digits/],
      [123456, /pin must be exactly 6 digits/],
    ])('refuses pin %p without echoing it', async (pin, message) => {
      const res = await request(gw.url).post('/withdrawals').set(admin()).set('Idempotency-Key', 'k-pin').send({ amount: '50000.00', pin });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.message.join(' ')).toMatch(message);
      expect(JSON.stringify(res.body)).not.toContain(String(pin));
    });

    it.each([['-50000.00'], ['50000.001'], ['1e5'], [''], ['50,000'], [' 50000'], [50000], [null], ['0x10']])('refuses amount %p', async (amount) => {
      const res = await request(gw.url).post('/withdrawals').set(admin()).set('Idempotency-Key', 'k-amount').send({ amount, pin: '123456' });
      expect(res.status).toBe(400);
      expect(res.body.message.join(' ')).toMatch(/amount must be a positive decimal string/);
    });

    it('refuses a zero amount and unknown fields', async () => {
      const zero = await request(gw.url).post('/withdrawals').set(admin()).set('Idempotency-Key', 'k-zero').send({ amount: '0.00', pin: '123456' });
      expect(zero.status).toBe(400);
      expect(zero.body).toMatchObject({ code: 'INVALID_AMOUNT', message: 'amount must be greater than 0' });
      const extra = await request(gw.url)
        .post('/withdrawals')
        .set(admin())
        .set('Idempotency-Key', 'k-extra')
        .send({ amount: '1.00', pin: '123456', beneficiaryAccountNumber: '999' });
      expect(extra.status).toBe(400);
      expect(extra.body.message).toContain('beneficiaryAccountNumber is not an accepted field');
    });

    it('refuses a body that is not JSON', async () => {
      const res = await request(gw.url)
        .post('/withdrawals')
        .set(admin())
        .set('Idempotency-Key', 'k-json')
        .set('Content-Type', 'application/json')
        .send('{"amount":');
      expect(res.status).toBe(400);
    });

    it('is admin-only: 401 without a key, 403 with a checkout key', async () => {
      expect((await request(gw.url).post('/withdrawals').send({ amount: '1.00', pin: '123456' })).status).toBe(401);
      const res = await request(gw.url)
        .post('/withdrawals')
        .set('Authorization', `Bearer ${CHECKOUT_KEY}`)
        .set('Idempotency-Key', 'k')
        .send({ amount: '1.00', pin: '123456' });
      expect(res.status).toBe(403);
      expect((await request(gw.url).get('/withdrawals').set('Authorization', `Bearer ${CHECKOUT_KEY}`)).status).toBe(403);
    });
  });

  describe('POST /withdrawals/pin', () => {
    it('validates the PIN before anything is sent', async () => {
      const res = await request(gw.url).post('/withdrawals/pin').set(admin()).send({ pin: '12' });
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual(['pin must be exactly 6 digits, as a string']);
    });
  });

  describe('GET /withdrawals and /withdrawals/:id', () => {
    it('answers an empty page', async () => {
      const res = await request(gw.url).get('/withdrawals').set(admin());
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ items: [], nextCursor: null, total: 0, page: 1, pageSize: 20 });
    });

    it('answers an empty keyset page, for merchant and deposit withdrawals alike', async () => {
      for (const path of ['/withdrawals?limit=10', '/deposit/withdrawals?limit=10']) {
        const res = await request(gw.url).get(path).set(admin());
        expect({ path, status: res.status, body: res.body }).toEqual({ path, status: 200, body: { items: [], nextCursor: null } });
      }
    });

    it('refuses a cursor that is not ours, or mixed with the deprecated page/pageSize (400 INVALID_CURSOR)', async () => {
      const notOurs = Buffer.from('not-a-withdrawal-id').toString('base64url');
      const ours = Buffer.from('3b0d2a52-5a4e-4d0f-9f3e-0c7f6f0b1e21').toString('base64url');
      for (const query of [`cursor=${notOurs}`, `cursor=${ours}&page=2`, 'limit=5&pageSize=5']) {
        const res = await request(gw.url).get(`/deposit/withdrawals?${query}`).set(admin());
        expect({ query, status: res.status, code: res.body.code }).toEqual({ query, status: 400, code: 'INVALID_CURSOR' });
      }
      for (const query of ['limit=0', 'limit=201', 'cursor=a%20b']) {
        const res = await request(gw.url).get(`/withdrawals?${query}`).set(admin());
        expect({ query, status: res.status, code: res.body.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
      }
    });

    it('refuses bad filters with 400', async () => {
      for (const query of [
        'status=DONE',
        'from=yesterday',
        'page=0',
        'pageSize=101',
        'page=abc',
        'color=red',
        'from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z',
      ]) {
        const res = await request(gw.url).get(`/withdrawals?${query}`).set(admin());
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
      }
    });

    it('answers 400 for an id that is not a UUID and 404 for an unknown one', async () => {
      const bad = await request(gw.url).get('/withdrawals/123').set(admin());
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('INVALID_ID');
      const missing = await request(gw.url).get('/withdrawals/3b0d2a52-5a4e-4d0f-9f3e-0c7f6f0b1e21').set(admin());
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('WITHDRAWAL_NOT_FOUND');
    });

    it('serves the review queue (empty)', async () => {
      const res = await request(gw.url).get('/withdrawals/review').set(admin());
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
    });
  });

  describe('POST /withdrawals/:id/resolve', () => {
    it('validates status, reason and who', async () => {
      const res = await request(gw.url)
        .post('/withdrawals/3b0d2a52-5a4e-4d0f-9f3e-0c7f6f0b1e21/resolve')
        .set(admin())
        .send({ status: 'PROCESSING', reason: 'short' });
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual(
        expect.arrayContaining(['status must be SUCCEEDED or FAILED', 'reason must be 10-1000 characters saying what was checked']),
      );
      const missing = await request(gw.url)
        .post('/withdrawals/3b0d2a52-5a4e-4d0f-9f3e-0c7f6f0b1e21/resolve')
        .set(admin())
        .send({ status: 'FAILED', reason: 'Netzme support confirmed', resolvedBy: 'ops' });
      expect(missing.status).toBe(404);
    });
  });

  describe('Swagger', () => {
    it('documents every withdrawal route with a description and error responses', async () => {
      const doc = (await request(gw.url).get('/docs-json')).body;
      const create = doc.paths['/withdrawals'].post;
      expect(create.description).toMatch(/Idempotency-Key/);
      expect(create.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true })]));
      expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['200', '201', '202', '400', '409', '422', '502']));
      for (const path of [
        '/withdrawals/inquiry',
        '/withdrawals/pin',
        '/withdrawals/pin/forgot',
        '/withdrawals/{id}',
        '/withdrawals/review',
        '/withdrawals/{id}/resolve',
        '/withdrawals/{id}/resubmit',
      ]) {
        const ops = Object.values(doc.paths[path] ?? {}) as Array<{ description?: string }>;
        expect({ path, described: ops.length > 0 && ops.every((op) => !!op.description) }).toEqual({ path, described: true });
      }
    });
  });
});
