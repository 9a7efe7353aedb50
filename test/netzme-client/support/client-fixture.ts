import { createServer } from 'node:net';
import { HttpService } from '@nestjs/axios';
import axios from 'axios';
import { axiosSender, NetzmeClient, NetzmeError, type NetzmeCallLog, type NetzmeClientOptions, type NetzmeHttpTransport } from '@app/netzme-client';
import { startSandbox, testCredentials, type SandboxCredentials, type StartedSandbox } from '../../../apps/netzme-sandbox/src/sandbox';
import { sandboxClientOptions } from './sandbox-options';

/** What the client-against-sandbox specs share: sandbox control, failure capture, and a client per transport. */

export type Sandbox = StartedSandbox;

export async function control<T = Record<string, unknown>>(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<T> {
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

export const state = (s: Sandbox) => control<SandboxState>(s, 'GET', '/sandbox/state');

/** Requests the sandbox counted for one path (its stats live under `stats.requests`). */
export async function requestCount(s: Sandbox, path: string): Promise<number> {
  const snapshot = (await state(s)) as SandboxState & Record<string, unknown>;
  const requests = snapshot.stats?.requests ?? snapshot.requests ?? {};
  return requests[path] ?? 0;
}

export function capture() {
  const entries: NetzmeCallLog[] = [];
  return { entries, info: (e: NetzmeCallLog) => entries.push(e), warn: (e: NetzmeCallLog) => entries.push(e) };
}

export async function caught(p: Promise<unknown>): Promise<NetzmeError> {
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
export const ref = (prefix: string) => `${prefix}-${Date.now()}-${++seq}`;

/** A local port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface SandboxClientFixture {
  readonly sandbox: Sandbox;
  readonly creds: SandboxCredentials;
  /** The log lines of this test's clients. */
  readonly logger: ReturnType<typeof capture>;
  /** A client of the sandbox (Toko and consumer side) over `transport`, with short timeouts and retry pauses. */
  client(overrides?: Partial<NetzmeClientOptions>): NetzmeClient;
}

/**
 * One sandbox for the enclosing `describe` (its faults cleared and its state and tokens reset before
 * each test), and clients of it over `transport`: undici (the client's default sender) or an
 * HttpService as HttpModule builds it.
 */
export function useSandboxClient(transport: NetzmeHttpTransport): SandboxClientFixture {
  let sandbox: Sandbox | undefined;
  let creds: SandboxCredentials | undefined;
  let logger = capture();
  beforeAll(async () => {
    creds = testCredentials();
    sandbox = await startSandbox({ port: 0, quiet: true, credentials: creds });
  });
  afterAll(async () => {
    await sandbox?.close();
  });
  beforeEach(async () => {
    logger = capture();
    await control(sandbox!, 'DELETE', '/sandbox/faults');
    await control(sandbox!, 'POST', '/sandbox/reset', { tokens: true });
  });
  return {
    get sandbox(): Sandbox {
      return sandbox!;
    },
    get creds(): SandboxCredentials {
      return creds!;
    },
    get logger() {
      return logger;
    },
    client(overrides: Partial<NetzmeClientOptions> = {}): NetzmeClient {
      const c = creds!;
      return new NetzmeClient({
        ...sandboxClientOptions(sandbox!),
        timeoutMs: 5_000,
        retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
        logger,
        consumer: {
          baseUrl: sandbox!.url,
          clientId: c.clientId,
          clientSecret: c.clientSecret,
          privateKey: c.privateKey,
          webviewUrl: `${sandbox!.url}/pin-transaction`,
        },
        http: transport === 'nestjs-axios' ? axiosSender(new HttpService(axios.create())) : undefined,
        ...overrides,
      });
    },
  };
}
