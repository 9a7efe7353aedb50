import { inspect } from 'node:util';
import { hashPin } from '@app/snap';
import { beneficiary, caught, CLIENT_ID, closedPort, MERCHANT, PRIVATE_KEY, SECRET, useFakeNetzme } from '../test/client-fixture';
import type { NetzmeClient } from './netzme-client';
import { InMemoryTokenStore } from './token-store';
import { backoffDelay } from './transport';

/** Failures: classification, retries of reads only, timeouts; and what the logs and errors may show. */
describe('NetzmeClient', () => {
  const netzme = useFakeNetzme();
  const { client } = netzme;

  describe('errors and retries', () => {
    it('a wrong client secret: 401xx00 Unauthorized Signature, definite, not retried', async () => {
      const c = client({ clientSecret: '00000000000000000000000000000000' });
      const err = await caught(c.getBalanceDetail());
      expect(err).toMatchObject({ category: 'UNAUTHORIZED', outcome: 'definite', responseCode: '4011100', httpStatus: 401, serviceCode: '11', caseCode: '00' });
      expect(netzme.fake.calls).toHaveLength(1);
    });

    it('retries a read on timeout with the same X-EXTERNAL-ID, then succeeds', async () => {
      const c = client({ timeoutMs: 150 });
      netzme.fake.script.push({ kind: 'hang' }, { kind: 'reply', status: 503, body: { responseCode: '5031100', responseMessage: 'service unavailable' } });
      const res = await c.getBalanceDetail();
      expect(res.responseCode).toBe('2001100');
      expect(netzme.fake.calls).toHaveLength(3);
      expect(new Set(netzme.fake.calls.map((r) => r.headers['x-external-id'])).size).toBe(1);
      expect(new Set(netzme.fake.calls.map((r) => r.body)).size).toBe(1);
      const entry = netzme.logger.entries.find((e) => e.endpoint === 'balanceDetail')!;
      expect(entry).toMatchObject({ attempts: 3, attemptResults: ['TIMEOUT', '5031100', '2001100'], outcome: 'success' });
    });

    it('stops retrying a read after maxAttempts and reports the last error', async () => {
      const c = client();
      for (let i = 0; i < 3; i++) {
        netzme.fake.script.push({ kind: 'reply', status: 500, body: { responseCode: '5001100', responseMessage: 'boom' } });
      }
      const err = await caught(c.getBalanceDetail());
      expect(err).toMatchObject({ category: 'SERVER_ERROR', outcome: 'unknown', attempts: 3 });
      expect(netzme.fake.calls).toHaveLength(3);
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
      netzme.fake.script.push(scripted, { kind: 'reply', status: 200, body: { responseCode: '2004700', responseMessage: 'Successful' } });
      const err = await caught(c.createInvoiceTransaction({ partnerReferenceNo: 'O-1', amount: '10000.00', payMethod: 'QRIS' }));
      expect(err).toMatchObject({ category, outcome: 'unknown', sent: true, partnerReferenceNo: 'O-1' });
      expect(err.externalId).toBe(netzme.fake.calls[0].headers['x-external-id']);
      expect(netzme.fake.calls).toHaveLength(1);
    });

    it.each([
      ['withdrawProcess', (c: NetzmeClient) => c.withdrawProcess({ partnerReferenceNo: 'W-1', amount: '10.00', pin: '123456', beneficiary: beneficiary() })],
      ['depositWithdraw', (c: NetzmeClient) => c.depositWithdraw({ partnerReferenceNo: 'W-1', amount: '10.00', pin: '123456', beneficiary: beneficiary() })],
      ['createInvoice', (c: NetzmeClient) => c.createInvoice({ partnerReferenceNo: 'I-1', amount: '10.00' })],
      [
        'deductDepositSplitFee',
        (c: NetzmeClient) =>
          c.deductDepositSplitFee({
            partnerReferenceNo: 'D-1',
            amount: '10.00',
            feeAmount: '1.00',
            sku: 's',
            productName: 'p',
            payMethod: 'BANK_TRANSFER',
            bankName: 'BCA',
          }),
      ],
      ['forgotPin', (c: NetzmeClient) => c.forgotPin()],
    ])('%s is not retried on a 5xx', async (_name, run) => {
      const c = client();
      netzme.fake.script.push({ kind: 'reply', status: 500, body: { responseCode: '5000000', responseMessage: 'x' } });
      const err = await caught(run(c));
      expect(err.outcome).toBe('unknown');
      expect(netzme.fake.calls).toHaveLength(1);
    });

    it.each([
      ['409xx01', 'DUPLICATE_REFERENCE', 409, '4094301'],
      ['403xx14', 'INSUFFICIENT_FUNDS', 403, '4034314'],
      ['404xx08', 'NOT_FOUND', 404, '4044308'],
      ['400xx02', 'BAD_REQUEST', 400, '4004302'],
    ])('%s is a definite %s', async (_label, category, status, code) => {
      const c = client();
      netzme.fake.script.push({ kind: 'reply', status, body: { responseCode: code, responseMessage: 'nope' } });
      const err = await caught(c.withdrawProcess({ partnerReferenceNo: 'W-1', amount: '10.00', pin: '123456', beneficiary: beneficiary() }));
      expect(err).toMatchObject({ category, outcome: 'definite', responseCode: code, responseMessage: 'nope' });
      expect(netzme.fake.calls).toHaveLength(1);
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
      netzme.fake.script.push({ kind: 'reply', status: 500, body: { responseCode: '5004300', responseMessage: 'x' } });
      const params = { partnerReferenceNo: 'W-7', amount: '10.00', pin: '123456', beneficiary: beneficiary() };
      const first = await caught(c.depositWithdraw(params));
      await c.depositWithdraw(params, { externalId: first.externalId });
      expect(netzme.fake.calls[0].headers['x-external-id']).toBe(netzme.fake.calls[1].headers['x-external-id']);
      expect(netzme.fake.calls[0].body).toBe(netzme.fake.calls[1].body); // same derived referenceNo, same bytes
    });

    it('refuses a caller-supplied X-EXTERNAL-ID that Netzme would reject', async () => {
      const err = await caught(client().getBalanceDetail({ externalId: 'abc-123' }));
      expect(err.category).toBe('INVALID_REQUEST');
      expect(netzme.fake.requests).toHaveLength(0);
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
      netzme.fake.script.push({ kind: 'reply', status: 403, body: { responseCode: '4034314', responseMessage: 'Insufficient Funds' } });
      await c.withdrawProcess({ partnerReferenceNo: 'W-1', amount: '10.00', pin: '123456', beneficiary: beneficiary() }).catch(() => undefined);
      expect(netzme.logger.entries.map((e) => e.endpoint)).toEqual(['accessToken', 'balanceDetail', 'withdrawProcess']);
      const [, ok, failed] = netzme.logger.entries;
      expect(ok).toMatchObject({
        event: 'netzme.call',
        outcome: 'success',
        responseCode: '2001100',
        httpStatus: 200,
        partnerReferenceNo: 'BAL-1',
        path: '/api/v1.0/payment/balance-inquiry',
      });
      expect(ok.externalId).toBe(netzme.fake.calls[0].headers['x-external-id']);
      expect(typeof ok.durationMs).toBe('number');
      expect(failed).toMatchObject({ outcome: 'definite', category: 'INSUFFICIENT_FUNDS', responseCode: '4034314', partnerReferenceNo: 'W-1' });
    });

    it('never lets the secret, private key, tokens or PINs reach logs, errors or inspect()', async () => {
      const pin = '482915';
      const c = client({ consumer: { baseUrl: netzme.fake.url, clientId: CLIENT_ID, clientSecret: SECRET, privateKey: PRIVATE_KEY } });
      await c.getBalanceDetail();
      const token = netzme.fake.liveToken!;
      // Netzme echoing secrets back in a message must not leak them either.
      netzme.fake.script.push({
        kind: 'reply',
        status: 400,
        body: { responseCode: '4004300', responseMessage: `bad ${SECRET} ${token}`, accessToken: token, pin: hashPin(CLIENT_ID, MERCHANT, pin) },
      });
      const err = await caught(c.withdrawProcess({ partnerReferenceNo: 'W-1', amount: '10.00', pin, beneficiary: beneficiary() }));
      netzme.fake.script.push({ kind: 'hang' }, { kind: 'hang' }, { kind: 'hang' });
      const timeout = await caught(c.getAccountStatus('Mw6STUQK', { timeoutMs: 50 }));
      expect(timeout.category).toBe('TIMEOUT');
      const everything = [
        JSON.stringify(netzme.logger.entries),
        JSON.stringify(err),
        JSON.stringify(err.response),
        err.message,
        err.stack,
        inspect(err, { depth: 10 }),
        inspect(c, { depth: 10 }),
        JSON.stringify(timeout),
        inspect(timeout, { depth: 10 }),
      ].join('\n');
      const privateKeyBody = PRIVATE_KEY.split('\n')[5];
      for (const secret of [SECRET, token, pin, hashPin(CLIENT_ID, MERCHANT, pin), privateKeyBody]) {
        expect(everything).not.toContain(secret);
      }
      expect(everything).toContain('[REDACTED]');
    });
  });
});
