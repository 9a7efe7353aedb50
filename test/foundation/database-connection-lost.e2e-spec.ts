import { createConnection, createServer, Server, Socket } from 'node:net';
import { createTestDatabase, TestDatabase } from '../support/database';
import { CHECKOUT_KEY, startTestGateway, TestGateway } from '../support/gateway';

/**
 * A TCP relay between the gateway and the run's PostgreSQL that can be cut: `down()` closes every
 * relayed connection and closes the port (connections refused), `up()` listens on it again.
 */
class CuttableRelay {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => {
      const upstream = createConnection(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

describe('Database outage: 503, not 500, and recovery', () => {
  let db: TestDatabase;
  let relay: CuttableRelay;
  let gateway: TestGateway;
  const headers = { Authorization: `Bearer ${CHECKOUT_KEY}`, 'Content-Type': 'application/json' };
  const createOrder = (merchantOrderId: string) =>
    fetch(`${gateway.url}/orders`, { method: 'POST', headers, body: JSON.stringify({ merchantOrderId, amount: '15000.00' }) });

  beforeAll(async () => {
    db = await createTestDatabase('outage');
    const real = new URL(db.url);
    relay = new CuttableRelay({ host: real.hostname, port: Number(real.port) });
    await relay.up();
    const relayed = new URL(db.url);
    relayed.port = String(relay.port);
    gateway = await startTestGateway({ db: { ...db, url: relayed.toString() } });
  }, 120_000);

  afterAll(async () => {
    await relay?.up().catch(() => undefined);
    await gateway?.close();
    await relay?.down();
    await db?.drop();
  });

  it('answers 503 DATABASE_UNAVAILABLE while the database is unreachable, and works again after it is back', async () => {
    const before = await fetch(`${gateway.url}/orders/5b0e6a4c-3f0e-4f7e-9a51-0d7f0d3c8c11`, { headers });
    expect(before.status).toBe(404);

    await relay.down();
    const down = await createOrder('outage-1');
    const body = (await down.json()) as { statusCode: number; code: string; message: string };
    expect(down.status).toBe(503);
    expect(body).toMatchObject({ statusCode: 503, code: 'DATABASE_UNAVAILABLE' });
    expect(body.message).toMatch(/Send the same request again/);
    expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
    const read = await fetch(`${gateway.url}/orders/5b0e6a4c-3f0e-4f7e-9a51-0d7f0d3c8c11`, { headers });
    expect(read.status).toBe(503);

    await relay.up();
    // The pool reconnects on its own: the first requests may still meet a dead pooled connection.
    let status = 0;
    for (let i = 0; i < 100 && status !== 404; i++) {
      status = (await fetch(`${gateway.url}/orders/5b0e6a4c-3f0e-4f7e-9a51-0d7f0d3c8c11`, { headers })).status;
      expect([404, 503]).toContain(status);
      if (status !== 404) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(404);
  }, 120_000);
});
