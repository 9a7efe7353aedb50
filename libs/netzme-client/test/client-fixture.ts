import { createServer } from 'node:net';
import { loadVectors, readKey } from '../../snap/test/vectors';
import { NetzmeError } from '../src/errors';
import type { NetzmeCallLog, NetzmeLogger } from '../src/logger';
import { NetzmeClient } from '../src/netzme-client';
import type { NetzmeClientOptions } from '../src/options';
import { FakeNetzme } from './fake-netzme';

/** What the NetzmeClient unit specs share: the fake Netzme, its credentials, and a client bound to it. */

export const PRIVATE_KEY = readKey('test-keys/partner-private.pem');
export const PUBLIC_KEY = readKey('test-keys/partner-public.pem');
export const CLIENT_ID = 'TokoNetmeClientId';
export const SECRET = 'f013bc2810be469790dc99773c08812e';
export const MERCHANT = 'M_TB1NMLig';
export const vectors = loadVectors();
export const vector = (name: string) => vectors.find((v) => v.name.startsWith(name))!;

export type CapturedLog = NetzmeLogger & { entries: NetzmeCallLog[] };

export function capture(): CapturedLog {
  const entries: NetzmeCallLog[] = [];
  return { entries, info: (e) => entries.push(e), warn: (e) => entries.push(e) };
}

export async function caught(p: Promise<unknown>): Promise<NetzmeError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(NetzmeError);
    return err as NetzmeError;
  }
  throw new Error('expected the call to fail');
}

export function beneficiary() {
  return { beneficiaryAccountName: 'Mariya Wise', beneficiaryAccountNumber: '2288996060', beneficiaryBankName: 'BTPN SYARIAH', beneficiaryBankCode: '547' };
}

export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export interface ClientFixture {
  /** A fresh fake Netzme per test (a test may replace it, e.g. with a slower one). */
  fake: FakeNetzme;
  /** The log lines of the test's clients. */
  readonly logger: CapturedLog;
  /** A client of the fake with short timeouts and retry pauses, logging to `logger`. */
  client(overrides?: Partial<NetzmeClientOptions>): NetzmeClient;
}

/** A fake Netzme for every test of the enclosing `describe`, started before each test and closed after it. */
export function useFakeNetzme(): ClientFixture {
  const clients: NetzmeClient[] = [];
  let fake: FakeNetzme | undefined;
  let logger = capture();
  beforeEach(async () => {
    logger = capture();
    fake = await new FakeNetzme({ clientId: CLIENT_ID, clientSecret: SECRET, publicKey: PUBLIC_KEY }).start();
  });
  afterEach(async () => {
    await fake?.close();
  });
  afterAll(() => {
    expect(clients.length).toBeGreaterThan(0);
  });
  return {
    get fake(): FakeNetzme {
      return fake!;
    },
    set fake(replacement: FakeNetzme) {
      fake = replacement;
    },
    get logger(): CapturedLog {
      return logger;
    },
    client(overrides: Partial<NetzmeClientOptions> = {}): NetzmeClient {
      const c = new NetzmeClient({
        baseUrl: fake!.url,
        clientId: CLIENT_ID,
        clientSecret: SECRET,
        privateKey: PRIVATE_KEY,
        merchantId: MERCHANT,
        timeoutMs: 2_000,
        retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
        logger,
        ...overrides,
      });
      clients.push(c);
      return c;
    },
  };
}
