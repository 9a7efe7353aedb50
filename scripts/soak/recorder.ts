import type { Prng } from './prng';
import type { Gateway, SoakContext } from './soak';

/** What one idempotent request is about: its identity (merchantOrderId or Idempotency-Key) and its body. */
export interface Identity {
  kind: string;
  id: string;
  bodyHash: string;
}

/** Every request the soak sent to a gateway, and what came back. */
export interface RequestRecord {
  n: number;
  gateway: string;
  method: string;
  path: string;
  startedAt: number;
  endedAt: number;
  /** HTTP status, or 0 when no answer came (connection refused/reset, timeout). */
  status: number;
  error?: string;
  code?: string;
  /** The id of the record answered (order, withdrawal, top-up, split fee), on 2xx. */
  answeredId?: string;
  answeredStatus?: string;
  identity?: Identity;
  body?: unknown;
  idempotencyKey?: string;
  replayable?: boolean;
}

export interface CallResult {
  ok: boolean;
  status: number;
  json: any;
}

export interface CallOptions {
  key: string;
  body?: unknown;
  idempotencyKey?: string;
  identity?: Identity;
  /** Re-sent with the same key in the settle phase, to learn the answer a crash or fault lost. */
  replayable?: boolean;
}

const REQUEST_TIMEOUT_MS = 60_000;

export class Recorder {
  readonly requests: RequestRecord[] = [];
  readonly harnessErrors: string[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  private readonly orderIds: string[] = [];
  sample400?: string;

  constructor(private readonly ctx: SoakContext) {}

  async call(gw: Gateway, method: string, path: string, options: CallOptions): Promise<CallResult> {
    const record: RequestRecord = {
      n: this.requests.length + 1,
      gateway: gw.name,
      method,
      path,
      startedAt: Date.now(),
      endedAt: 0,
      status: 0,
      identity: options.identity,
      body: options.body,
      idempotencyKey: options.idempotencyKey,
      replayable: options.replayable,
    };
    this.requests.push(record);
    const headers: Record<string, string> = { Authorization: `Bearer ${options.key}` };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
    try {
      const res = await fetch(`${gw.url}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await res.text();
      record.status = res.status;
      record.endedAt = Date.now();
      let json: any = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = { raw: text.slice(0, 200) };
      }
      if (res.status < 300 && json?.id) {
        record.answeredId = json.id;
        record.answeredStatus = json.status;
        if (path === '/orders' && !this.orderIds.includes(json.id)) this.orderIds.push(json.id);
      } else if (json?.code) {
        record.code = json.code;
      }
      this.ctx.stats[`http.${res.status}`] = (this.ctx.stats[`http.${res.status}`] ?? 0) + 1;
      if (res.status >= 300) {
        // Which route answered what (ids replaced), so a surprising count is easy to trace.
        const route = `${method} ${path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id')} ${res.status} ${record.code ?? ''}`.trim();
        this.ctx.stats[`route.${route}`] = (this.ctx.stats[`route.${route}`] ?? 0) + 1;
        if (res.status === 400 && !this.sample400) this.sample400 = JSON.stringify(json).slice(0, 300);
      }
      return { ok: res.status < 300, status: res.status, json };
    } catch (error) {
      record.endedAt = Date.now();
      record.error = error instanceof Error ? `${error.name}: ${(error.cause as Error | undefined)?.message ?? error.message}` : String(error);
      this.ctx.stats['http.noAnswer'] = (this.ctx.stats['http.noAnswer'] ?? 0) + 1;
      return { ok: false, status: 0, json: null };
    }
  }

  /** Run `fn` after `ms` without holding up the caller (a buyer who pays later). */
  later(ms: number, fn: () => Promise<void>): void {
    const p = new Promise<void>((resolve) => setTimeout(resolve, ms))
      .then(fn)
      .catch((error) => this.harnessError(error))
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  async drainLater(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  randomOrderId(rng: Prng): string | undefined {
    return this.orderIds.length === 0 ? undefined : rng.pick(this.orderIds);
  }

  harnessError(error: unknown): void {
    this.harnessErrors.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
}
