import { createHash, createHmac } from 'node:crypto';
import { minifyJson, signSymmetric } from '@app/snap';
import { startHarness, type Harness } from './support/harness';

/**
 * Transactional authentication, in Netzme's order with Netzme's codes (docs/netzme-protocol.md §1.4, §1.7).
 * Endpoint used: Withdraw Inquiry, service code 42.
 */
describe('Netzme sandbox - transactional header checks', () => {
  const PATH = '/api/v1.0/emoney/bank-account-inquiry';
  let h: Harness;
  let body: Record<string, string>;

  beforeAll(async () => {
    h = await startHarness();
    body = { custIdMerchant: h.merchantId, partnerReferenceNo: 'WDI-0001' };
  });
  afterAll(() => h.close());

  it('answers 2004200 to a correctly signed call', async () => {
    const answer = await h.netzme.call(PATH, body);
    expect(answer.status).toBe(200);
    expect(answer.body.responseCode).toBe('2004200');
  });

  const missing = (header: string) => [`${header} is missing`, { [header]: undefined }, 400, '4004202', `Missing Mandatory Field ${header}`] as const;
  const cases = [
    missing('X-TIMESTAMP'),
    missing('X-SIGNATURE'),
    [
      'Content-Type is not exactly application/json',
      { 'Content-Type': 'application/json; charset=utf-8' },
      400,
      '4004202',
      'Missing Mandatory Field Content-Type',
    ],
    missing('Authorization'),
    ['Authorization has no space', { Authorization: 'Bearer' }, 400, '4004202', 'bearer authorization format invalid'],
    ['Authorization is not Bearer', { Authorization: 'Basic abc' }, 400, '4004202', 'bearer authorization is required'],
    missing('X-PARTNER-ID'),
    ['X-PARTNER-ID is unknown', { 'X-PARTNER-ID': 'SomeoneElse' }, 401, '4014201', 'Unauthorized. X-PARTNER-ID is Invalid'],
    missing('X-EXTERNAL-ID'),
    ['X-EXTERNAL-ID is longer than 36', { 'X-EXTERNAL-ID': '1'.repeat(37) }, 400, '4004202', 'X-EXTERNAL-ID is out of range, maximum 36 char'],
    ['X-EXTERNAL-ID is not numeric', { 'X-EXTERNAL-ID': 'ab12' }, 409, '4094200', 'character X-EXTERNAL-ID is numeric only'],
    missing('CHANNEL-ID'),
    ['the token is not the live one', { Authorization: 'Bearer eyJhbGciOiJIUzUxMiJ9.e30.forged' }, 401, '4014201', 'Access Token Invalid'],
  ] as const;

  it.each(cases)('refuses when %s', async (_name, headers, status, code, message) => {
    const answer = await h.netzme.call(PATH, body, { headers: headers as Record<string, string | undefined> });
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ responseCode: code, responseMessage: message });
  });

  it('accepts `bearer` in lower case and a 36-digit X-EXTERNAL-ID', async () => {
    const token = await h.netzme.token();
    const answer = await h.netzme.call(PATH, body, { headers: { Authorization: `bearer ${token}` }, externalId: '9'.repeat(36) });
    expect(answer.body.responseCode).toBe('2004200');
  });

  it.each([
    ['not RFC 3339', '2024/01/01 10:00:00'],
    ['longer than 25 characters', '2024-01-01T10:00:00.123+07:00'],
  ])('refuses an X-TIMESTAMP that is %s with 4004201', async (_name, timestamp) => {
    const answer = await h.netzme.call(PATH, body, { timestamp });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ responseCode: '4004201', responseMessage: 'invalid Field Format Timestamp' });
  });

  it('accepts a UTC timestamp (+00:00) as Netzme does', async () => {
    const answer = await h.netzme.call(PATH, body, { timestamp: new Date().toISOString().slice(0, 19) + '+00:00' });
    expect(answer.body.responseCode).toBe('2004200');
  });

  it('refuses an empty POST body with 4004201 body is required', async () => {
    const answer = await h.netzme.call(PATH, '');
    expect(answer.body).toEqual({ responseCode: '4004201', responseMessage: 'body is required' });
  });

  it('refuses a wrong HMAC with 401 4014200 Unauthorized Signature', async () => {
    const wrongSecret = await h.netzme.call(PATH, body, { secret: 'ffffffffffffffffffffffffffffffff' });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body).toEqual({ responseCode: '4014200', responseMessage: 'Unauthorized Signature' });
    const otherBody = await h.netzme.call(PATH, body, { signBody: JSON.stringify({ ...body, partnerReferenceNo: 'X' }) });
    expect(otherBody.body.responseCode).toBe('4014200');
  });

  it('checks in Netzme order: the first failing check wins', async () => {
    // Missing timestamp beats a wrong content type, a bad partner and a bad token.
    let answer = await h.netzme.call(PATH, body, {
      headers: { 'X-TIMESTAMP': undefined, 'Content-Type': 'text/plain', 'X-PARTNER-ID': 'Nobody', Authorization: 'Bearer x' },
    });
    expect(answer.body.responseMessage).toBe('Missing Mandatory Field X-TIMESTAMP');
    // An unknown partner is reported before a non-numeric external id and a bad token.
    answer = await h.netzme.call(PATH, body, { headers: { 'X-PARTNER-ID': 'Nobody', 'X-EXTERNAL-ID': 'abc', Authorization: 'Bearer x' } });
    expect(answer.body.responseCode).toBe('4014201');
    expect(answer.body.responseMessage).toBe('Unauthorized. X-PARTNER-ID is Invalid');
    // A bad token is reported before a malformed timestamp and a wrong signature.
    answer = await h.netzme.call(PATH, body, { headers: { Authorization: 'Bearer x', 'X-SIGNATURE': '00' }, timestamp: 'yesterday' });
    expect(answer.body.responseMessage).toBe('Access Token Invalid');
    // A malformed timestamp is reported before an empty body.
    answer = await h.netzme.call(PATH, '', { timestamp: 'yesterday' });
    expect(answer.body.responseCode).toBe('4004201');
    expect(answer.body.responseMessage).toBe('invalid Field Format Timestamp');
  });

  describe('HMAC over the Go-minified body (docs/netzme-protocol.md §1.7)', () => {
    const CREATE = '/api/v1.0/invoice/create-transaction';
    const withNumber = () =>
      `{"custIdMerchant":"${h.merchantId}","partnerReferenceNo":"NUM-${Date.now()}","amount":{"value":10000,"currency":"IDR"},"payMethod":"QRIS"}`;

    it('fails a client that hashes its own bytes of a body with the number 10000 (Netzme hashes 1e4)', async () => {
      const text = withNumber();
      const token = await h.netzme.token();
      const headers = h.netzme.signedHeaders('POST', CREATE, text, token);
      // What a JavaScript client that skips Go-style minification computes: SHA-256 of the bytes sent.
      const bytesHash = createHash('sha256').update(text).digest('hex');
      const stringToSign = `POST:${CREATE}:${token}:${bytesHash}:${headers['X-TIMESTAMP']}`;
      headers['X-SIGNATURE'] = createHmac('sha512', h.sandbox.credentials.clientSecret).update(stringToSign).digest('hex');
      const answer = await h.netzme.raw('POST', CREATE, text, headers);
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ responseCode: '4014700', responseMessage: 'Unauthorized Signature' });
    });

    it('verifies the same body signed over the minified form, then refuses the number in a string field', async () => {
      const text = withNumber();
      expect(minifyJson(text)).toContain('"value":1e4');
      const token = await h.netzme.token();
      const headers = h.netzme.signedHeaders('POST', CREATE, text, token);
      // Independent check of what the signature covers: the minified body, not the bytes.
      expect(headers['X-SIGNATURE']).toBe(
        signSymmetric(h.sandbox.credentials.clientSecret, {
          method: 'POST',
          path: CREATE,
          accessToken: token,
          body: minifyJson(text),
          timestamp: headers['X-TIMESTAMP']!,
        }),
      );
      const answer = await h.netzme.raw('POST', CREATE, text, headers);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ responseCode: '4004700', responseMessage: 'Invalid Request body' });
    });

    it('passes the same client when its body carries the amount as a string', async () => {
      const text = withNumber().replace('"value":10000', '"value":"10000.00"');
      const token = await h.netzme.token();
      const headers = h.netzme.signedHeaders('POST', CREATE, text, token);
      const bytesHash = createHash('sha256').update(text).digest('hex');
      headers['X-SIGNATURE'] = createHmac('sha512', h.sandbox.credentials.clientSecret)
        .update(`POST:${CREATE}:${token}:${bytesHash}:${headers['X-TIMESTAMP']}`)
        .digest('hex');
      const answer = await h.netzme.raw('POST', CREATE, text, headers);
      expect(answer.body.responseCode).toBe('2004700');
    });

    it('accepts a pretty-printed body (whitespace is not part of the hash)', async () => {
      const text = JSON.stringify(body, null, 2);
      const answer = await h.netzme.call(PATH, text);
      expect(answer.body.responseCode).toBe('2004200');
    });

    it('signs the query string too (GET fixed-va)', async () => {
      const custId = h.sandbox.credentials.consumer!.custId;
      const ok = await h.netzme.call(`/api/v1.0/payment/fixed-va?custId=${custId}`, undefined, { method: 'GET', consumer: true });
      expect(ok.body.responseCode).toBe('2000000');
      const token = await h.netzme.token();
      const headers = h.netzme.signedHeaders('GET', '/api/v1.0/payment/fixed-va', '', token, { consumer: true });
      const answer = await h.netzme.raw('GET', `/api/v1.0/payment/fixed-va?custId=${custId}`, '', headers);
      expect(answer.body.responseCode).toBe('4010000');
    });
  });

  describe('body binding after authentication', () => {
    it('reports a missing mandatory field by its Go name (400xx02)', async () => {
      const answer = await h.netzme.call(PATH, { partnerReferenceNo: 'WDI-2' });
      expect(answer.body).toEqual({ responseCode: '4004202', responseMessage: 'Invalid Mandatory Field CustIdMerchant' });
    });

    it('binds field names case-insensitively, like Go (AccountNo)', async () => {
      const answer = await h.netzme.call('/api/v1.0/payment/balance-inquiry', { partnerReferenceNo: 'BAL-1', AccountNo: h.merchantId });
      expect(answer.body.responseCode).toBe('2001100');
    });

    it('refuses a body that is not a JSON object with 400xx00', async () => {
      const answer = await h.netzme.call(PATH, '[1,2]');
      expect(answer.body).toEqual({ responseCode: '4004200', responseMessage: 'Invalid Request body' });
    });

    it('answers an unknown Netzme path in Netzme format', async () => {
      const answer = await h.netzme.call('/api/v1.0/does/not-exist', body);
      expect(answer.status).toBe(404);
      expect(answer.body.responseCode).toMatch(/^404\d{4}$/);
    });
  });

  describe("consumer-side X-CLIENT-SECRET (optional: Netzme's QA tool never sends it)", () => {
    const ACCOUNT = '/api/v1.0/account/registration-account-inquiry';
    const consumerBody = () => ({ partnerReferenceNo: 'ACC-1', additionalInfo: { custId: h.sandbox.credentials.consumer!.custId } });

    it('does not require it', async () => {
      const answer = await h.netzme.call(ACCOUNT, consumerBody());
      expect(answer.body.responseCode).toBe('2000800');
    });

    it('refuses a wrong one', async () => {
      const answer = await h.netzme.call(ACCOUNT, consumerBody(), { consumer: true, headers: { 'X-CLIENT-SECRET': 'nope' } });
      expect(answer.body).toEqual({ responseCode: '4010801', responseMessage: 'Unauthorized. X-CLIENT-SECRET is Invalid' });
    });

    it('accepts the client secret', async () => {
      const answer = await h.netzme.call(ACCOUNT, consumerBody(), { consumer: true });
      expect(answer.body.responseCode).toBe('2000800');
    });
  });
});
