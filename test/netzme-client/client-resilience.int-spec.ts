import { generateKeyPairSync } from 'node:crypto';
import { InMemoryTokenStore, type NetzmeHttpTransport } from '@app/netzme-client';
import { startSandbox } from '../../apps/netzme-sandbox/src/sandbox';
import { eventually } from '../netzme-sandbox/support/netzme-http';
import { caught, closedPort, control, ref, requestCount, state, useSandboxClient } from './support/client-fixture';

/**
 * NetzmeClient against the sandbox over real HTTP, when things go wrong: token expiry and refresh,
 * wrong credentials, timeouts and 5xx (the sandbox's fault injection), and the log line of each call.
 * Once per transport, as client.int-spec.ts.
 */
describe.each<NetzmeHttpTransport>(['undici', 'nestjs-axios'])('NetzmeClient against the sandbox (HTTP) over %s', (transport) => {
  const ctx = useSandboxClient(transport);
  const { client } = ctx;

  describe('access tokens', () => {
    it('one token for many calls', async () => {
      const c = client();
      await Promise.all(Array.from({ length: 50 }, () => c.getBalanceDetail()));
      await c.getDepositBalance();
      expect(await requestCount(ctx.sandbox, '/api/v1/access-token/b2b')).toBe(1);
    });

    it('Netzme expires the token: 401xx01, one refresh for 100 concurrent calls, every call succeeds', async () => {
      const c = client();
      await c.getBalanceDetail();
      await control(ctx.sandbox, 'POST', '/sandbox/tokens/expire', {});
      const results = await Promise.all(Array.from({ length: 100 }, () => c.getBalanceDetail()));
      expect(results.every((r) => r.responseCode === '2001100')).toBe(true);
      expect(await requestCount(ctx.sandbox, '/api/v1/access-token/b2b')).toBe(2);
      expect(c.diagnostics().tokenFetches.toko).toBe(2);
      expect(ctx.logger.entries.filter((e) => e.tokenRefreshed).length).toBeGreaterThanOrEqual(1);
    });

    it('a wrong client secret: 401 Unauthorized Signature, definite, not retried', async () => {
      const c = client({ clientSecret: 'ffffffffffffffffffffffffffffffff' });
      const err = await caught(c.getBalanceDetail());
      expect(err).toMatchObject({ category: 'UNAUTHORIZED', outcome: 'definite', httpStatus: 401, responseCode: '4011100' });
      expect(await requestCount(ctx.sandbox, '/api/v1.0/payment/balance-inquiry')).toBe(1);
    });

    it('a wrong private key: the token call fails with 4017300, nothing else is sent', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
      const c = client({ privateKey });
      const err = await caught(c.withdrawInquiry());
      expect(err).toMatchObject({ category: 'UNAUTHORIZED', outcome: 'definite', sent: false, responseCode: '4017300' });
      expect(await requestCount(ctx.sandbox, '/api/v1.0/emoney/bank-account-inquiry')).toBe(0);
    });

    it('refreshes before expiry from expiresIn: short-lived tokens never cause a 401', async () => {
      // 4 s tokens: the client must refresh from expiresIn (margin = half the lifetime) and wait out
      // the dying token, so that over two lifetimes no call is ever refused.
      const shortLived = await startSandbox({ port: 0, quiet: true, credentials: ctx.creds, tokenTtlSeconds: 4 });
      try {
        const c = client({ baseUrl: shortLived.url });
        const until = Date.now() + 9_000;
        while (Date.now() < until) {
          await c.getBalanceDetail();
          await new Promise((r) => setTimeout(r, 50));
        }
        const tokenCalls = await requestCount(shortLived, '/api/v1/access-token/b2b');
        expect(tokenCalls).toBeGreaterThanOrEqual(3);
        const balanceLines = ctx.logger.entries.filter((e) => e.endpoint === 'balanceDetail');
        // Calls spread over both lifetimes (not a count a slow machine could miss: about 2 s of every
        // 4 s cycle is spent waiting out the dying token).
        expect(balanceLines.length).toBeGreaterThan(5);
        expect(balanceLines.filter((e) => e.attempts !== 1 || e.tokenRefreshed)).toEqual([]);
        expect(new Set(ctx.logger.entries.filter((e) => e.endpoint === 'accessToken').map((e) => e.outcome))).toEqual(new Set(['success']));
      } finally {
        await shortLived.close();
      }
    }, 30_000);
  });

  describe('faults: timeouts and 5xx', () => {
    it('a timeout on create-transaction is an UNKNOWN outcome, not retried; re-sending the same reference proves it was accepted', async () => {
      const c = client({ timeoutMs: 400 });
      await c.getAccessToken();
      await control(ctx.sandbox, 'POST', '/sandbox/faults', { target: '/api/v1.0/invoice/create-transaction', mode: 'timeout', delayMs: 2_000 });
      const partnerReferenceNo = ref('ORDER');
      const err = await caught(c.createInvoiceTransaction({ partnerReferenceNo, amount: '10000.00', payMethod: 'QRIS' }));
      expect(err).toMatchObject({ category: 'TIMEOUT', outcome: 'unknown', sent: true, partnerReferenceNo });
      expect(await requestCount(ctx.sandbox, '/api/v1.0/invoice/create-transaction')).toBe(1);
      // The sandbox did create it: exactly why a timeout must not be treated as a failure. (It may still
      // be drawing the QR when the client gives up on a loaded machine: wait for it, with a generous bound.)
      const created = await eventually(async () => {
        const invoices = (await state(ctx.sandbox)).invoices.filter((i) => i.partnerReferenceNo === partnerReferenceNo);
        return invoices.length > 0 && invoices;
      }, 15_000);
      expect(created).toHaveLength(1);
      const again = await caught(c.createInvoiceTransaction({ partnerReferenceNo, amount: '10000.00', payMethod: 'QRIS' }));
      expect(again.category).toBe('DUPLICATE_REFERENCE');
      expect((await state(ctx.sandbox)).invoices.filter((i) => i.partnerReferenceNo === partnerReferenceNo)).toHaveLength(1);
    });

    it('a 5xx after processing on withdraw process is UNKNOWN, never retried: one transfer only', async () => {
      const c = client();
      const inquiry = await c.withdrawInquiry();
      await control(ctx.sandbox, 'POST', '/sandbox/faults', { target: '/api/v1.0/emoney/transfer-bank', mode: 'error', afterProcessing: true });
      const partnerReferenceNo = ref('WD');
      const err = await caught(c.withdrawProcess({ partnerReferenceNo, amount: '10000.00', beneficiary: inquiry, pin: ctx.creds.merchantPin! }));
      expect(err).toMatchObject({ category: 'SERVER_ERROR', outcome: 'unknown', httpStatus: 500 });
      expect(await requestCount(ctx.sandbox, '/api/v1.0/emoney/transfer-bank')).toBe(1);
      const again = await caught(
        c.withdrawProcess({ partnerReferenceNo, amount: '10000.00', beneficiary: inquiry, pin: ctx.creds.merchantPin! }, { externalId: err.externalId }),
      );
      expect(again.category).toBe('DUPLICATE_REFERENCE');
      expect((await state(ctx.sandbox)).transfers.filter((t) => t.partnerReferenceNo === partnerReferenceNo)).toHaveLength(1);
    });

    it('a refused connection on create-transaction is a definite NETWORK failure: nothing was sent, not retried', async () => {
      // A valid token from the ctx.sandbox, shared through the store, so the money call itself is refused.
      const tokenStore = new InMemoryTokenStore();
      await client({ tokenStore }).getAccessToken();
      const c = client({ tokenStore, baseUrl: `http://127.0.0.1:${await closedPort()}` });
      const partnerReferenceNo = ref('ORDER');
      const err = await caught(c.createInvoiceTransaction({ partnerReferenceNo, amount: '10000.00', payMethod: 'QRIS' }));
      expect(err).toMatchObject({ category: 'NETWORK', outcome: 'definite', sent: false, networkCode: 'ECONNREFUSED', attempts: 1, partnerReferenceNo });
      expect(ctx.logger.entries.filter((e) => e.endpoint === 'createInvoiceTransaction')).toMatchObject([
        { outcome: 'definite', attemptResults: ['ECONNREFUSED'] },
      ]);
    });

    it('a dropped connection on deduct deposit is UNKNOWN and not retried', async () => {
      const c = client();
      await control(ctx.sandbox, 'POST', '/sandbox/faults', { target: '/api/v1.0/merchant/payment-notif', mode: 'drop' });
      const err = await caught(
        c.deductDepositSplitFee({
          partnerReferenceNo: ref('SALE'),
          amount: '1000.00',
          feeAmount: '10.00',
          sku: 's',
          productName: 'p',
          payMethod: 'BANK_TRANSFER',
          bankName: 'BCA',
        }),
      );
      expect(err).toMatchObject({ category: 'NETWORK', outcome: 'unknown' });
      expect(await requestCount(ctx.sandbox, '/api/v1.0/merchant/payment-notif')).toBe(1);
    });

    it('reads are retried with backoff through 5xx and timeouts, under the same X-EXTERNAL-ID', async () => {
      const c = client({ timeoutMs: 300 });
      await control(ctx.sandbox, 'POST', '/sandbox/faults', { target: '/api/v1.0/payment/balance-inquiry', mode: 'error', count: 1 });
      await control(ctx.sandbox, 'POST', '/sandbox/faults', {
        target: '/api/v1.0/payment/balance-inquiry',
        mode: 'timeout',
        beforeProcessing: true,
        delayMs: 1_000,
        count: 1,
      });
      const res = await c.getBalanceDetail();
      expect(res.responseCode).toBe('2001100');
      const line = ctx.logger.entries.find((e) => e.endpoint === 'balanceDetail')!;
      expect(line).toMatchObject({ attempts: 3, attemptResults: ['5001100', 'TIMEOUT', '2001100'], outcome: 'success' });
      expect(await requestCount(ctx.sandbox, '/api/v1.0/payment/balance-inquiry')).toBe(3);
    });

    it('a read that keeps failing gives up after maxAttempts with an unknown outcome', async () => {
      const c = client();
      await control(ctx.sandbox, 'POST', '/sandbox/faults', { target: '/api/v1.0/deposit/balance-inquiry', mode: 'error', count: 5 });
      const err = await caught(c.getDepositBalance());
      expect(err).toMatchObject({ category: 'SERVER_ERROR', outcome: 'unknown', attempts: 3 });
      expect(await requestCount(ctx.sandbox, '/api/v1.0/deposit/balance-inquiry')).toBe(3);
    });
  });

  it('logs one line per call (token call included), without secrets', async () => {
    const c = client();
    await c.getConsumerHistory({ custId: ctx.creds.consumer!.custId, pageSize: 3, seqId: 0 });
    await c.createInvoiceTransaction({ partnerReferenceNo: ref('ORDER'), amount: 1000000n, payMethod: 'QRIS', expireInSecond: 900, commissionPercentage: 0 });
    expect(ctx.logger.entries.map((e) => e.endpoint)).toEqual(['accessToken', 'consumerHistory', 'createInvoiceTransaction']);
    expect(ctx.logger.entries.every((e) => typeof e.durationMs === 'number' && e.clientId === ctx.creds.clientId)).toBe(true);
    expect(JSON.stringify(ctx.logger.entries)).not.toContain(ctx.creds.clientSecret);
  });
});
