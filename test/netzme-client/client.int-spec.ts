import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import { HttpService } from '@nestjs/axios';
import axios from 'axios';
import { axiosSender, InMemoryTokenStore, NetzmeClient, NetzmeError, type NetzmeCallLog, type NetzmeClientOptions, type NetzmeHttpTransport } from '@app/netzme-client';
import { startSandbox, testCredentials, type SandboxCredentials, type StartedSandbox } from '../../apps/netzme-sandbox/src/sandbox';
import { sandboxClientOptions } from './support/sandbox-options';

/**
 * NetzmeClient against the Netzme sandbox over real HTTP: every endpoint, token expiry, wrong
 * credentials, timeouts and 5xx (the sandbox's fault injection). The sandbox verifies signatures
 * exactly as Netzme does, so every success here is also a proof that the client signs correctly.
 * The whole suite runs once per transport (undici, the default, and @nestjs/axios' HttpService):
 * each must send the signed bytes as they are and classify failures alike.
 */
type Sandbox = StartedSandbox;

async function control<T = Record<string, unknown>>(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${method} ${path} -> ${res.status} ${text}`);
  }
  return (text ? JSON.parse(text) : {}) as T;
}

interface SandboxState {
  merchants: Array<{ merchantId: string; phoneNo: string; settledBalance: string; depositBalance: string }>;
  invoices: Array<{ id: string; trxId: string; partnerReferenceNo: string; status: string }>;
  transfers: Array<{ kind: string; partnerReferenceNo: string; referenceNo: string; status: string; duplicatesRefused: number }>;
  stats?: { requests: Record<string, number> };
  requests?: Record<string, number>;
}

const state = (s: Sandbox) => control<SandboxState>(s, 'GET', '/sandbox/state');

/** Requests the sandbox counted for one path (its stats live under `stats.requests`). */
async function requestCount(s: Sandbox, path: string): Promise<number> {
  const snapshot = (await state(s)) as SandboxState & Record<string, unknown>;
  const requests = snapshot.stats?.requests ?? snapshot.requests ?? {};
  return requests[path] ?? 0;
}

function capture() {
  const entries: NetzmeCallLog[] = [];
  return { entries, info: (e: NetzmeCallLog) => entries.push(e), warn: (e: NetzmeCallLog) => entries.push(e) };
}

async function caught(p: Promise<unknown>): Promise<NetzmeError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof NetzmeError) {
      return err;
    }
    throw err;
  }
  throw new Error('expected the call to fail');
}

let seq = 0;
const ref = (prefix: string) => `${prefix}-${Date.now()}-${++seq}`;

/** A local port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe.each<NetzmeHttpTransport>(['undici', 'nestjs-axios'])('NetzmeClient against the sandbox (HTTP) over %s', (transport) => {
  let sandbox: Sandbox;
  let creds: SandboxCredentials;
  let logger: ReturnType<typeof capture>;

  function client(overrides: Partial<NetzmeClientOptions> = {}): NetzmeClient {
    return new NetzmeClient({
      ...sandboxClientOptions(sandbox),
      timeoutMs: 5_000,
      retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
      logger,
      consumer: { baseUrl: sandbox.url, clientId: creds.clientId, clientSecret: creds.clientSecret, privateKey: creds.privateKey, webviewUrl: `${sandbox.url}/pin-transaction` },
      // undici: the client's default sender; axios: an HttpService as HttpModule builds it.
      http: transport === 'nestjs-axios' ? axiosSender(new HttpService(axios.create())) : undefined,
      ...overrides,
    });
  }

  beforeAll(async () => {
    creds = testCredentials();
    sandbox = await startSandbox({ port: 0, quiet: true, credentials: creds });
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  beforeEach(async () => {
    logger = capture();
    await control(sandbox, 'DELETE', '/sandbox/faults');
    await control(sandbox, 'POST', '/sandbox/reset', { tokens: true });
  });

  describe('Toko Netzme: invoices and QRIS', () => {
    it('checkout: create-transaction, poll INIT, buyer pays, poll SUCCESS, find the QRIS payment by RRN, list it', async () => {
      const c = client();
      const partnerReferenceNo = ref('ORDER');
      const created = await c.createInvoiceTransaction({ partnerReferenceNo, amount: '15000.00', payMethod: 'QRIS', expireInSecond: 600, feeType: 'on_seller' });
      expect(created.responseCode).toBe('2004700');
      expect(created.partnerReferenceNo).toBe(partnerReferenceNo);
      expect(created.additionalInfo.status).toBe(true);
      const trxId = created.additionalInfo.trxId;
      expect(trxId).toBeTruthy();

      const before = await c.getInvoiceTransaction(trxId);
      expect(before.status).toBe('INIT');
      expect(before.amount).toEqual({ value: '15000.00', currency: 'IDR' });

      const paid = await control<{ rrn?: string }>(sandbox, 'POST', `/sandbox/invoices/${trxId}/pay`, {});
      const after = await c.getInvoiceTransaction(trxId);
      expect(after.status).toBe('SUCCESS');

      expect(paid.rrn).toBeTruthy();
      const acquired = await c.getQrisAcquireTransaction({ rrn: paid.rrn! });
      expect(acquired.responseCode.startsWith('200')).toBe(true);
      expect(acquired.amount.value).toBe('15000.00');

      const today = new Date();
      const list = await c.getTransactionList({ fromDateTime: new Date(today.getTime() - 86_400_000), toDateTime: new Date(today.getTime() + 60_000) });
      expect(list.responseCode.startsWith('200')).toBe(true);
      expect(Array.isArray(list.detailData)).toBe(true);
      expect(list.detailData.length).toBeGreaterThanOrEqual(1);
    });

    it('a repeated partnerReferenceNo is a definite DUPLICATE_REFERENCE (409xx01), and creates nothing', async () => {
      const c = client();
      const partnerReferenceNo = ref('ORDER');
      await c.createInvoiceTransaction({ partnerReferenceNo, amount: '1000.00', payMethod: 'QRIS' });
      const err = await caught(c.createInvoiceTransaction({ partnerReferenceNo, amount: '1000.00', payMethod: 'QRIS' }));
      expect(err).toMatchObject({ category: 'DUPLICATE_REFERENCE', outcome: 'definite', httpStatus: 409, caseCode: '01' });
      expect((await state(sandbox)).invoices.filter((i) => i.partnerReferenceNo === partnerReferenceNo)).toHaveLength(1);
    });

    it('create invoice (not yet bound to a method) and create invoice QR MPM (inferred page)', async () => {
      const c = client();
      const invoice = await c.createInvoice({ partnerReferenceNo: ref('INV'), amount: '25000.00', payMethods: ['QRIS'], additionalInfo: { fullname: 'Test Buyer' } });
      expect(invoice.responseCode).toBe('2000000');
      expect(invoice.additionalInfo.invoiceId).toMatch(/^NETZ-INV-/);
      const qr = await c.createInvoiceQrMpm({ partnerReferenceNo: ref('MPM'), amount: '5000.00', terminalId: 'A01' });
      expect(qr.responseCode.startsWith('200')).toBe(true);
      expect(qr.qrContent).toMatch(/^0002/);
    });
  });

  describe('Toko Netzme: merchant, PIN and withdrawals', () => {
    it('balance detail and merchant detail', async () => {
      const c = client();
      const balance = await c.getBalanceDetail();
      expect(balance.responseCode).toBe('2001100');
      expect(balance.accountInfo.map((a) => a.balanceType)).toEqual(['totalBalance', 'settledBalance']);
      const merchant = (await state(sandbox)).merchants.find((m) => m.merchantId === creds.merchantId)!;
      const detail = await c.getMerchantDetail({ phoneNo: merchant.phoneNo });
      expect(detail.additionalInfo.custIdMerchant).toBe(creds.merchantId);
      const unknown = await caught(c.getMerchantDetail({ phoneNo: '080000000000' }));
      expect(unknown).toMatchObject({ category: 'FORBIDDEN', outcome: 'definite', responseCode: '4030818' });
    });

    it('create pin (same PIN accepted, a different one refused) and forgot pin (then rate-limited)', async () => {
      const c = client();
      expect((await c.createPin(creds.merchantPin!)).responseCode).toBe('2000000');
      const other = await caught(c.createPin('999999'));
      expect(other).toMatchObject({ category: 'BAD_REQUEST', outcome: 'definite' });
      const forgot = await c.forgotPin();
      expect(forgot.responseCode).toBe('2000000');
      const again = await caught(c.forgotPin());
      expect(again).toMatchObject({ category: 'RATE_LIMITED', outcome: 'definite', caseCode: '04' });
      expect(await requestCount(sandbox, '/api/v1.0/merchant/forgot-pin')).toBe(2);
    });

    it('withdraw: inquiry, process, information while pending, completion, information after', async () => {
      const c = client();
      const inquiry = await c.withdrawInquiry();
      expect(inquiry.responseCode).toBe('2004200');
      const partnerReferenceNo = ref('WD');
      const wd = await c.withdrawProcess({ partnerReferenceNo, amount: '50000.00', beneficiary: inquiry, pin: creds.merchantPin! });
      expect(wd.responseCode.startsWith('200')).toBe(true);
      expect(wd.referenceNo).toBeTruthy();
      const pending = await c.getWithdrawInformation({ referenceNo: wd.referenceNo });
      expect(pending.latestTransactionStatus).not.toBe('00');
      await control(sandbox, 'POST', `/sandbox/withdrawals/${wd.referenceNo}/complete`, { status: 'success' });
      const done = await c.getWithdrawInformation({ referenceNo: wd.referenceNo });
      expect(done.latestTransactionStatus).toBe('00');
      expect(done.amount?.value).toBe('50000.00');
    });

    it('a wrong PIN is refused definitely, and no transfer exists', async () => {
      const c = client();
      const inquiry = await c.withdrawInquiry();
      const partnerReferenceNo = ref('WD');
      const err = await caught(c.withdrawProcess({ partnerReferenceNo, amount: '1000.00', beneficiary: inquiry, pin: '000000' }));
      expect(err.outcome).toBe('definite');
      expect(err.httpStatus).toBeGreaterThanOrEqual(400);
      expect((await state(sandbox)).transfers.filter((t) => t.partnerReferenceNo === partnerReferenceNo)).toHaveLength(0);
    });
  });

  describe('Toko Netzme: deposit', () => {
    it('top-up, balance, history, deduct and split fee, insufficient funds', async () => {
      const c = client();
      const before = await c.getDepositBalance();
      expect(before.responseCode.startsWith('200')).toBe(true);
      const topup = await c.createTopupDepositTransaction({ partnerReferenceNo: ref('TOPUP'), amount: '100000.00', payMethod: 'BANK_TRANSFER' });
      expect(topup.responseCode).toBe('2004700');
      await control(sandbox, 'POST', `/sandbox/invoices/${topup.additionalInfo.trxId}/pay`, {});
      const after = await c.getDepositBalance();
      const value = (r: typeof after) => BigInt(r.accountInfo[0].amount.value.replace('.', ''));
      expect(value(after) - value(before)).toBe(10_000_000n);

      const deduct = await c.deductDepositSplitFee({ partnerReferenceNo: ref('SALE'), amount: '20000.00', feeAmount: '500.00', sku: 'SKU-1', productName: 'Kopi', payMethod: 'BANK_TRANSFER', bankName: 'BCA', qty: 1 });
      expect(deduct.responseCode).toBe('2000000');
      const history = await c.getDepositTransactions({ fromDateTime: new Date(Date.now() - 86_400_000), toDateTime: new Date(Date.now() + 60_000) });
      expect(history.responseCode.startsWith('200')).toBe(true);
      expect(history.detailData.length).toBeGreaterThanOrEqual(1);

      await control(sandbox, 'PUT', `/sandbox/merchants/${creds.merchantId}/balances`, { depositBalance: '1.00' });
      const poor = await caught(c.deductDepositSplitFee({ partnerReferenceNo: ref('SALE'), amount: '20000.00', feeAmount: '500.00', sku: 'SKU-1', productName: 'Kopi', payMethod: 'BANK_TRANSFER', bankName: 'BCA' }));
      expect(poor).toMatchObject({ category: 'INSUFFICIENT_FUNDS', outcome: 'definite', caseCode: '14' });
    });

    it('deposit withdraw: inquiry, withdraw, information', async () => {
      const c = client();
      const inquiry = await c.depositWithdrawInquiry();
      expect(inquiry.responseCode).toBe('2004200');
      const wd = await c.depositWithdraw({ partnerReferenceNo: ref('DWD'), amount: '60000.00', beneficiary: inquiry, pin: creds.merchantPin! });
      expect(wd.responseCode.startsWith('200')).toBe(true);
      await control(sandbox, 'POST', `/sandbox/withdrawals/${wd.referenceNo}/complete`, { status: 'failed' });
      const info = await c.getDepositWithdrawInformation({ referenceNo: wd.referenceNo });
      expect(info.responseCode.startsWith('200')).toBe(true);
      expect(['06', '07']).toContain(info.latestTransactionStatus);
    });
  });

  describe('Netzme consumer side', () => {
    it('account status, balance, history, fixed top-up VA, QRIS detail and payment, upgrade, bill URL', async () => {
      const c = client();
      const custId = creds.consumer!.custId;
      const status = await c.getAccountStatus(custId);
      expect(status.responseCode).toBe('2000800');
      expect(status.additionalInfo.userStatus).toBeTruthy();
      const balance = await c.getConsumerBalance(custId);
      expect(balance.accountInfos.map((a) => a.balanceType)).toEqual(['Cash', 'Points']);
      const history = await c.getConsumerHistory({ custId, pageSize: 5 });
      expect(history.responseCode).toBe('2001200');
      const va = await c.getFixedTopupVa(custId);
      expect(va.responseCode.startsWith('200')).toBe(true);

      const invoice = await c.createInvoiceTransaction({ partnerReferenceNo: ref('ORDER'), amount: '12000.00', payMethod: 'QRIS' });
      const qrContent = invoice.additionalInfo.qrContent;
      expect(qrContent).toBeTruthy();
      const detail = await c.getQrisDetail({ custId, qrContent: qrContent! });
      expect(detail.responseCode.startsWith('200')).toBe(true);
      const payment = await c.payQris({ partnerReferenceNo: ref('PAY'), custId, qrContent: qrContent!, amount: '12000.00' });
      expect(payment.responseCode.startsWith('200')).toBe(true);

      const upgrade = await c.upgradeAccount({ custId });
      expect(upgrade.responseCode.startsWith('200')).toBe(true);

      const url = new URL(c.buildPaymentBillUrl({ userId: custId, billId: 'BILL-1', amount: '25000.00', description: 'tiket', expiredAt: new Date(Date.now() + 3_600_000) }));
      expect(url.searchParams.get('aggregatorId')).toBe(creds.clientId);
      expect(url.searchParams.get('amount')).toBe('25000');
    });
  });

  describe('access tokens', () => {
    it('one token for many calls', async () => {
      const c = client();
      await Promise.all(Array.from({ length: 50 }, () => c.getBalanceDetail()));
      await c.getDepositBalance();
      expect(await requestCount(sandbox, '/api/v1/access-token/b2b')).toBe(1);
    });

    it('Netzme expires the token: 401xx01, one refresh for 100 concurrent calls, every call succeeds', async () => {
      const c = client();
      await c.getBalanceDetail();
      await control(sandbox, 'POST', '/sandbox/tokens/expire', {});
      const results = await Promise.all(Array.from({ length: 100 }, () => c.getBalanceDetail()));
      expect(results.every((r) => r.responseCode === '2001100')).toBe(true);
      expect(await requestCount(sandbox, '/api/v1/access-token/b2b')).toBe(2);
      expect(c.diagnostics().tokenFetches.toko).toBe(2);
      expect(logger.entries.filter((e) => e.tokenRefreshed).length).toBeGreaterThanOrEqual(1);
    });

    it('a wrong client secret: 401 Unauthorized Signature, definite, not retried', async () => {
      const c = client({ clientSecret: 'ffffffffffffffffffffffffffffffff' });
      const err = await caught(c.getBalanceDetail());
      expect(err).toMatchObject({ category: 'UNAUTHORIZED', outcome: 'definite', httpStatus: 401, responseCode: '4011100' });
      expect(await requestCount(sandbox, '/api/v1.0/payment/balance-inquiry')).toBe(1);
    });

    it('a wrong private key: the token call fails with 4017300, nothing else is sent', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
      const c = client({ privateKey });
      const err = await caught(c.withdrawInquiry());
      expect(err).toMatchObject({ category: 'UNAUTHORIZED', outcome: 'definite', sent: false, responseCode: '4017300' });
      expect(await requestCount(sandbox, '/api/v1.0/emoney/bank-account-inquiry')).toBe(0);
    });

    it('refreshes before expiry from expiresIn: short-lived tokens never cause a 401', async () => {
      // 4 s tokens: the client must refresh from expiresIn (margin = half the lifetime) and wait out
      // the dying token, so that over two lifetimes no call is ever refused.
      const shortLived = await startSandbox({ port: 0, quiet: true, credentials: creds, tokenTtlSeconds: 4 });
      try {
        const c = client({ baseUrl: shortLived.url });
        const until = Date.now() + 9_000;
        while (Date.now() < until) {
          await c.getBalanceDetail();
          await new Promise((r) => setTimeout(r, 50));
        }
        const tokenCalls = await requestCount(shortLived, '/api/v1/access-token/b2b');
        expect(tokenCalls).toBeGreaterThanOrEqual(3);
        const balanceLines = logger.entries.filter((e) => e.endpoint === 'balanceDetail');
        // Calls spread over both lifetimes (not a count a slow machine could miss: about 2 s of every
        // 4 s cycle is spent waiting out the dying token).
        expect(balanceLines.length).toBeGreaterThan(5);
        expect(balanceLines.filter((e) => e.attempts !== 1 || e.tokenRefreshed)).toEqual([]);
        expect(new Set(logger.entries.filter((e) => e.endpoint === 'accessToken').map((e) => e.outcome))).toEqual(new Set(['success']));
      } finally {
        await shortLived.close();
      }
    }, 30_000);
  });

  describe('faults: timeouts and 5xx', () => {
    it('a timeout on create-transaction is an UNKNOWN outcome, not retried; re-sending the same reference proves it was accepted', async () => {
      const c = client({ timeoutMs: 400 });
      await c.getAccessToken();
      await control(sandbox, 'POST', '/sandbox/faults', { target: '/api/v1.0/invoice/create-transaction', mode: 'timeout', delayMs: 2_000 });
      const partnerReferenceNo = ref('ORDER');
      const err = await caught(c.createInvoiceTransaction({ partnerReferenceNo, amount: '10000.00', payMethod: 'QRIS' }));
      expect(err).toMatchObject({ category: 'TIMEOUT', outcome: 'unknown', sent: true, partnerReferenceNo });
      expect(await requestCount(sandbox, '/api/v1.0/invoice/create-transaction')).toBe(1);
      // The sandbox did create it: exactly why a timeout must not be treated as a failure.
      expect((await state(sandbox)).invoices.filter((i) => i.partnerReferenceNo === partnerReferenceNo)).toHaveLength(1);
      const again = await caught(c.createInvoiceTransaction({ partnerReferenceNo, amount: '10000.00', payMethod: 'QRIS' }));
      expect(again.category).toBe('DUPLICATE_REFERENCE');
      expect((await state(sandbox)).invoices.filter((i) => i.partnerReferenceNo === partnerReferenceNo)).toHaveLength(1);
    });

    it('a 5xx after processing on withdraw process is UNKNOWN, never retried: one transfer only', async () => {
      const c = client();
      const inquiry = await c.withdrawInquiry();
      await control(sandbox, 'POST', '/sandbox/faults', { target: '/api/v1.0/emoney/transfer-bank', mode: 'error', afterProcessing: true });
      const partnerReferenceNo = ref('WD');
      const err = await caught(c.withdrawProcess({ partnerReferenceNo, amount: '10000.00', beneficiary: inquiry, pin: creds.merchantPin! }));
      expect(err).toMatchObject({ category: 'SERVER_ERROR', outcome: 'unknown', httpStatus: 500 });
      expect(await requestCount(sandbox, '/api/v1.0/emoney/transfer-bank')).toBe(1);
      const again = await caught(c.withdrawProcess({ partnerReferenceNo, amount: '10000.00', beneficiary: inquiry, pin: creds.merchantPin! }, { externalId: err.externalId }));
      expect(again.category).toBe('DUPLICATE_REFERENCE');
      expect((await state(sandbox)).transfers.filter((t) => t.partnerReferenceNo === partnerReferenceNo)).toHaveLength(1);
    });

    it('a refused connection on create-transaction is a definite NETWORK failure: nothing was sent, not retried', async () => {
      // A valid token from the sandbox, shared through the store, so the money call itself is refused.
      const tokenStore = new InMemoryTokenStore();
      await client({ tokenStore }).getAccessToken();
      const c = client({ tokenStore, baseUrl: `http://127.0.0.1:${await closedPort()}` });
      const partnerReferenceNo = ref('ORDER');
      const err = await caught(c.createInvoiceTransaction({ partnerReferenceNo, amount: '10000.00', payMethod: 'QRIS' }));
      expect(err).toMatchObject({ category: 'NETWORK', outcome: 'definite', sent: false, networkCode: 'ECONNREFUSED', attempts: 1, partnerReferenceNo });
      expect(logger.entries.filter((e) => e.endpoint === 'createInvoiceTransaction')).toMatchObject([{ outcome: 'definite', attemptResults: ['ECONNREFUSED'] }]);
    });

    it('a dropped connection on deduct deposit is UNKNOWN and not retried', async () => {
      const c = client();
      await control(sandbox, 'POST', '/sandbox/faults', { target: '/api/v1.0/merchant/payment-notif', mode: 'drop' });
      const err = await caught(c.deductDepositSplitFee({ partnerReferenceNo: ref('SALE'), amount: '1000.00', feeAmount: '10.00', sku: 's', productName: 'p', payMethod: 'BANK_TRANSFER', bankName: 'BCA' }));
      expect(err).toMatchObject({ category: 'NETWORK', outcome: 'unknown' });
      expect(await requestCount(sandbox, '/api/v1.0/merchant/payment-notif')).toBe(1);
    });

    it('reads are retried with backoff through 5xx and timeouts, under the same X-EXTERNAL-ID', async () => {
      const c = client({ timeoutMs: 300 });
      await control(sandbox, 'POST', '/sandbox/faults', { target: '/api/v1.0/payment/balance-inquiry', mode: 'error', count: 1 });
      await control(sandbox, 'POST', '/sandbox/faults', { target: '/api/v1.0/payment/balance-inquiry', mode: 'timeout', beforeProcessing: true, delayMs: 1_000, count: 1 });
      const res = await c.getBalanceDetail();
      expect(res.responseCode).toBe('2001100');
      const line = logger.entries.find((e) => e.endpoint === 'balanceDetail')!;
      expect(line).toMatchObject({ attempts: 3, attemptResults: ['5001100', 'TIMEOUT', '2001100'], outcome: 'success' });
      expect(await requestCount(sandbox, '/api/v1.0/payment/balance-inquiry')).toBe(3);
    });

    it('a read that keeps failing gives up after maxAttempts with an unknown outcome', async () => {
      const c = client();
      await control(sandbox, 'POST', '/sandbox/faults', { target: '/api/v1.0/deposit/balance-inquiry', mode: 'error', count: 5 });
      const err = await caught(c.getDepositBalance());
      expect(err).toMatchObject({ category: 'SERVER_ERROR', outcome: 'unknown', attempts: 3 });
      expect(await requestCount(sandbox, '/api/v1.0/deposit/balance-inquiry')).toBe(3);
    });
  });

  it('logs one line per call (token call included), without secrets', async () => {
    const c = client();
    await c.getConsumerHistory({ custId: creds.consumer!.custId, pageSize: 3, seqId: 0 });
    await c.createInvoiceTransaction({ partnerReferenceNo: ref('ORDER'), amount: 1000000n, payMethod: 'QRIS', expireInSecond: 900, commissionPercentage: 0 });
    expect(logger.entries.map((e) => e.endpoint)).toEqual(['accessToken', 'consumerHistory', 'createInvoiceTransaction']);
    expect(logger.entries.every((e) => typeof e.durationMs === 'number' && e.clientId === creds.clientId)).toBe(true);
    expect(JSON.stringify(logger.entries)).not.toContain(creds.clientSecret);
  });
});
