import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { NETZME_ENDPOINTS, verifyAccessTokenRequest, verifySymmetric, type NetzmeEndpointSpec } from '@app/snap';

/**
 * A tiny stand-in for Netzme's gateway, for the client's unit tests and benchmark: it checks the
 * token request's RSA signature and every call's HMAC signature over the bytes it received (path
 * and query as received), keeps one live token per client like Netzme, and can be scripted to
 * time out, reset, answer 5xx and so on. It is not the sandbox (apps/netzme-sandbox): no business
 * state, only the HTTP behaviour the client must cope with.
 */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Scripted =
  | { kind: 'reply'; status: number; body: unknown; raw?: boolean }
  /** Never answer (the client must time out). */
  | { kind: 'hang' }
  /** Read the request, then destroy the socket without answering. */
  | { kind: 'reset' };

export interface FakeNetzmeOptions {
  clientId: string;
  clientSecret: string;
  publicKey: string;
  /** expiresIn of issued tokens, seconds. */
  tokenLifetimeSec?: number;
  /** Delay before every token answer (to widen races in tests). */
  tokenDelayMs?: number;
  /** Answer of a verified transactional call; default: success with the endpoint's service code. */
  handler?: (req: RecordedRequest, spec: NetzmeEndpointSpec | undefined) => Scripted | undefined;
  /** Skip HMAC verification (benchmark against fixed tokens). */
  verifySignatures?: boolean;
}

const pathIndex = new Map<string, NetzmeEndpointSpec>();
for (const spec of Object.values(NETZME_ENDPOINTS) as NetzmeEndpointSpec[]) {
  for (const v of spec.versions) {
    const p = spec.pathTemplate.replace('{version}', v);
    if (!pathIndex.has(p)) {
      pathIndex.set(p, spec);
    }
  }
}

export class FakeNetzme {
  url = '';
  readonly requests: RecordedRequest[] = [];
  tokenRequests = 0;
  /** Scripted answers consumed one by one by transactional calls (before the default handler). */
  readonly script: Scripted[] = [];
  private currentToken: { value: string; expiresAt: number } | null = null;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly opts: FakeNetzmeOptions) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) {
      socket.destroy();
    }
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Netzme forgets the live token (as when it expires on their side): the next token call issues a new one. */
  expireToken(): void {
    this.currentToken = null;
  }

  get liveToken(): string | null {
    return this.currentToken?.value ?? null;
  }

  /** Transactional requests (everything but the token call). */
  get calls(): RecordedRequest[] {
    return this.requests.filter((r) => !r.url.includes('/access-token/'));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const recorded: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    this.requests.push(recorded);
    if (recorded.url.includes('/access-token/b2b')) {
      return this.token(recorded, res);
    }
    const path = recorded.url.split('?')[0];
    const spec = pathIndex.get(path);
    const sc = spec?.serviceCode ?? '00';
    const scripted = this.script.shift();
    if (scripted) {
      return this.play(scripted, req, res);
    }
    const auth = String(req.headers.authorization ?? '');
    const token = auth.replace(/^bearer /i, '');
    if (!this.currentToken || token !== this.currentToken.value || Date.now() >= this.currentToken.expiresAt) {
      return this.reply(res, 401, { responseCode: `401${sc}01`, responseMessage: 'Access Token Invalid' });
    }
    if (this.opts.verifySignatures !== false) {
      const ok = verifySymmetric(
        this.opts.clientSecret,
        { method: recorded.method, path: recorded.url, accessToken: token, body: recorded.body, timestamp: String(req.headers['x-timestamp']) },
        String(req.headers['x-signature'] ?? ''),
      );
      if (!ok) {
        return this.reply(res, 401, { responseCode: `401${sc}00`, responseMessage: 'Unauthorized Signature' });
      }
    }
    const custom = this.opts.handler?.(recorded, spec);
    if (custom) {
      return this.play(custom, req, res);
    }
    let parsed: Record<string, unknown> = {};
    try {
      parsed = recorded.body ? (JSON.parse(recorded.body) as Record<string, unknown>) : {};
    } catch {
      parsed = {};
    }
    return this.reply(res, 200, {
      responseCode: `200${sc}00`,
      responseMessage: 'Successful',
      partnerReferenceNo: parsed.partnerReferenceNo,
      referenceNo: 'ref-' + randomBytes(4).toString('hex'),
    });
  }

  private async token(recorded: RecordedRequest, res: ServerResponse): Promise<void> {
    this.tokenRequests++;
    if (this.opts.tokenDelayMs) {
      await new Promise((resolve) => setTimeout(resolve, this.opts.tokenDelayMs));
    }
    const clientKey = String(recorded.headers['x-client-key'] ?? '');
    const timestamp = String(recorded.headers['x-timestamp'] ?? '');
    const signature = String(recorded.headers['x-signature'] ?? '');
    if (clientKey !== this.opts.clientId) {
      return this.reply(res, 401, { responseCode: '4010000', responseMessage: 'Invalid Client Key' });
    }
    if (!verifyAccessTokenRequest(this.opts.publicKey, clientKey, timestamp, signature)) {
      return this.reply(res, 401, { responseCode: '4017300', responseMessage: 'Invalid Token (B2B)' });
    }
    const lifetime = this.opts.tokenLifetimeSec ?? 900;
    const now = Date.now();
    if (!this.currentToken || now >= this.currentToken.expiresAt) {
      this.currentToken = { value: `tok-${randomBytes(16).toString('hex')}`, expiresAt: now + lifetime * 1000 };
    }
    // Netzme answers with the live token and its remaining lifetime.
    const remaining = Math.max(1, Math.floor((this.currentToken.expiresAt - now) / 1000));
    return this.reply(res, 200, {
      responseCode: '2007300',
      responseMessage: 'Successful',
      accessToken: this.currentToken.value,
      tokenType: 'Bearer',
      expiresIn: String(remaining),
      additionalInfo: {},
    });
  }

  private play(s: Scripted, req: IncomingMessage, res: ServerResponse): void {
    if (s.kind === 'hang') {
      return; // the client's timeout fires; close() destroys the socket
    }
    if (s.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (s.raw) {
      res.writeHead(s.status, { 'content-type': 'text/html' });
      res.end(String(s.body));
      return;
    }
    this.reply(res, s.status, s.body);
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }
}
