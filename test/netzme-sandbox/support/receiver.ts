import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCallback {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  at: number;
}

/**
 * A tiny partner: records every callback and answers with whatever the test scripts
 * (default HTTP 200 `{"responseCode":"2000000","responseMessage":"Successful"}`).
 */
export class CallbackReceiver {
  readonly received: ReceivedCallback[] = [];
  /** Statuses to answer with, in order; when empty: 200. */
  answers: number[] = [];
  private server?: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {
          json = undefined;
        }
        this.received.push({ path: req.url ?? '', headers: req.headers, body, json, at: Date.now() });
        const status = this.answers.shift() ?? 200;
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify(
            status === 200 ? { responseCode: '2000000', responseMessage: 'Successful' } : { responseCode: `${status}0000`, responseMessage: 'nope' },
          ),
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  on(kind: string): ReceivedCallback[] {
    return this.received.filter((r) => r.path.endsWith(`/${kind}`));
  }

  clear(): void {
    this.received.length = 0;
    this.answers = [];
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
