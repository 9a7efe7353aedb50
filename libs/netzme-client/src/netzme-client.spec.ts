import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { bodyHash, containsJsonNumber, hashPin, NETZME_ENDPOINTS } from '@app/snap';
import { loadVectors, readKey } from '../../snap/test/vectors';
import { FakeNetzme } from '../test/fake-netzme';
import { NetzmeError } from './errors';
import type { NetzmeCallLog, NetzmeLogger } from './logger';
import { NetzmeClient } from './netzme-client';
import type { NetzmeClientOptions } from './options';
import { InMemoryTokenStore } from './token-store';
import { serializeBody } from './request-bytes';
import { backoffDelay } from './transport';

const PRIVATE_KEY = readKey('test-keys/partner-private.pem');
const PUBLIC_KEY = readKey('test-keys/partner-public.pem');
const CLIENT_ID = 'TokoNetmeClientId';
const SECRET = 'f013bc2810be469790dc99773c08812e';
const MERCHANT = 'M_TB1NMLig';
const vectors = loadVectors();
const vector = (name: string) => vectors.find((v) => v.name.startsWith(name))!;

function capture(): NetzmeLogger & { entries: NetzmeCallLog[] } {
  const entries: NetzmeCallLog[] = [];
  return { entries, info: (e) => entries.push(e), warn: (e) => entries.push(e) };
}

async function caught(p: Promise<unknown>): Promise<NetzmeError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(NetzmeError);
    return err as NetzmeError;
  }
  throw new Error('expected the call to fail');
}

describe('NetzmeClient', () => {
  let fake: FakeNetzme;
  let logger: ReturnType<typeof capture>;
  const clients: NetzmeClient[] = [];

  function client(overrides: Partial<NetzmeClientOptions> = {}): NetzmeClient {
    const c = new NetzmeClient({
      baseUrl: fake.url,
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      privateKey: PRIVATE_KEY,
      merchantId: MERCHANT,
      timeoutMs: 2_000,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
      logger,
      ...overrides,
    });
    clients.push(c);
    return c;
  }

  beforeEach(async () => {
    logger = capture();
    fake = await new FakeNetzme({ clientId: CLIENT_ID, clientSecret: SECRET, publicKey: PUBLIC_KEY }).start();
  });

  afterEach(async () => {
    await fake.close();
  });

  describe('signing: the client reproduces the shared vectors byte for byte', () => {
    it('vector 1 (verified against Netzme): Get Account Status on the consumer side', async () => {
      const v = vector('netzme-get-account-status');
      const store = new InMemoryTokenStore();
      await store.set('NetmeClientId', { accessToken: v.accessToken!, expiresAt: Number.MAX_SAFE_INTEGER });
      const c = client({
        tokenStore: store,
        now: () => Date.parse(v.timestamp!),
        consumer: { baseUrl: fake.url, clientId: 'NetmeClientId', clientSecret: v.clientSecret!, privateKey: PRIVATE_KEY, channelId: '95521' },
      });
      fake.script.push({ kind: 'reply', status: 200, body: { responseCode: '2000800', responseMessage: 'Successful', additionalInfo: { userStatus: 'premium' } } });
      const res = await c.getAccountStatus('Mw6STUQK', { partnerReferenceNo: '2020102900000000000001' });
      expect(res.additionalInfo.userStatus).toBe('premium');
      const [sent] = fake.calls;
      expect(sent.url).toBe(v.path);
      expect(sent.body).toBe(v.body);
      expect(sent.headers['x-timestamp']).toBe(v.timestamp);
      expect(sent.headers['x-signature']).toBe(v.expectedSignature);
      expect(sent.headers.authorization).toBe(`Bearer ${v.accessToken}`);
      expect(sent.headers['x-partner-id']).toBe('NetmeClientId');
      expect(sent.headers['channel-id']).toBe('95521');
      // Consumer pages list X-CLIENT-SECRET; the Toko side does not get it.
      expect(sent.headers['x-client-secret']).toBe(v.clientSecret);
    });

    it('vector 4: Toko create-transaction body and signature', async () => {
      const v = vector('toko create-transaction');
      const store = new InMemoryTokenStore();
      await store.set(CLIENT_ID, { accessToken: v.accessToken!, expiresAt: Number.MAX_SAFE_INTEGER });
      const c = client({ tokenStore: store, clientSecret: v.clientSecret!, now: () => Date.parse(v.timestamp!) });
      fake.script.push({ kind: 'reply', status: 200, body: { responseCode: '2004700', responseMessage: 'Successful', additionalInfo: { trxId: 't1', id: 'i1', status: true } } });
      await c.createInvoiceTransaction({
        partnerReferenceNo: 'ORDER-20231115-0001',
        amount: '10000',
        payMethod: 'QRIS',
        commissionPercentage: 0,
        expireInSecond: 3600,
        feeType: 'on_seller',
        additionalInfo: { email: 'buyer@example.com', notes: 'order 0001', description: 'order 0001', phoneNumber: '+6281234567890', imageUrl: '', fullname: 'Test Buyer' },
      });
      const [sent] = fake.calls;
      expect(sent.url).toBe(v.path);
      expect(sent.body).toBe(v.body);
      expect(sent.headers['x-signature']).toBe(v.expectedSignature);
      expect(sent.headers['x-client-secret']).toBeUndefined();
    });

    it('vector 5: GET with the query string in the signed path and the empty-body hash', async () => {
      const v = vector('netzme get-fixed-topup-va');
      const store = new InMemoryTokenStore();
      await store.set('NetmeClientId', { accessToken: v.accessToken!, expiresAt: Number.MAX_SAFE_INTEGER });
      const c = client({
        tokenStore: store,
        now: () => Date.parse(v.timestamp!),
        consumer: { baseUrl: fake.url, clientId: 'NetmeClientId', clientSecret: v.clientSecret!, privateKey: PRIVATE_KEY },
      });
      fake.script.push({ kind: 'reply', status: 200, body: { responseCode: '2000000', responseMessage: 'Successful' } });
      await c.getFixedTopupVa('Mw6STUQK');
      const [sent] = fake.calls;
      expect(sent.method).toBe('GET');
      expect(sent.url).toBe(v.path);
      expect(sent.body).toBe('');
      expect(sent.headers['x-signature']).toBe(v.expectedSignature);
    });

    it.each(['access-token-b2b X-SIGNATURE (test key)', 'access-token-b2b X-SIGNATURE (docs example 512-bit key)'])('vector %s: token request', async (name) => {
      const v = vectors.find((x) => x.name === name)!;
      const key = v.privateKeyFile ? readKey(v.privateKeyFile) : v.privateKeyBase64Pkcs1!;
      const c = client({ privateKey: key, now: () => Date.parse(v.timestamp!) });
      await c.getAccessToken().catch(() => undefined); // the fake only knows the 2048-bit key; we inspect what was sent
      const [sent] = fake.requests;
      expect(sent.url).toBe(v.path);
      expect(sent.body).toBe(v.body);
      expect(sent.headers['x-client-key']).toBe(v.clientId);
      expect(sent.headers['x-timestamp']).toBe(v.timestamp);
      expect(sent.headers['x-signature']).toBe(v.expectedSignature);
    });

    it('vector 7: the PIN goes out hashed (create-pin)', async () => {
      const v = vector('withdraw/create-pin PIN hash');
      const c = client({ clientId: v.clientId!, merchantId: v.merchantId! });
      fake.script.push({ kind: 'reply', status: 200, body: { responseCode: '2000000', responseMessage: 'Successful' } });
      // The fake's token check is bypassed by the scripted reply; the token call itself still happens.
      await c.createPin(v.clearPin!).catch(() => undefined);
      const sent = fake.calls[0];
      expect(JSON.parse(sent.body).additionalInfo).toEqual({ pin: v.expectedSignature, type: 'create_pin' });
      expect(sent.body).not.toContain(v.clearPin!);
    });

    it('vector 2: the client serialises a body exactly in Netzme\'s canonical (minified) form', () => {
      const v = vector('snap-body-minify-sha256');
      const text = serializeBody('x', JSON.parse(v.bodyBeforeMinify!));
      expect(text).toBe(v.body);
      expect(bodyHash(text)).toBe(v.expectedSignature);
    });

    it('covers every vector: client-side here, the callback-side asymmetric one in libs/snap', () => {
      const here = ['netzme-get-account-status', 'snap-body-minify-sha256', 'access-token-b2b', 'toko create-transaction', 'netzme get-fixed-topup-va', 'withdraw/create-pin'];
      for (const v of vectors) {
        const covered = here.some((prefix) => v.name.startsWith(prefix)) || v.type === 'asymmetric-sha256withrsa-request';
        expect([v.name, covered]).toEqual([v.name, true]);
      }
    });

    it('signs what it sends: the fake verifies every call over the bytes it received', async () => {
      const c = client();
      await c.getBalanceDetail();
      await c.getTransactionList({ fromDateTime: '2023-11-15T00:00:00+07:00', toDateTime: new Date('2023-11-15T16:59:59Z'), pageNumber: 2 });
      await c.getInvoiceTransaction('0b9f5a0e-6f4f-4c0e-9d7b-5c1d2f3a4b5c');
      expect(fake.calls.map((r) => r.url)).toEqual([
        '/api/v1.0/payment/balance-inquiry',
        '/api-qris/v2.0/transaction/history-list',
        '/api-invoice/v1.0/transaction-history-detail',
      ]);
      const list = JSON.parse(fake.calls[1].body);
      expect(list).toMatchObject({ pageNumber: '2', toDateTime: '2023-11-15T23:59:59+07:00', additionalInfo: { custIdMerchant: MERCHANT } });
    });

    it('encodes and signs awkward query values exactly as sent', async () => {
      const c = client({ consumer: { baseUrl: fake.url, clientId: CLIENT_ID, clientSecret: SECRET, privateKey: PRIVATE_KEY } });
      await c.getFixedTopupVa("O'Brien & co/é");
      expect(fake.calls[0].url).toBe('/api/v1.0/payment/fixed-va?custId=O%27Brien%20%26%20co%2F%C3%A9');
    });

    it('honours apiVersion and pathOverrides', async () => {
      const c = client({ apiVersion: 'v2.0', pathOverrides: { invoiceTransaction: '/api-invoice/v1.0/transaction-history-detail' } });
      await c.getBalanceDetail();
      await c.getInvoiceTransaction('t');
      expect(fake.calls.map((r) => r.url)).toEqual(['/api/v2.0/payment/balance-inquiry', '/api-invoice/v1.0/transaction-history-detail']);
    });
  });

  describe('numbers never go out as JSON numbers', () => {
    it('refuses a body containing a JSON number before sending anything', async () => {
      const c = client();
      const err = await caught(c.request('createInvoiceTransaction', { partnerReferenceNo: 'X', amount: { value: 10000, currency: 'IDR' } }));
      expect(err.category).toBe('INVALID_REQUEST');
      expect(err.outcome).toBe('definite');
      expect(err.sent).toBe(false);
      expect(fake.requests).toHaveLength(0);
    });

    it.each([
      ['"0.0" (the WooCommerce plugin default)', '0.0', '0.0'],
      ['"0.7"', '0.7', '0.7'],
      ['0.7 as a number', 0.7, '0.7'],
      ['100', 100, '100'],
    ])('sends commissionPercentage %s as a decimal string', async (_label, input, sent) => {
      const c = client();
      await c.createInvoiceTransaction({ partnerReferenceNo: 'O-1', amount: '10.00', payMethod: 'QRIS', commissionPercentage: input });
      expect(JSON.parse(fake.calls[0].body).commissionPercentage).toBe(sent);
    });

    it('converts integer parameters and amounts to strings', async () => {
      const c = client();
      await c.createInvoiceTransaction({ partnerReferenceNo: 'O-1', amount: 1500050n, payMethod: 'QRIS', expireInSecond: 600, commissionPercentage: 0, shippingAmount: '0' });
      const body = JSON.parse(fake.calls[0].body);
      expect(body).toMatchObject({
        amount: { value: '15000.50', currency: 'IDR' },
        amountDetail: { basicAmount: { value: '15000.50', currency: 'IDR' }, shippingAmount: { value: '0.00', currency: 'IDR' } },
        expireInSecond: '600',
        commissionPercentage: '0',
      });
      expect(containsJsonNumber(body)).toBe(false);
    });

    it.each([
      ['a float amount', { amount: 100.5 as unknown as string }],
      ['more than two decimals', { amount: '10.001' }],
      ['a negative amount', { amount: { value: '-1.00', currency: 'IDR' } }],
      ['a foreign currency', { amount: { value: '10.00', currency: 'USD' } }],
      ['a fractional integer field', { expireInSecond: 1.5 }],
      ['a commission above 100 %', { commissionPercentage: '100.5' }],
      ['a commission with a comma', { commissionPercentage: '0,7' }],
    ])('refuses %s locally', async (_label, patch) => {
      const c = client();
      const err = await caught(c.createInvoiceTransaction({ partnerReferenceNo: 'O-1', amount: '10.00', payMethod: 'QRIS', ...patch }));
      expect(err.category).toBe('INVALID_REQUEST');
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('access tokens', () => {
    it('fetches one token and reuses it across calls', async () => {
      const c = client();
      for (let i = 0; i < 5; i++) {
        await c.getBalanceDetail();
      }
      expect(fake.tokenRequests).toBe(1);
      expect(new Set(fake.calls.map((r) => r.headers.authorization)).size).toBe(1);
    });

    it('one token request for many concurrent calls with no (or an expired) token', async () => {
      fake = await (async () => {
        await fake.close();
        return new FakeNetzme({ clientId: CLIENT_ID, clientSecret: SECRET, publicKey: PUBLIC_KEY, tokenDelayMs: 50 }).start();
      })();
      const store = new InMemoryTokenStore();
      await store.set(CLIENT_ID, { accessToken: 'expired', expiresAt: Date.now() - 1 });
      const c = client({ tokenStore: store });
      const results = await Promise.all(Array.from({ length: 300 }, () => c.getBalanceDetail()));
      expect(results.every((r) => r.responseCode === '2001100')).toBe(true);
      expect(fake.tokenRequests).toBe(1);
      expect(c.diagnostics().tokenFetches.toko).toBe(1);
    });

    it('refreshes once and retries once (new X-EXTERNAL-ID) when Netzme says Access Token Invalid', async () => {
      const c = client();
      await c.getBalanceDetail();
      fake.expireToken();
      const res = await Promise.all(Array.from({ length: 100 }, () => c.getBalanceDetail()));
      expect(res).toHaveLength(100);
      expect(fake.tokenRequests).toBe(2);
      // The first call after expiry was sent twice: once refused, once with the new token, under different ids.
      const refused = fake.calls[1];
      const retried = fake.calls.find((r, i) => i > 1 && r.body === refused.body && r !== refused)!;
      expect(retried.headers.authorization).not.toBe(refused.headers.authorization);
      expect(retried.headers['x-external-id']).not.toBe(refused.headers['x-external-id']);
    });

    it('also retries a money-moving call after 401xx01: it was refused before any processing', async () => {
      const c = client();
      await c.getBalanceDetail();
      fake.expireToken();
      await c.createInvoiceTransaction({ partnerReferenceNo: 'O-9', amount: '10.00', payMethod: 'QRIS' });
      expect(fake.calls.filter((r) => r.url.endsWith('/invoice/create-transaction'))).toHaveLength(2);
    });

    it('gives up after one refresh when the new token is refused too', async () => {
      const c = client();
      fake.script.push(
        { kind: 'reply', status: 401, body: { responseCode: '4011101', responseMessage: 'Access Token Invalid' } },
        { kind: 'reply', status: 401, body: { responseCode: '4011101', responseMessage: 'Access Token Invalid' } },
      );
      const err = await caught(c.getBalanceDetail());
      expect(err.category).toBe('INVALID_TOKEN');
      expect(fake.calls).toHaveLength(2);
    });

    it('refreshes before expiry, honouring expiresIn', async () => {
      let now = Date.now();
      const c = client({ now: () => now });
      await c.getBalanceDetail();
      now += 900_000 - 60_000; // fake tokens live 900 s; within the 120 s margin
      fake.expireToken(); // Netzme would now issue a new one
      await c.getBalanceDetail();
      expect(fake.tokenRequests).toBe(2);
      expect(fake.calls[0].headers.authorization).not.toBe(fake.calls[1].headers.authorization);
      // Every call was accepted (no 401 round trip was needed).
      expect(fake.calls).toHaveLength(2);
    });

    it('a wrong private key fails the token call: 4017300, definite, nothing sent', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
      const c = client({ privateKey });
      const err = await caught(c.withdrawProcess({ partnerReferenceNo: 'W-1', amount: '10.00', pin: '123456', beneficiary: beneficiary() }));
      expect(err).toMatchObject({ category: 'UNAUTHORIZED', outcome: 'definite', sent: false, responseCode: '4017300', endpoint: 'withdrawProcess' });
      expect(fake.calls).toHaveLength(0);
    });
  });

  describe('errors and retries', () => {
    it('a wrong client secret: 401xx00 Unauthorized Signature, definite, not retried', async () => {
      const c = client({ clientSecret: '00000000000000000000000000000000' });
      const err = await caught(c.getBalanceDetail());
      expect(err).toMatchObject({ category: 'UNAUTHORIZED', outcome: 'definite', responseCode: '4011100', httpStatus: 401, serviceCode: '11', caseCode: '00' });
      expect(fake.calls).toHaveLength(1);
    });

    it('retries a read on timeout with the same X-EXTERNAL-ID, then succeeds', async () => {
      const c = client({ timeoutMs: 150 });
      fake.script.push({ kind: 'hang' }, { kind: 'reply', status: 503, body: { responseCode: '5031100', responseMessage: 'service unavailable' } });
      const res = await c.getBalanceDetail();
      expect(res.responseCode).toBe('2001100');
      expect(fake.calls).toHaveLength(3);
      expect(new Set(fake.calls.map((r) => r.headers['x-external-id'])).size).toBe(1);
      expect(new Set(fake.calls.map((r) => r.body)).size).toBe(1);
      const entry = logger.entries.find((e) => e.endpoint === 'balanceDetail')!;
      expect(entry).toMatchObject({ attempts: 3, attemptResults: ['TIMEOUT', '5031100', '2001100'], outcome: 'success' });
    });

    it('stops retrying a read after maxAttempts and reports the last error', async () => {
      const c = client();
      for (let i = 0; i < 3; i++) {
        fake.script.push({ kind: 'reply', status: 500, body: { responseCode: '5001100', responseMessage: 'boom' } });
      }
      const err = await caught(c.getBalanceDetail());
      expect(err).toMatchObject({ category: 'SERVER_ERROR', outcome: 'unknown', attempts: 3 });
      expect(fake.calls).toHaveLength(3);
    });

    it.each([
      ['a timeout', { kind: 'hang' as const }, 'TIMEOUT'],
      ['a 500', { kind: 'reply' as const, status: 500, body: { responseCode: '5004700', responseMessage: 'x' } }, 'SERVER_ERROR'],
      ['a 504', { kind: 'reply' as const, status: 504, body: { responseCode: '5044700', responseMessage: 'x' } }, 'TIMEOUT'],
      ['a 202 in progress', { kind: 'reply' as const, status: 202, body: { responseCode: '2024700', responseMessage: 'Request In Progress' } }, 'IN_PROGRESS'],
      ['a reset after sending', { kind: 'reset' as const }, 'NETWORK'],
      ['an HTML 502 from a proxy', { kind: 'reply' as const, status: 502, body: '<html>bad gateway</html>', raw: true }, 'SERVER_ERROR'],
      ['a 200 that is not JSON', { kind: 'reply' as const, status: 200, body: 'OK', raw: true }, 'INVALID_RESPONSE'],
    ])('a money-moving call is never retried after %s: outcome unknown', async (_label, scripted, category) => {
      const c = client({ timeoutMs: 150 });
      fake.script.push(scripted, { kind: 'reply', status: 200, body: { responseCode: '2004700', responseMessage: 'Successful' } });
      const err = await caught(c.createInvoiceTransaction({ partnerReferenceNo: 'O-1', amount: '10000.00', payMethod: 'QRIS' }));
      expect(err).toMatchObject({ category, outcome: 'unknown', sent: true, partnerReferenceNo: 'O-1' });
      expect(err.externalId).toBe(fake.calls[0].headers['x-external-id']);
      expect(fake.calls).toHaveLength(1);
    });

    it.each([
      ['withdrawProcess', (c: NetzmeClient) => c.withdrawProcess({ partnerReferenceNo: 'W-1', amount: '10.00', pin: '123456', beneficiary: beneficiary() })],
      ['depositWithdraw', (c: NetzmeClient) => c.depositWithdraw({ partnerReferenceNo: 'W-1', amount: '10.00', pin: '123456', beneficiary: beneficiary() })],
      ['createInvoice', (c: NetzmeClient) => c.createInvoice({ partnerReferenceNo: 'I-1', amount: '10.00' })],
      [
        'deductDepositSplitFee',
        (c: NetzmeClient) => c.deductDepositSplitFee({ partnerReferenceNo: 'D-1', amount: '10.00', feeAmount: '1.00', sku: 's', productName: 'p', payMethod: 'BANK_TRANSFER', bankName: 'BCA' }),
      ],
      ['forgotPin', (c: NetzmeClient) => c.forgotPin()],
    ])('%s is not retried on a 5xx', async (_name, run) => {
      const c = client();
      fake.script.push({ kind: 'reply', status: 500, body: { responseCode: '5000000', responseMessage: 'x' } });
      const err = await caught(run(c));
      expect(err.outcome).toBe('unknown');
      expect(fake.calls).toHaveLength(1);
    });

    it.each([
      ['409xx01', 'DUPLICATE_REFERENCE', 409, '4094301'],
      ['403xx14', 'INSUFFICIENT_FUNDS', 403, '4034314'],
      ['404xx08', 'NOT_FOUND', 404, '4044308'],
      ['400xx02', 'BAD_REQUEST', 400, '4004302'],
    ])('%s is a definite %s', async (_label, category, status, code) => {
      const c = client();
      fake.script.push({ kind: 'reply', status, body: { responseCode: code, responseMessage: 'nope' } });
      const err = await caught(c.withdrawProcess({ partnerReferenceNo: 'W-1', amount: '10.00', pin: '123456', beneficiary: beneficiary() }));
      expect(err).toMatchObject({ category, outcome: 'definite', responseCode: code, responseMessage: 'nope' });
      expect(fake.calls).toHaveLength(1);
    });

    it('a refused connection is definite (never sent) and retried for reads', async () => {
      const port = await closedPort();
      const store = new InMemoryTokenStore();
      await store.set(CLIENT_ID, { accessToken: 'tok', expiresAt: Date.now() + 600_000 });
      const c = client({ baseUrl: `http://127.0.0.1:${port}`, tokenStore: store });
      const err = await caught(c.getBalanceDetail());
      expect(err).toMatchObject({ category: 'NETWORK', outcome: 'definite', networkCode: 'ECONNREFUSED', attempts: 3, sent: false });
    });

    it('the caller can re-send the exact same money-moving request with the same X-EXTERNAL-ID', async () => {
      const c = client();
      fake.script.push({ kind: 'reply', status: 500, body: { responseCode: '5004300', responseMessage: 'x' } });
      const params = { partnerReferenceNo: 'W-7', amount: '10.00', pin: '123456', beneficiary: beneficiary() };
      const first = await caught(c.depositWithdraw(params));
      await c.depositWithdraw(params, { externalId: first.externalId });
      expect(fake.calls[0].headers['x-external-id']).toBe(fake.calls[1].headers['x-external-id']);
      expect(fake.calls[0].body).toBe(fake.calls[1].body); // same derived referenceNo, same bytes
    });

    it('refuses a caller-supplied X-EXTERNAL-ID that Netzme would reject', async () => {
      const err = await caught(client().getBalanceDetail({ externalId: 'abc-123' }));
      expect(err.category).toBe('INVALID_REQUEST');
      expect(fake.requests).toHaveLength(0);
    });

    it('backoff is exponential with full jitter and capped', () => {
      expect(backoffDelay(1, 200, 2000, () => 0.999)).toBe(199);
      expect(backoffDelay(3, 200, 2000, () => 0.999)).toBe(799);
      expect(backoffDelay(10, 200, 2000, () => 0.999)).toBe(1998);
      expect(backoffDelay(3, 200, 2000, () => 0)).toBe(0);
    });
  });

  describe('observability and secrecy', () => {
    it('logs one structured line per call with endpoint, responseCode, durationMs and ids', async () => {
      const c = client();
      await c.getBalanceDetail({ partnerReferenceNo: 'BAL-1' });
      fake.script.push({ kind: 'reply', status: 403, body: { responseCode: '4034314', responseMessage: 'Insufficient Funds' } });
      await c.withdrawProcess({ partnerReferenceNo: 'W-1', amount: '10.00', pin: '123456', beneficiary: beneficiary() }).catch(() => undefined);
      expect(logger.entries.map((e) => e.endpoint)).toEqual(['accessToken', 'balanceDetail', 'withdrawProcess']);
      const [, ok, failed] = logger.entries;
      expect(ok).toMatchObject({ event: 'netzme.call', outcome: 'success', responseCode: '2001100', httpStatus: 200, partnerReferenceNo: 'BAL-1', path: '/api/v1.0/payment/balance-inquiry' });
      expect(ok.externalId).toBe(fake.calls[0].headers['x-external-id']);
      expect(typeof ok.durationMs).toBe('number');
      expect(failed).toMatchObject({ outcome: 'definite', category: 'INSUFFICIENT_FUNDS', responseCode: '4034314', partnerReferenceNo: 'W-1' });
    });

    it('never lets the secret, private key, tokens or PINs reach logs, errors or inspect()', async () => {
      const pin = '482915';
      const c = client({ consumer: { baseUrl: fake.url, clientId: CLIENT_ID, clientSecret: SECRET, privateKey: PRIVATE_KEY } });
      await c.getBalanceDetail();
      const token = fake.liveToken!;
      // Netzme echoing secrets back in a message must not leak them either.
      fake.script.push({ kind: 'reply', status: 400, body: { responseCode: '4004300', responseMessage: `bad ${SECRET} ${token}`, accessToken: token, pin: hashPin(CLIENT_ID, MERCHANT, pin) } });
      const err = await caught(c.withdrawProcess({ partnerReferenceNo: 'W-1', amount: '10.00', pin, beneficiary: beneficiary() }));
      fake.script.push({ kind: 'hang' }, { kind: 'hang' }, { kind: 'hang' });
      const timeout = await caught(c.getAccountStatus('Mw6STUQK', { timeoutMs: 50 }));
      expect(timeout.category).toBe('TIMEOUT');
      const everything = [JSON.stringify(logger.entries), JSON.stringify(err), JSON.stringify(err.response), err.message, err.stack, inspect(err, { depth: 10 }), inspect(c, { depth: 10 }), JSON.stringify(timeout), inspect(timeout, { depth: 10 })].join('\n');
      const privateKeyBody = PRIVATE_KEY.split('\n')[5];
      for (const secret of [SECRET, token, pin, hashPin(CLIENT_ID, MERCHANT, pin), privateKeyBody]) {
        expect(everything).not.toContain(secret);
      }
      expect(everything).toContain('[REDACTED]');
    });
  });

  describe('consumer side and webviews', () => {
    it('consumer methods need consumer settings', async () => {
      const err = await caught(client().getConsumerBalance('Mw6STUQK'));
      expect(err.category).toBe('INVALID_REQUEST');
      expect(fake.requests).toHaveLength(0);
    });

    it('builds the Payment Bill webview URL as Netzme describes it', () => {
      const c = client({
        now: () => Date.parse('2023-11-15T05:13:20+07:00'),
        consumer: { baseUrl: fake.url, clientId: 'xplorin', clientSecret: SECRET, privateKey: PRIVATE_KEY, webviewUrl: 'https://xplorin-dev.netzme.id/pin-transaction' },
      });
      const url = new URL(c.buildPaymentBillUrl({ userId: 'Mw6STUQK', billId: 'B-1', amount: '15000.00', description: 'tiket kebun raya', expiredAt: new Date('2023-11-15T00:00:00Z') }));
      expect(url.origin + url.pathname).toBe('https://xplorin-dev.netzme.id/pin-transaction');
      expect(Object.fromEntries(url.searchParams)).toEqual({
        requestId: 'xplorin202311150513200001',
        type: 'aggregator_payment_bill',
        userId: 'Mw6STUQK',
        billId: 'B-1',
        amount: '15000',
        aggregatorId: 'xplorin',
        description: 'tiket kebun raya',
        expired_at: '2023-11-15T00:00:00.000Z',
      });
      expect(() => c.buildPaymentBillUrl({ userId: 'u', billId: 'b', amount: '10.50', description: '', expiredAt: new Date() })).toThrow(NetzmeError);
    });
  });

  it('every endpoint of the table has a client method that reaches its path', async () => {
    const c = client({ consumer: { baseUrl: fake.url, clientId: CLIENT_ID, clientSecret: SECRET, privateKey: PRIVATE_KEY } });
    const b = beneficiary();
    await c.createPin('123456');
    await c.forgotPin();
    await c.getBalanceDetail();
    await c.getTransactionList({ fromDateTime: '2023-11-15T00:00:00+07:00', toDateTime: '2023-11-16T00:00:00+07:00' });
    await c.getMerchantDetail({ phoneNo: '081234567890' });
    await c.withdrawInquiry();
    await c.withdrawProcess({ partnerReferenceNo: 'W-1', amount: '10.00', pin: '123456', beneficiary: b });
    await c.getWithdrawInformation({ referenceNo: 'r' });
    await c.getQrisAcquireTransaction({ rrn: '411310123456' });
    await c.createInvoice({ partnerReferenceNo: 'I-1', amount: '10.00', payMethods: ['QRIS'] });
    await c.createInvoiceTransaction({ partnerReferenceNo: 'I-2', amount: '10.00', payMethod: 'QRIS' });
    await c.createTopupDepositTransaction({ partnerReferenceNo: 'I-3', amount: '10.00', payMethod: 'BANK_TRANSFER' });
    await c.createInvoiceQrMpm({ partnerReferenceNo: 'I-4', amount: '10.00', terminalId: 'A01' });
    await c.getInvoiceTransaction('trx');
    await c.deductDepositSplitFee({ partnerReferenceNo: 'D-1', amount: '10.00', feeAmount: '1.00', sku: 's', productName: 'p', payMethod: 'BANK_TRANSFER', bankName: 'BCA', qty: 1 });
    await c.getDepositBalance();
    await c.getDepositTransactions({ fromDateTime: '2023-11-15T00:00:00+07:00', toDateTime: '2023-11-16T00:00:00+07:00' });
    await c.depositWithdrawInquiry();
    await c.depositWithdraw({ partnerReferenceNo: 'DW-1', amount: '10.00', pin: '123456', beneficiary: b });
    await c.getDepositWithdrawInformation({ referenceNo: 'r' });
    await c.getAccountStatus('Mw6STUQK');
    await c.getConsumerBalance('Mw6STUQK');
    await c.getConsumerHistory({ custId: 'Mw6STUQK', pageSize: 2 });
    await c.getFixedTopupVa('Mw6STUQK');
    await c.getQrisDetail({ custId: 'Mw6STUQK', qrContent: '000201', amount: '199990' });
    await c.payQris({ partnerReferenceNo: 'Q-1', custId: 'Mw6STUQK', qrContent: '000201', amount: '10.00', pin: '123456' });
    await c.upgradeAccount({ custId: 'Mw6STUQK' });
    const reached = new Set(fake.calls.map((r) => r.url.split('?')[0]));
    for (const spec of Object.values(NETZME_ENDPOINTS)) {
      if (spec.name === 'accessToken') {
        continue;
      }
      expect([spec.name, spec.versions.some((v) => reached.has(spec.pathTemplate.replace('{version}', v)))]).toEqual([spec.name, true]);
    }
    // No body carried a JSON number, and the topup flag is where Netzme documents it.
    for (const r of fake.calls) {
      expect(r.body === '' || !containsJsonNumber(JSON.parse(r.body))).toBe(true);
    }
    const topup = fake.calls.find((r) => r.body.includes('"I-3"'))!;
    expect(JSON.parse(topup.body).additionalInfo.apiSource).toBe('topup_deposit');
  });

  afterAll(() => {
    expect(clients.length).toBeGreaterThan(0);
  });
});

function beneficiary() {
  return { beneficiaryAccountName: 'Mariya Wise', beneficiaryAccountNumber: '2288996060', beneficiaryBankName: 'BTPN SYARIAH', beneficiaryBankCode: '547' };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
