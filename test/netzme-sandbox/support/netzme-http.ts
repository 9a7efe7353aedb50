import { request as httpRequest } from 'node:http';
import { jakartaTimestamp, newExternalId, signAccessTokenRequest, signSymmetric } from '@app/snap';
import type { SandboxCredentials } from '../../../apps/netzme-sandbox/src/sandbox';

/**
 * A deliberately small, independent Netzme caller for the contract tests: it signs with the shared
 * primitives of libs/snap (themselves checked against Netzme's published vectors), not with the
 * sandbox's code, and lets a test drop or spoil any header.
 */
export interface Answer<T = Record<string, any>> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CallOptions {
  method?: 'POST' | 'GET';
  token?: string;
  timestamp?: string;
  externalId?: string;
  /** Header overrides; `undefined` removes the header. */
  headers?: Record<string, string | undefined>;
  /** Sign this text instead of the body actually sent (to prove the HMAC covers the body). */
  signBody?: string;
  secret?: string;
  consumer?: boolean;
}

export class NetzmeCaller {
  private cachedToken?: string;

  constructor(
    readonly baseUrl: string,
    readonly credentials: SandboxCredentials,
  ) {}

  async requestToken(overrides: { headers?: Record<string, string | undefined>; body?: string; path?: string } = {}): Promise<Answer> {
    const timestamp = jakartaTimestamp();
    const headers: Record<string, string | undefined> = {
      'Content-Type': 'application/json',
      'X-TIMESTAMP': timestamp,
      'X-CLIENT-KEY': this.credentials.clientId,
      'X-SIGNATURE': signAccessTokenRequest(this.credentials.privateKey, this.credentials.clientId, timestamp),
      ...overrides.headers,
    };
    return this.raw('POST', overrides.path ?? '/api/v1/access-token/b2b', overrides.body ?? '{"grantType":"client_credentials","additionalInfo":{}}', headers);
  }

  async token(): Promise<string> {
    if (!this.cachedToken) {
      const answer = await this.requestToken();
      if (answer.status !== 200) {
        throw new Error(`token request failed: ${answer.status} ${JSON.stringify(answer.body)}`);
      }
      this.cachedToken = answer.body.accessToken as string;
    }
    return this.cachedToken;
  }

  forgetToken(): void {
    this.cachedToken = undefined;
  }

  /** Headers of a transactional call, signed per docs/netzme-protocol.md §1.7. */
  signedHeaders(method: string, path: string, body: string, token: string, options: CallOptions = {}): Record<string, string | undefined> {
    const timestamp = options.timestamp ?? jakartaTimestamp();
    const signature = signSymmetric(options.secret ?? this.credentials.clientSecret, {
      method,
      path,
      accessToken: token,
      body: options.signBody ?? body,
      timestamp,
    });
    const headers: Record<string, string | undefined> = {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${token}`,
      'X-TIMESTAMP': timestamp,
      'X-SIGNATURE': signature,
      'X-PARTNER-ID': this.credentials.clientId,
      'X-EXTERNAL-ID': options.externalId ?? newExternalId(),
      'CHANNEL-ID': '95221',
    };
    if (options.consumer) {
      headers['X-CLIENT-SECRET'] = this.credentials.clientSecret;
    }
    return { ...headers, ...options.headers };
  }

  /** A signed call; `body` is sent byte for byte (objects are JSON.stringify'd once). */
  async call(path: string, body: unknown, options: CallOptions = {}): Promise<Answer> {
    const method = options.method ?? 'POST';
    const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    const token = options.token ?? (await this.token());
    return this.raw(method, path, text, this.signedHeaders(method, path, text, token, options));
  }

  async raw(method: string, path: string, body: string, headers: Record<string, string | undefined>): Promise<Answer> {
    const clean: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) {
      if (v !== undefined) {
        clean[k] = v;
      }
    }
    if (method === 'GET' && body !== '') {
      return getWithBody(this.baseUrl + path, clean, body);
    }
    const response = await fetch(this.baseUrl + path, { method, headers: clean, body: method === 'GET' ? undefined : body });
    const text = await response.text();
    let parsed: any;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { text };
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }
}

/** fetch() refuses a GET with a body; Netzme documents one (N6), so use node:http for it. */
function getWithBody(url: string, headers: Record<string, string>, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'GET', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const responseHeaders = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (typeof v === 'string') {
            responseHeaders.set(k, v);
          }
        }
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), headers: responseHeaders });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Control API helper (no Netzme auth). */
export async function control(baseUrl: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(baseUrl + path, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {}, headers: response.headers };
}

/** Poll until `check` returns a truthy value (callbacks are delivered in the background). */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 5000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

let refCounter = 0;
export function ref(prefix = 'REF'): string {
  return `${prefix}-${Date.now()}-${++refCounter}`;
}
