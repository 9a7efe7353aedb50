import { createServer, request, type Server } from 'node:http';
import type { StartedSandbox } from '../../apps/netzme-sandbox/src/sandbox';
import { CHECKOUT_KEY, startTestGateway, type TestGateway } from '../support/gateway';
import { sandboxEnv, startTestSandbox } from '../support/sandbox';

/**
 * NETZME_HTTP_TRANSPORT chooses how the gateway's Netzme calls travel. Between the gateway and the
 * sandbox sits a recording reverse proxy (NETZME_BASE_URL points at it): the User-Agent it sees
 * tells which HTTP stack sent each request (axios names itself, undici's request() does not), and
 * the sandbox behind it still verifies every signature.
 */
async function recordingReverseProxy(target: string): Promise<{ server: Server; url: string; agents: string[] }> {
  const agents: string[] = [];
  const server = createServer((req, res) => {
    agents.push(req.headers['user-agent'] ?? '');
    const upstream = request(new URL(req.url!, target), { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, agents };
}

describe('NETZME_HTTP_TRANSPORT (gateway + sandbox)', () => {
  let sandbox: StartedSandbox;
  let proxy: Awaited<ReturnType<typeof recordingReverseProxy>>;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    proxy = await recordingReverseProxy(sandbox.url);
  });

  afterAll(async () => {
    await new Promise((resolve) => proxy?.server.close(resolve));
    await sandbox?.close();
  });

  async function createOrderThrough(transport: string | undefined): Promise<string[]> {
    proxy.agents.length = 0;
    let gw: TestGateway | undefined;
    try {
      gw = await startTestGateway({
        netzme: { ...sandboxEnv(sandbox), NETZME_BASE_URL: proxy.url, ...(transport ? { NETZME_HTTP_TRANSPORT: transport } : {}) },
        env: { JOBS_ENABLED: 'false' },
      });
      const res = await fetch(`${gw.url}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${CHECKOUT_KEY}` },
        body: `{"merchantOrderId":"AXIOS-${transport ?? 'default'}-${Date.now()}","amount":"15000.00","expiresInSeconds":600}`,
      });
      const body = (await res.json()) as { status?: string; netzme?: { trxId?: string } };
      // 201 PENDING with a Netzme trxId: the sandbox accepted the token call and the signed invoice.
      expect(res.status).toBe(201);
      expect(body.status).toBe('PENDING');
      expect(body.netzme?.trxId).toBeTruthy();
      return [...proxy.agents];
    } finally {
      await gw?.close();
    }
  }

  it('axios: every Netzme call of an order goes out through axios, and the sandbox accepts the signatures', async () => {
    const agents = await createOrderThrough('axios');
    expect(agents.length).toBeGreaterThanOrEqual(2); // token + create-transaction
    expect(agents.every((a) => a.startsWith('axios/'))).toBe(true);
  }, 60_000);

  it('default (undici): the same order, no request from axios', async () => {
    const agents = await createOrderThrough(undefined);
    expect(agents.length).toBeGreaterThanOrEqual(2);
    expect(agents.some((a) => a.startsWith('axios/'))).toBe(false);
  }, 60_000);
});
