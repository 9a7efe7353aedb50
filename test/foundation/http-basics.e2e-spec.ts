import request from 'supertest';
import { ADMIN_KEY, startTestGateway, TestGateway } from '../support/gateway';

describe('Gateway HTTP basics', () => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startTestGateway();
  });

  afterAll(async () => {
    await gw.close();
  });

  describe('GET /health', () => {
    it('answers 200 without an API key when the database answers', async () => {
      const res = await request(gw.url).get('/health');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok', database: 'up' });
    });
  });

  describe('request ids', () => {
    it('mints an X-Request-Id on every response and echoes a caller-supplied one', async () => {
      const minted = await request(gw.url).get('/health');
      expect(minted.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const echoed = await request(gw.url).get('/health').set('X-Request-Id', 'checkout-42');
      expect(echoed.headers['x-request-id']).toBe('checkout-42');
    });

    it('puts the request id in error bodies and headers', async () => {
      const res = await request(gw.url).get('/no-such-route').set('X-Request-Id', 'trace-me');
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND', requestId: 'trace-me' });
      expect(res.headers['x-request-id']).toBe('trace-me');
      // Refused by the body parser, before any route code runs: still traceable.
      const broken = await request(gw.url).post('/orders').set('X-Request-Id', 'trace-broken').set('Content-Type', 'application/json').send('{"amount":');
      expect(broken.status).toBe(400);
      expect(broken.body.requestId).toBe('trace-broken');
      expect(broken.headers['x-request-id']).toBe('trace-broken');
    });

    it('replaces an unsafe caller-supplied id with a minted one', async () => {
      const res = await request(gw.url).get('/health').set('X-Request-Id', 'has spaces <script>');
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('Swagger', () => {
    it('serves the OpenAPI document and the UI outside production', async () => {
      const doc = await request(gw.url).get('/docs-json');
      expect(doc.status).toBe(200);
      expect(doc.body.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.body.paths)).toContain('/health');
      const ui = await request(gw.url).get('/docs/');
      expect(ui.status).toBe(200);
      expect(ui.text).toContain('swagger');
    });
  });

  describe('request bodies', () => {
    const auth = { Authorization: `Bearer ${ADMIN_KEY}` };

    it('accepts JSON only: another content type is 415 with a message saying what to send', async () => {
      for (const [type, body] of [
        ['text/plain', 'amount=1'],
        ['application/x-www-form-urlencoded', 'amount=1'],
        ['multipart/form-data; boundary=x', '--x--'],
      ]) {
        const res = await request(gw.url).post('/orders').set(auth).set('Content-Type', type).send(body);
        expect(res.status).toBe(415);
        expect(res.body).toMatchObject({
          statusCode: 415,
          code: 'UNSUPPORTED_MEDIA_TYPE',
          message: 'Send the request body as JSON with "Content-Type: application/json"',
        });
      }
    });

    it('refuses a body over 256 KiB with 413', async () => {
      const res = await request(gw.url)
        .post('/orders')
        .set(auth)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ pad: 'x'.repeat(300_000) }));
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' });
    });

    it("treats an empty JSON body as no body: the route's own validation answers", async () => {
      const res = await request(gw.url).post('/orders').set(auth).set('Content-Type', 'application/json').send('');
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });
  });

  it('never answers with a stack trace', async () => {
    const res = await request(gw.url).post('/health').set('Authorization', `Bearer ${ADMIN_KEY}`).set('Content-Type', 'application/json').send('{"broken":');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, message: 'The request body is not valid JSON' });
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(js|ts):\d+/);
  });
});
