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
