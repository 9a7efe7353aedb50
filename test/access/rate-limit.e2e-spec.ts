import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ADMIN_KEY, CHECKOUT_KEY, OFFLINE_NETZME, startTestGateway, TestGateway } from '../support/gateway';

/** Rate limits per key (issue 20): 429 with Retry-After, Netzme's callbacks never throttled. */
describe('Rate limits', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    // 1 a second with bursts of 5: 40 requests at once are far over it on any machine.
    gw = await startTestGateway({ env: { RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '5' } });
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('answers 429 with Retry-After to a key over its limit, before idempotency handling, while Netzme callbacks are answered', async () => {
    const auth = { Authorization: `Bearer ${CHECKOUT_KEY}` };
    const idempotencyKey = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 40 }, () =>
        request(gw.url).post('/orders').set(auth).set('Idempotency-Key', idempotencyKey).send({ merchantOrderId: 'rl-1', amount: 'not-money' }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(30);
    // The ones let through were judged by the route (400: bad amount), the others never reached it.
    expect(statuses.filter((s) => s !== 429).every((s) => s === 400)).toBe(true);
    for (const res of limited) {
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(res.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    }

    // Still over the limit: Netzme's callbacks (token-authenticated, no API key) are answered normally.
    const callbacks = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request(gw.url)
          .post('/callbacks/netzme/account-upgrade')
          .set('x-callback-token', OFFLINE_NETZME.NETZME_CALLBACK_TOKEN!)
          .set('Content-Type', 'application/json')
          .send(`{"originalReferenceNo":"rl-up-${i}","custId":"Mw6STUQK","additionalInfo":{"type":"cdd","status":"approved"}}`),
      ),
    );
    expect(callbacks.map((c) => c.status)).toEqual(Array(20).fill(200));
    expect((await request(gw.url).get('/health')).status).toBe(200);
    // The limit is per key: the admin key has its own bucket.
    expect((await request(gw.url).get('/orders').set('Authorization', `Bearer ${ADMIN_KEY}`)).status).toBe(200);
  });
});
