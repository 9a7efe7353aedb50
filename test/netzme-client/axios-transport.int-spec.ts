import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { HttpModule, HttpService } from '@nestjs/axios';
import { Test } from '@nestjs/testing';
import { NetzmeClient, NetzmeClientModule, NetzmeError, type NetzmeCallLog } from '@app/netzme-client';
import { startSandbox, testCredentials, type SandboxCredentials, type StartedSandbox } from '../../apps/netzme-sandbox/src/sandbox';
import { sandboxClientOptions } from './support/sandbox-options';

/**
 * NetzmeClientModule with `transport: 'nestjs-axios'`: a user's own HttpModule configuration
 * (default headers, a proxy, an axios interceptor) applies to Netzme calls, and the calls still
 * carry exactly the bytes that were signed (the sandbox verifies every signature as Netzme does).
 * Between the client and the sandbox sits a small recording forward proxy, configured only through
 * `HttpModule.register({ proxy })`: what it records is what went over the wire.
 */

interface Forwarded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** An HTTP forward proxy (absolute-URI requests) that records each request and relays it. */
async function recordingProxy(): Promise<{ server: Server; port: number; seen: Forwarded[] }> {
  const seen: Forwarded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: body.toString('utf8') });
      const upstream = request(req.url!, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, seen };
}

/** What a user's app does to hook axios: an interceptor registered on the HttpService at start-up. */
@Injectable()
class TracingInterceptor implements OnModuleInit {
  readonly bodies: string[] = [];
  private next = 0;

  constructor(private readonly http: HttpService) {}

  onModuleInit(): void {
    this.http.axiosRef.interceptors.request.use((config) => {
      config.headers.set('X-Trace-Id', `trace-${++this.next}`);
      // The interceptor sees the body as the signed string, not an object axios will re-serialise.
      this.bodies.push(typeof config.data === 'string' ? config.data : `<${typeof config.data}>`);
      return config;
    });
  }
}

describe('NetzmeClientModule over @nestjs/axios (HttpModule configuration applies)', () => {
  let sandbox: StartedSandbox;
  let creds: SandboxCredentials;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;

  beforeAll(async () => {
    creds = testCredentials();
    sandbox = await startSandbox({ port: 0, quiet: true, credentials: creds });
    proxy = await recordingProxy();
  });

  afterAll(async () => {
    await new Promise((resolve) => proxy?.server.close(resolve));
    await sandbox?.close();
  });

  it('every call goes through the user HttpModule: its proxy, default header and interceptor reach the wire, signatures still verify', async () => {
    const logged: NetzmeCallLog[] = [];
    @Module({
      imports: [HttpModule.register({ headers: { 'X-Shop': 'kopi-kenangan' }, proxy: { protocol: 'http', host: '127.0.0.1', port: proxy.port } })],
      providers: [TracingInterceptor],
      exports: [HttpModule, TracingInterceptor],
    })
    class UserHttpModule {}

    const moduleRef = await Test.createTestingModule({
      imports: [
        NetzmeClientModule.forRootAsync({
          transport: 'nestjs-axios',
          imports: [UserHttpModule],
          useFactory: () => ({
            ...sandboxClientOptions(sandbox),
            timeoutMs: 5_000,
            logger: { info: (e: NetzmeCallLog) => logged.push(e), warn: (e: NetzmeCallLog) => logged.push(e) },
          }),
        }),
      ],
    }).compile();
    await moduleRef.init();
    try {
      const client = moduleRef.get(NetzmeClient);
      const partnerReferenceNo = `ORDER-AXIOS-${Date.now()}`;
      const created = await client.createInvoiceTransaction({ partnerReferenceNo, amount: '15000.00', payMethod: 'QRIS', expireInSecond: 600 });
      // Accepted by the sandbox, which recomputed the signature over the bytes it received.
      expect(created.responseCode).toBe('2004700');
      expect(created.partnerReferenceNo).toBe(partnerReferenceNo);

      const paths = proxy.seen.map((r) => `${r.method} ${new URL(r.url).pathname}`);
      expect(paths).toEqual(['POST /api/v1/access-token/b2b', 'POST /api/v1.0/invoice/create-transaction']);
      for (const r of proxy.seen) {
        expect(r.headers['x-shop']).toBe('kopi-kenangan');
        expect(r.headers['x-trace-id']).toMatch(/^trace-\d+$/);
      }
      const create = proxy.seen[1];
      // The body on the wire is the one string the interceptor saw and the client signed, byte for
      // byte as written here (key order, strings for amounts and numbers, no whitespace).
      expect(create.body).toBe(moduleRef.get(TracingInterceptor).bodies[1]);
      expect(create.body).toBe(
        `{"custIdMerchant":"${creds.merchantId}","partnerReferenceNo":"${partnerReferenceNo}","amount":{"value":"15000.00","currency":"IDR"},"amountDetail":{"basicAmount":{"value":"15000.00","currency":"IDR"},"shippingAmount":{"value":"0.00","currency":"IDR"}},"payMethod":"QRIS","expireInSecond":"600"}`,
      );
      expect(create.headers['content-length']).toBe(String(Buffer.byteLength(create.body)));
      expect(logged.map((e) => `${e.endpoint}:${e.outcome}`)).toEqual(['accessToken:success', 'createInvoiceTransaction:success']);
    } finally {
      await moduleRef.close();
    }
  });

  it('a timeout on a money call through the HttpService is an UNKNOWN outcome, exactly as with undici', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        NetzmeClientModule.forRoot({
          transport: 'nestjs-axios',
          imports: [HttpModule],
          baseUrl: sandbox.url,
          clientId: creds.clientId,
          clientSecret: creds.clientSecret,
          privateKey: creds.privateKey,
          merchantId: creds.merchantId,
          timeoutMs: 400,
          logger: false,
        }),
      ],
    }).compile();
    try {
      const client = moduleRef.get(NetzmeClient);
      await client.getAccessToken();
      await fetch(`${sandbox.url}/sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ target: '/api/v1.0/emoney/transfer-bank', mode: 'timeout', delayMs: 2_000 }),
      });
      const inquiry = await client.withdrawInquiry();
      let error: unknown;
      try {
        await client.withdrawProcess({ partnerReferenceNo: `WD-AXIOS-${Date.now()}`, amount: '10000.00', beneficiary: inquiry, pin: creds.merchantPin! });
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(NetzmeError);
      expect(error).toMatchObject({ category: 'TIMEOUT', outcome: 'unknown', sent: true, networkCode: 'TIMEOUT', attempts: 1 });
    } finally {
      await fetch(`${sandbox.url}/sandbox/faults`, { method: 'DELETE' });
      await moduleRef.close();
    }
  });

  it("transport 'nestjs-axios' without an HttpModule in imports fails at start-up with the fix in the message", async () => {
    await expect(
      Test.createTestingModule({
        imports: [
          NetzmeClientModule.forRoot({
            transport: 'nestjs-axios',
            baseUrl: sandbox.url,
            clientId: 'c',
            clientSecret: 'secret-0123456789',
            privateKey: creds.privateKey,
            merchantId: 'M_1',
            logger: false,
          }),
        ],
      }).compile(),
    ).rejects.toThrow(/add HttpModule .* to forRootAsync\(\{ imports \}\)/);
  });
});
