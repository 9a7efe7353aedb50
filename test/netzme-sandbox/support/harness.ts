import { hashPin } from '@app/snap';
import { startSandbox, testCredentials, type SandboxOptions, type StartedSandbox } from '../../../apps/netzme-sandbox/src/sandbox';
import { control, NetzmeCaller, type Answer } from './netzme-http';
import { CallbackReceiver } from './receiver';

export interface Harness {
  sandbox: StartedSandbox;
  receiver: CallbackReceiver;
  netzme: NetzmeCaller;
  merchantId: string;
  control(method: string, path: string, body?: unknown): Promise<Answer>;
  state(): Promise<Record<string, any>>;
  /** Wait until no callback delivery is in flight. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** A sandbox on a random port with the fixed test credentials and a callback receiver. */
export async function startHarness(options: SandboxOptions = {}): Promise<Harness> {
  const receiver = await new CallbackReceiver().start();
  const sandbox = await startSandbox({
    port: 0,
    quiet: true,
    credentials: testCredentials(),
    callbackBaseUrl: `${receiver.url}/callbacks/netzme`,
    callbackRetry: { attempts: 3, backoffMs: 40 },
    ...options,
  });
  const call = (method: string, path: string, body?: unknown) => control(sandbox.url, method, path, body);
  return {
    sandbox,
    receiver,
    netzme: new NetzmeCaller(sandbox.url, sandbox.credentials),
    merchantId: sandbox.credentials.merchantId,
    control: call,
    state: async () => (await call('GET', '/sandbox/state')).body,
    flush: async () => {
      await call('POST', '/sandbox/callbacks/flush');
    },
    close: async () => {
      await sandbox.close();
      await receiver.stop();
    },
  };
}

export function amount(value: string): { value: string; currency: string } {
  return { value, currency: 'IDR' };
}

/**
 * One sandbox for the enclosing `describe`, started before its tests, closed after them, and reset
 * before each test (the callback receiver also cleared with `clearCallbacks`). Returns the harness
 * itself: its fields are read from the started sandbox when a test uses them.
 */
export function useHarness(options: SandboxOptions = {}, each: { clearCallbacks?: boolean } = {}): Harness {
  let started: Harness | undefined;
  const current = (): Harness => {
    if (!started) {
      throw new Error('useHarness: the sandbox is only there inside hooks and tests');
    }
    return started;
  };
  beforeAll(async () => {
    started = await startHarness(options);
  });
  afterAll(() => started?.close());
  beforeEach(async () => {
    await current().control('POST', '/sandbox/reset', {});
    if (each.clearCallbacks) {
      current().receiver.clear();
    }
  });
  return new Proxy({} as Harness, { get: (_target, key) => Reflect.get(current(), key) });
}

/** The test merchant's withdraw PIN hash (T3: clientId + custIdMerchant + PIN). */
export function merchantPinHash(h: Harness): string {
  return hashPin(h.sandbox.credentials.clientId, h.merchantId, h.sandbox.credentials.merchantPin!);
}

/** A T27 Withdraw Process body to the test merchant's registered account (Netzme's own example account). */
export function transferBody(h: Harness, partnerReferenceNo: string, value: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    partnerReferenceNo,
    customerNumber: h.merchantId,
    amount: amount(value),
    beneficiaryAccountName: 'Warung Sandbox',
    beneficiaryAccountNumber: '2288996060',
    beneficiaryBankName: 'BTPN SYARIAH',
    beneficiaryBankCode: '547',
    additionalInfo: { type: 'submit_withdraw', pin: merchantPinHash(h) },
    ...overrides,
  };
}
