import { generateKeyPairSync } from 'node:crypto';
import { beneficiary, caught, CLIENT_ID, PUBLIC_KEY, SECRET, useFakeNetzme } from '../test/client-fixture';
import { FakeNetzme } from '../test/fake-netzme';
import { InMemoryTokenStore } from './token-store';

/** Access tokens: fetched once, shared, refreshed before expiry and after a rejection. */
describe('NetzmeClient', () => {
  const netzme = useFakeNetzme();
  const { client } = netzme;

  describe('access tokens', () => {
    it('fetches one token and reuses it across calls', async () => {
      const c = client();
      for (let i = 0; i < 5; i++) {
        await c.getBalanceDetail();
      }
      expect(netzme.fake.tokenRequests).toBe(1);
      expect(new Set(netzme.fake.calls.map((r) => r.headers.authorization)).size).toBe(1);
    });

    it('one token request for many concurrent calls with no (or an expired) token', async () => {
      netzme.fake = await (async () => {
        await netzme.fake.close();
        return new FakeNetzme({ clientId: CLIENT_ID, clientSecret: SECRET, publicKey: PUBLIC_KEY, tokenDelayMs: 50 }).start();
      })();
      const store = new InMemoryTokenStore();
      await store.set(CLIENT_ID, { accessToken: 'expired', expiresAt: Date.now() - 1 });
      const c = client({ tokenStore: store });
      const results = await Promise.all(Array.from({ length: 300 }, () => c.getBalanceDetail()));
      expect(results.every((r) => r.responseCode === '2001100')).toBe(true);
      expect(netzme.fake.tokenRequests).toBe(1);
      expect(c.diagnostics().tokenFetches.toko).toBe(1);
    });

    it('refreshes once and retries once (new X-EXTERNAL-ID) when Netzme says Access Token Invalid', async () => {
      const c = client();
      await c.getBalanceDetail();
      netzme.fake.expireToken();
      const res = await Promise.all(Array.from({ length: 100 }, () => c.getBalanceDetail()));
      expect(res).toHaveLength(100);
      expect(netzme.fake.tokenRequests).toBe(2);
      // The first call after expiry was sent twice: once refused, once with the new token, under different ids.
      const refused = netzme.fake.calls[1];
      const retried = netzme.fake.calls.find((r, i) => i > 1 && r.body === refused.body && r !== refused)!;
      expect(retried.headers.authorization).not.toBe(refused.headers.authorization);
      expect(retried.headers['x-external-id']).not.toBe(refused.headers['x-external-id']);
    });

    it('also retries a money-moving call after 401xx01: it was refused before any processing', async () => {
      const c = client();
      await c.getBalanceDetail();
      netzme.fake.expireToken();
      await c.createInvoiceTransaction({ partnerReferenceNo: 'O-9', amount: '10.00', payMethod: 'QRIS' });
      expect(netzme.fake.calls.filter((r) => r.url.endsWith('/invoice/create-transaction'))).toHaveLength(2);
    });

    it('gives up after one refresh when the new token is refused too', async () => {
      const c = client();
      netzme.fake.script.push(
        { kind: 'reply', status: 401, body: { responseCode: '4011101', responseMessage: 'Access Token Invalid' } },
        { kind: 'reply', status: 401, body: { responseCode: '4011101', responseMessage: 'Access Token Invalid' } },
      );
      const err = await caught(c.getBalanceDetail());
      expect(err.category).toBe('INVALID_TOKEN');
      expect(netzme.fake.calls).toHaveLength(2);
    });

    it('refreshes before expiry, honouring expiresIn', async () => {
      let now = Date.now();
      const c = client({ now: () => now });
      await c.getBalanceDetail();
      now += 900_000 - 60_000; // fake tokens live 900 s; within the 120 s margin
      netzme.fake.expireToken(); // Netzme would now issue a new one
      await c.getBalanceDetail();
      expect(netzme.fake.tokenRequests).toBe(2);
      expect(netzme.fake.calls[0].headers.authorization).not.toBe(netzme.fake.calls[1].headers.authorization);
      // Every call was accepted (no 401 round trip was needed).
      expect(netzme.fake.calls).toHaveLength(2);
    });

    it('a wrong private key fails the token call: 4017300, definite, nothing sent', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
      const c = client({ privateKey });
      const err = await caught(c.withdrawProcess({ partnerReferenceNo: 'W-1', amount: '10.00', pin: '123456', beneficiary: beneficiary() }));
      expect(err).toMatchObject({ category: 'UNAUTHORIZED', outcome: 'definite', sent: false, responseCode: '4017300', endpoint: 'withdrawProcess' });
      expect(netzme.fake.calls).toHaveLength(0);
    });
  });
});
