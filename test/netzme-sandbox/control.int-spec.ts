import { transformFileSync } from '@swc/core';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startSandbox, testCredentials } from '../../apps/netzme-sandbox/src/sandbox';
import { amount, useHarness } from './support/harness';
import { ref } from './support/netzme-http';

/** Control API: credentials, state, reset, balances, callback settings, request counters, the CLI. */
describe('Netzme sandbox - control API', () => {
  const h = useHarness();

  it('GET /sandbox/credentials serves the development credentials', async () => {
    const answer = await h.control('GET', '/sandbox/credentials');
    // The credentials, plus the private key in the format Netzme issues (bare base64 PKCS#1).
    const { privateKeyBase64Pkcs1, ...rest } = answer.body;
    expect(rest).toEqual(testCredentials());
    expect(privateKeyBase64Pkcs1).toMatch(/^MII[A-Za-z0-9+/]+={0,2}$/);
    expect(answer.body.clientSecret).toMatch(/^[0-9a-f]{32}$/);
    expect(Buffer.from(answer.body.callbackToken, 'base64')).toHaveLength(32);
    expect(answer.body.merchantId).toMatch(/^M_[A-Za-z0-9]{8}$/);
  });

  it('generates credentials on first start and keeps them under dataDir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sandbox-creds-'));
    const first = await startSandbox({ port: 0, quiet: true, dataDir });
    await first.close();
    const second = await startSandbox({ port: 0, quiet: true, dataDir });
    await second.close();
    expect(second.credentials).toEqual(first.credentials);
    expect(first.credentials.clientSecret).toMatch(/^[0-9a-f]{32}$/);
    expect(first.credentials.merchantId).toMatch(/^M_[A-Za-z0-9]{8}$/);
    expect(Buffer.from(first.credentials.callbackToken, 'base64')).toHaveLength(32);
    expect(first.credentials.privateKey).toContain('BEGIN PRIVATE KEY');
    expect(first.credentials.netzmePublicKey).toContain('BEGIN PUBLIC KEY');
  });

  it('counts requests per path and keeps tokens across a reset unless asked', async () => {
    const token = await h.netzme.token();
    await h.netzme.call('/api/v1.0/payment/balance-inquiry', { partnerReferenceNo: ref('B'), accountNo: h.merchantId });
    await h.netzme.call('/api/v1.0/payment/balance-inquiry', { partnerReferenceNo: ref('B'), accountNo: h.merchantId });
    let state = await h.state();
    expect(state.requests['/api/v1.0/payment/balance-inquiry']).toBe(2);
    expect(state.tokens).toEqual([expect.objectContaining({ clientId: h.sandbox.credentials.clientId })]);

    await h.control('POST', '/sandbox/reset', {});
    state = await h.state();
    expect(state.requests).toEqual({});
    expect((await h.netzme.call('/api/v1.0/payment/balance-inquiry', { partnerReferenceNo: ref('B'), accountNo: h.merchantId }, { token })).status).toBe(200);

    await h.control('POST', '/sandbox/reset', { tokens: true });
    expect(
      (await h.netzme.call('/api/v1.0/payment/balance-inquiry', { partnerReferenceNo: ref('B'), accountNo: h.merchantId }, { token })).body.responseCode,
    ).toBe('4011101');
    h.netzme.forgetToken();
  });

  it('reset empties invoices, transfers, callbacks and faults, and restores the seed balances', async () => {
    await h.netzme.call('/api/v1.0/invoice/create-transaction', {
      custIdMerchant: h.merchantId,
      partnerReferenceNo: 'R-1',
      amount: amount('1000.00'),
      payMethod: 'QRIS',
    });
    await h.control('POST', '/sandbox/invoices/R-1/pay');
    await h.control('POST', '/sandbox/faults', { target: 'invoice-paid', mode: 'drop' });
    await h.control('POST', '/sandbox/reset', {});
    const state = await h.state();
    expect(state.invoices).toEqual([]);
    expect(state.transfers).toEqual([]);
    expect(state.callbacks).toEqual([]);
    expect(state.faults.active).toEqual([]);
    expect(state.balances[h.merchantId]).toEqual({ totalBalance: '1500000.00', settledBalance: '1000000.00', depositBalance: '500000.00' });
    // The same reference may be used again after a reset.
    expect(
      (
        await h.netzme.call('/api/v1.0/invoice/create-transaction', {
          custIdMerchant: h.merchantId,
          partnerReferenceNo: 'R-1',
          amount: amount('1000.00'),
          payMethod: 'QRIS',
        })
      ).body.responseCode,
    ).toBe('2004700');
  });

  it('PUT /sandbox/merchants/:id/balances takes decimal strings only', async () => {
    const ok = await h.control('PUT', `/sandbox/merchants/${h.merchantId}/balances`, { settledBalance: '12.50' });
    expect(ok.body).toMatchObject({ settledBalance: '12.50', totalBalance: '1500000.00' });
    const inquiry = await h.netzme.call('/api/v1.0/emoney/bank-account-inquiry', { custIdMerchant: h.merchantId, partnerReferenceNo: ref('I') });
    expect(inquiry.body.amount).toEqual(amount('12.50'));
    expect((await h.control('PUT', `/sandbox/merchants/${h.merchantId}/balances`, { settledBalance: 12.5 })).status).toBe(400);
    expect((await h.control('PUT', `/sandbox/merchants/${h.merchantId}/balances`, { settledBalance: '1e3' })).status).toBe(400);
    expect((await h.control('PUT', '/sandbox/merchants/M_NOBODY01/balances', { settledBalance: '1.00' })).status).toBe(404);
  });

  it('PUT /sandbox/callbacks validates kinds and auth', async () => {
    expect((await h.control('PUT', '/sandbox/callbacks', { urls: { 'no-such-kind': 'http://x' } })).status).toBe(404);
    expect((await h.control('PUT', '/sandbox/callbacks', { auth: 'password' })).status).toBe(400);
    const answer = await h.control('PUT', '/sandbox/callbacks', { urls: { 'bill-paid': 'http://127.0.0.1:1/bill' } });
    expect(answer.body.urls).toEqual({ 'bill-paid': 'http://127.0.0.1:1/bill' });
    expect(answer.body.baseUrl).toBe(`${h.receiver.url}/callbacks/netzme`);
  });

  it('answers control errors as {statusCode, message}', async () => {
    const answer = await h.control('POST', '/sandbox/withdrawals/nothing/complete', { status: 'success' });
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ statusCode: 404, message: expect.stringContaining('nothing') });
    expect((await h.control('POST', '/sandbox/withdrawals/nothing/complete', { status: 'maybe' })).status).toBe(400);
  });

  it('the CLI pays, expires and completes over HTTP (SANDBOX_URL)', async () => {
    // cli.ts has no local imports: compile it on the fly so the test does not depend on dist/.
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-cli-'));
    const cli = join(dir, 'cli.js');
    writeFileSync(
      cli,
      transformFileSync(join(__dirname, '../../apps/netzme-sandbox/src/cli.ts'), {
        swcrc: false,
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
      }).code,
    );
    const run = (...args: string[]) => promisify(execFile)(process.execPath, [cli, ...args], { env: { ...process.env, SANDBOX_URL: h.sandbox.url } });

    await h.netzme.call('/api/v1.0/invoice/create-transaction', {
      custIdMerchant: h.merchantId,
      partnerReferenceNo: 'CLI-1',
      amount: amount('1000.00'),
      payMethod: 'QRIS',
    });
    await h.netzme.call('/api/v1.0/invoice/create-transaction', {
      custIdMerchant: h.merchantId,
      partnerReferenceNo: 'CLI-2',
      amount: amount('1000.00'),
      payMethod: 'QRIS',
    });
    const paid = await run('pay', 'CLI-1');
    expect(JSON.parse(paid.stdout)).toMatchObject({ partnerReferenceNo: 'CLI-1', status: 'SUCCESS' });
    expect(JSON.parse((await run('expire', 'CLI-2')).stdout)).toMatchObject({ status: 'CLOSED' });
    await expect(run('pay', 'CLI-2')).rejects.toMatchObject({ code: 1 });
    await expect(run('bogus')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('usage') }); // 2: a usage error
  });
});
