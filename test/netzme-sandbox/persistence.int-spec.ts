import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCredentials, testCredentials, type SandboxCredentials } from '../../apps/netzme-sandbox/src/sandbox';
import { amount, startHarness, transferBody, type Harness } from './support/harness';
import { eventually, NetzmeCaller, ref } from './support/netzme-http';

const CREATE = '/api/v1.0/invoice/create-transaction';
const STATUS = '/api-invoice/v1.0/transaction-history-detail';

/**
 * `persist: true` (what `npm start` and `npm run start:sandbox` use): the state is written to
 * `<dataDir>/state.json` while the sandbox runs and at shutdown, and a sandbox started again on the
 * same folder carries on where the last one stopped.
 */
describe('Netzme sandbox - state kept across restarts', () => {
  let dataDir: string;
  const started: Harness[] = [];

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((h) => h.close().catch(() => undefined)));
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(credentials: SandboxCredentials = testCredentials()): Promise<Harness> {
    const h = await startHarness({ dataDir, persist: true, credentials });
    started.push(h);
    return h;
  }
  async function stop(h: Harness): Promise<void> {
    started.splice(started.indexOf(h), 1);
    await h.close();
  }
  const create = (h: Harness, partnerReferenceNo: string, expireInSecond = '600') =>
    h.netzme.call(CREATE, {
      custIdMerchant: h.merchantId,
      partnerReferenceNo,
      amount: amount('25000.00'),
      payMethod: 'QRIS',
      expireInSecond,
      additionalInfo: {},
    });

  it('orders, payments, transfers, balances and the live token survive a restart; pending ones can still settle', async () => {
    const first = await start();
    const token = await first.netzme.token();
    const open = await create(first, 'KEEP-OPEN');
    const paid = await create(first, 'KEEP-PAID');
    expect((await first.control('POST', '/sandbox/invoices/KEEP-PAID/pay', {})).status).toBe(200);
    const transfer = await first.netzme.call('/api/v1.0/emoney/transfer-bank', transferBody(first, 'KEEP-WD', '100000.00'));
    expect(transfer.body.responseCode).toBe('2004300');
    const before = await first.state();
    await stop(first);

    const file = join(dataDir, 'state.json');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600); // it holds the PIN hash and the token secret
    expect(readdirSync(dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const second = await start();
    const after = await second.state();
    expect(after.invoices).toEqual(before.invoices);
    expect(after.qrisPayments).toEqual(before.qrisPayments);
    expect(after.transfers).toEqual(before.transfers);
    expect(after.balances).toEqual(before.balances);
    expect(after.depositTransactions).toEqual(before.depositTransactions);
    expect(after.consumers).toEqual(before.consumers);

    // The gateway's token from before the restart is still the live one.
    const caller = new NetzmeCaller(second.sandbox.url, second.sandbox.credentials);
    const queried = await caller.call(
      STATUS,
      { originalPartnerReferenceNo: paid.body.additionalInfo.trxId, additionalInfo: { partnerReferenceNo: ref('Q') } },
      { token },
    );
    expect(queried.body).toMatchObject({ responseCode: '2001300', status: 'SUCCESS' });

    // The order created before the restart is paid after it: SUCCESS, callback sent, money credited.
    const pay = await second.control('POST', `/sandbox/invoices/${open.body.additionalInfo.trxId}/pay`, {});
    expect(pay.body).toMatchObject({ status: 'SUCCESS', partnerReferenceNo: 'KEEP-OPEN' });
    await eventually(async () => second.receiver.on('invoice-paid').length === 1);
    expect(Number((await second.state()).balances[second.merchantId].settledBalance)).toBe(Number(before.balances[second.merchantId].settledBalance) + 24825);
    // The transfer accepted before the restart completes after it; its reference stays a duplicate.
    expect((await second.control('POST', '/sandbox/withdrawals/KEEP-WD/complete', { status: 'success' })).body.status).toBe('SUCCESS');
    expect((await create(second, 'KEEP-PAID')).body.responseCode).toBe('4094701');
  });

  it('a payment callback not yet delivered at shutdown is delivered after the restart', async () => {
    const first = await start();
    const created = await create(first, 'CALLBACK-PENDING');
    // Hold the callback back far beyond the test: it is still pending when the sandbox stops.
    expect((await first.control('POST', '/sandbox/faults', { target: 'invoice-paid', mode: 'delay', delayMs: 600000 })).status).toBe(201);
    expect((await first.control('POST', '/sandbox/invoices/CALLBACK-PENDING/pay', {})).status).toBe(200);
    expect((await first.state()).callbacks).toEqual([expect.objectContaining({ kind: 'invoice-paid', status: 'pending' })]);
    await stop(first);
    expect(first.receiver.on('invoice-paid')).toHaveLength(0);

    const second = await start();
    const delivered = await eventually(async () => second.receiver.on('invoice-paid')[0], 15_000);
    // The partner's own reference, as Netzme's plugin reads it (docs/netzme-protocol.md §6.6).
    expect(delivered.json).toMatchObject({ originalPartnerReferenceNo: 'CALLBACK-PENDING', originalReferenceNo: created.body.additionalInfo.id });
    await eventually(async () => (await second.state()).callbacks.some((c: { status: string }) => c.status === 'delivered'));
  });

  it('writes changes while running (not only at shutdown), by replacing the file whole', async () => {
    const h = await start();
    await create(h, 'WRITTEN-1');
    const file = join(dataDir, 'state.json');
    const saved = await eventually(
      async () => existsSync(file) && readFileSync(file, 'utf8').includes('WRITTEN-1') && JSON.parse(readFileSync(file, 'utf8')),
      15_000,
      100,
    );
    expect(saved).toMatchObject({ format: 'netzme-sandbox-state', version: 1, clientId: testCredentials().clientId });
    // Amounts stay exact in the file (no floats).
    expect(JSON.stringify(saved.invoices.invoices[0].amountMinor)).toBe('{"$bigint":"2500000"}');
  });

  it('an invoice that expired while the sandbox was down is expired after the restart', async () => {
    const first = await start();
    const created = await create(first, 'EXPIRE-DOWN', '1');
    await stop(first);
    await new Promise((r) => setTimeout(r, 1500)); // let its expiry time pass while nothing runs
    const second = await start();
    const invoice = (await second.state()).invoices.find((i: { partnerReferenceNo: string }) => i.partnerReferenceNo === 'EXPIRE-DOWN');
    expect(invoice).toMatchObject({ status: 'CLOSED', trxId: created.body.additionalInfo.trxId });
    expect((await second.control('POST', '/sandbox/invoices/EXPIRE-DOWN/pay', {})).status).toBe(409);
  });

  it('does not load a state written for other credentials, and sets an unreadable file aside', async () => {
    const first = await start();
    await create(first, 'OTHER-CLIENT');
    await stop(first);
    const stranger = await start(generateCredentials());
    expect((await stranger.state()).invoices).toEqual([]);
    await stop(stranger);

    writeFileSync(join(dataDir, 'state.json'), '{"format":"netzme-sandbox-state", truncated');
    const fresh = await start();
    expect((await fresh.state()).invoices).toEqual([]);
    expect(readdirSync(dataDir).some((f) => f.startsWith('state.json.unreadable-'))).toBe(true);
  });
});
