import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, amount, type Harness } from './support/harness';
import { eventually, ref } from './support/netzme-http';

const LAUNCHER = join(__dirname, '..', '..', 'scripts', 'sandbox-cli.cjs');
const COMPILED = join(__dirname, '..', '..', 'dist', 'apps', 'netzme-sandbox', 'src', 'cli.js');
/** Every command the CLI must have: one per control route family. */
const COMMANDS = [
  'pay',
  'expire',
  'qris-pay',
  'complete',
  'balances',
  'bill',
  'upgrade',
  'consumer-balance',
  'expire-token',
  'fault',
  'faults',
  'clear-faults',
  'callbacks',
  'flush',
  'state',
  'credentials',
  'reset',
];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `npm run sandbox -- ...` (scripts/sandbox-cli.cjs, what the npm script runs) as a child process
 * against a running sandbox: where it finds the sandbox, its help, and its commands.
 */
describe('Netzme sandbox - CLI', () => {
  let h: Harness;
  let cwd: string;

  beforeAll(async () => {
    h = await startHarness();
    cwd = mkdtempSync(join(tmpdir(), 'sandbox-cli-'));
  });
  afterAll(async () => {
    await h.close();
    rmSync(cwd, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await h.control('POST', '/sandbox/reset', {});
    h.receiver.clear();
    rmSync(join(cwd, '.env'), { force: true });
  });

  /** Runs in an empty folder with only PATH and what the test sets (no SANDBOX_* from the outside). */
  function cli(args: string[], env: Record<string, string> = { SANDBOX_PORT: String(h.sandbox.port) }): Promise<Run> {
    return new Promise((resolve) => {
      execFile(process.execPath, [LAUNCHER, ...args], { cwd, env: { PATH: process.env.PATH, ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
    });
  }
  const json = (run: Run) => JSON.parse(run.stdout);

  it('--help lists every command with a one-line description, and each command explains itself', async () => {
    const list = await cli(['--help']);
    expect(list.code).toBe(0);
    for (const command of COMMANDS) {
      expect(list.stdout).toMatch(new RegExp(`^  ${command} +\\S.+$`, 'm'));
    }
    for (const command of COMMANDS) {
      const one = await cli([command, '--help']);
      expect(one).toMatchObject({ code: 0 });
      expect(one.stdout).toMatch(new RegExp(`^usage: npm run sandbox -- ${command}( |$)`, 'm'));
    }
    const unknown = await cli(['pay-everyone']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command: pay-everyone');
  });

  it('finds the sandbox by SANDBOX_PORT, by SANDBOX_PORT in .env, and SANDBOX_URL wins over both', async () => {
    expect(json(await cli(['credentials'])).merchantId).toBe(h.merchantId);

    writeFileSync(join(cwd, '.env'), `# local settings\nSANDBOX_PORT=${h.sandbox.port}\n`);
    expect(json(await cli(['credentials'], {})).merchantId).toBe(h.merchantId);

    writeFileSync(join(cwd, '.env'), 'SANDBOX_PORT=1\n');
    expect(json(await cli(['credentials'], { SANDBOX_URL: h.sandbox.url })).merchantId).toBe(h.merchantId);
    const unreachable = await cli(['credentials'], {});
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('cannot reach the sandbox at http://127.0.0.1:1');
  });

  it('does not rewrite the compiled CLI when it is newer than the source', async () => {
    await cli(['--help']);
    expect(existsSync(COMPILED)).toBe(true);
    const before = statSync(COMPILED).mtimeMs;
    await cli(['--help']);
    expect(statSync(COMPILED).mtimeMs).toBe(before);
  });

  it('pays an invoice and a static QRIS, sets balances and expires the token', async () => {
    const partnerReferenceNo = ref('CLI');
    await h.netzme.call('/api/v1.0/invoice/create-transaction', {
      custIdMerchant: h.merchantId,
      partnerReferenceNo,
      amount: amount('15000.00'),
      payMethod: 'QRIS',
      expireInSecond: '600',
    });
    const paid = await cli(['pay', partnerReferenceNo, '--issuer', 'OVO']);
    expect(paid.code).toBe(0);
    expect(json(paid)).toMatchObject({ partnerReferenceNo, status: 'SUCCESS' });
    expect((await h.state()).qrisPayments[0]).toMatchObject({ issuerName: 'OVO' });
    expect((await cli(['pay', partnerReferenceNo])).code).toBe(1); // already paid: 409, the command fails

    expect(json(await cli(['qris-pay', '25000.00']))).toMatchObject({ amount: '25000.00', mdrAmount: '175.00' });
    await eventually(async () => h.receiver.on('qris-paid').length === 1);

    expect(json(await cli(['balances', '--settled', '5000.00', '--total', '6000.00']))).toMatchObject({
      merchantId: h.merchantId,
      settledBalance: '5000.00',
      totalBalance: '6000.00',
    });
    expect(json(await cli(['balances', h.merchantId]))[h.merchantId]).toMatchObject({ settledBalance: '5000.00' });
    const badAmount = await cli(['balances', '--settled', '5,000']);
    expect(badAmount.code).toBe(2);
    expect(badAmount.stderr).toContain('--settled must be a decimal amount');

    await h.netzme.token();
    expect(json(await cli(['expire-token']))).toEqual({ expired: [h.sandbox.credentials.clientId] });
    expect((await h.state()).tokens).toEqual([]);
  });

  it('sends consumer bills and upgrade decisions, and adds and clears faults', async () => {
    const custId = h.sandbox.credentials.consumer!.custId;
    expect(json(await cli(['bill', '10000.00', '--bill-id', 'BILL-CLI-1']))).toMatchObject({ custId, billId: 'BILL-CLI-1' });
    await eventually(async () => h.receiver.on('bill-paid').length === 1);

    expect(json(await cli(['upgrade', 'G7tKXzoD', 'rejected', '--reason', 'KTP blur']))).toMatchObject({ custId: 'G7tKXzoD', status: 'rejected' });
    const upgrade = await eventually(async () => h.receiver.on('account-upgrade')[0]);
    expect(JSON.parse(upgrade.body)).toMatchObject({ status: 'rejected', additionalInfo: { rejectReasons: ['KTP blur'] } });
    expect(json(await cli(['consumer-balance', 'G7tKXzoD', '--cash', '1.50']))).toMatchObject({ cash: '1.50' });

    expect(json(await cli(['fault', '/api/v1.0/emoney/transfer-bank', 'error', '2']))).toMatchObject({ mode: 'error', count: 2, remaining: 2 });
    expect(json(await cli(['faults'])).active).toHaveLength(1);
    expect(json(await cli(['clear-faults']))).toEqual({ removed: 1 });
    const badFault = await cli(['fault', '/x', 'explode']);
    expect(badFault.code).toBe(1); // refused by the sandbox (400), message printed
    expect(badFault.stdout).toContain('mode');
  });
});
