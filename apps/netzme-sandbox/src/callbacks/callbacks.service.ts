import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { jakartaTimestamp, signAsymmetric, type CallbackPayloads } from '@app/snap';
import { ClientsService } from '../auth/clients.service';
import { TimersService } from '../common/timers.service';
import { SANDBOX_OPTIONS, type CallbackAuth, type InvoiceCallbackReference, type ResolvedSandboxOptions } from '../config/sandbox-options';
import { FaultsService, type CallbackKind, type Fault, type FaultMode } from '../faults/faults.service';
import { pruneLog } from '../state/retention';

export interface CallbackAttempt {
  attempt: number;
  at: string;
  durationMs: number;
  /** HTTP status the partner answered with (absent when nothing came back). */
  httpStatus?: number;
  responseBody?: string;
  error?: string;
  /** Set when a fault decided this attempt's fate. */
  fault?: FaultMode;
}

export type CallbackStatus = 'pending' | 'delivered' | 'failed' | 'dropped' | 'not-configured';

/** Every callback the sandbox sent (or was told not to send), with every attempt and answer. */
export interface CallbackRecord {
  id: string;
  kind: CallbackKind;
  clientId: string;
  /** What the callback is about: trxId, withdrawal referenceNo, custId, … */
  subject: string;
  url?: string;
  auth: CallbackAuth;
  body: string;
  /** Headers of the last attempt; the callback token is shown shortened. */
  headers: Record<string, string>;
  status: CallbackStatus;
  attempts: CallbackAttempt[];
  createdAt: string;
  deliveredAt?: string;
  fault?: { id: number; mode: FaultMode };
  /** Set on the second copy sent by a `duplicate` fault. */
  duplicateOf?: string;
}

export interface CallbackConfigUpdate {
  baseUrl?: string | null;
  urls?: Partial<Record<CallbackKind, string | null>>;
  auth?: CallbackAuth;
  clientId?: string;
  invoiceReference?: InvoiceCallbackReference;
}

const MAX_RESPONSE_CHARS = 2000;

/**
 * Netzme -> partner notifications: POST the payload to `<baseUrl>/<kind>` (or a URL set per kind),
 * authenticated with `x-callback-token` (docs/netzme-protocol.md §1.9) or, for `qris-paid-snap`, Netzme's SNAP
 * asymmetric signature (§1.8). Anything but HTTP 200 is retried with exponential back-off; every
 * attempt and answer is recorded. Callback faults: `drop` (not sent), `duplicate` (sent twice at
 * once), `delay` (sent after delayMs), `error` (first attempt counted as failed without sending),
 * `timeout` (first attempt sent but its answer ignored, as if it never came: the partner sees a retry).
 */
@Injectable()
export class CallbacksService implements OnApplicationShutdown {
  private readonly logger = new Logger('NetzmeSandbox');
  private readonly records: CallbackRecord[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private abort = new AbortController();
  private nextId = 1;
  private baseUrl?: string;
  private urls: Partial<Record<CallbackKind, string>> = {};
  private readonly authByClient = new Map<string, CallbackAuth>();
  private invoiceRef: InvoiceCallbackReference;

  constructor(
    @Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions,
    private readonly clients: ClientsService,
    private readonly faults: FaultsService,
    private readonly timers: TimersService,
  ) {
    this.baseUrl = options.callbackBaseUrl?.replace(/\/+$/, '');
    this.invoiceRef = options.invoiceCallbackReference;
  }

  /** What the invoice payment callback carries in originalPartnerReferenceNo (see InvoiceCallbackReference). */
  invoiceReference(): InvoiceCallbackReference {
    return this.invoiceRef;
  }

  /** Whether this client receives QRIS payments as SNAP-signed callbacks (T18) or token callbacks. */
  authFor(clientId: string): CallbackAuth {
    return this.authByClient.get(clientId) ?? this.options.callbackAuth;
  }

  configure(update: CallbackConfigUpdate): ReturnType<CallbacksService['config']> {
    if (update.baseUrl !== undefined) {
      this.baseUrl = update.baseUrl === null ? undefined : update.baseUrl.replace(/\/+$/, '');
    }
    for (const [kind, url] of Object.entries(update.urls ?? {}) as [CallbackKind, string | null][]) {
      if (url === null) {
        delete this.urls[kind];
      } else {
        this.urls[kind] = url;
      }
    }
    if (update.invoiceReference) {
      this.invoiceRef = update.invoiceReference;
    }
    if (update.auth) {
      for (const client of update.clientId ? [this.clients.get(update.clientId)] : this.clients.all()) {
        this.authByClient.set(client.clientId, update.auth);
      }
    }
    return this.config();
  }

  config(): { baseUrl?: string; urls: Partial<Record<CallbackKind, string>>; auth: Record<string, CallbackAuth>; invoiceReference: InvoiceCallbackReference } {
    return {
      invoiceReference: this.invoiceRef,
      baseUrl: this.baseUrl,
      urls: { ...this.urls },
      auth: Object.fromEntries(this.clients.all().map((c) => [c.clientId, this.authFor(c.clientId)])),
    };
  }

  urlFor(kind: CallbackKind): string | undefined {
    return this.urls[kind] ?? (this.baseUrl ? `${this.baseUrl}/${kind}` : undefined);
  }

  /** Queue a callback; delivery runs in the background. */
  send<K extends CallbackKind>(kind: K, clientId: string, payload: CallbackPayloads[K], subject: string): CallbackRecord {
    const record = this.newRecord(kind, clientId, payload, subject);
    if (!record.url) {
      record.status = 'not-configured';
      return record;
    }
    const fault = this.faults.takeForCallback(kind, record.id);
    if (fault) {
      record.fault = { id: fault.id, mode: fault.mode };
    }
    switch (fault?.mode) {
      case 'drop':
        record.status = 'dropped';
        break;
      case 'duplicate': {
        const copy = this.newRecord(kind, clientId, payload, subject);
        copy.duplicateOf = record.id;
        copy.fault = record.fault;
        this.track(this.deliver(record));
        this.track(this.deliver(copy));
        break;
      }
      case 'delay':
        this.track(this.timers.sleep(fault.delayMs).then(() => this.deliver(record)));
        break;
      default:
        this.track(this.deliver(record, fault));
    }
    return record;
  }

  list(): CallbackRecord[] {
    return this.records;
  }

  /** Resolves when no delivery is in flight (tests and the control API use it). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
    }
  }

  reset(): void {
    this.abort.abort();
    this.abort = new AbortController();
    this.records.length = 0;
    this.baseUrl = this.options.callbackBaseUrl?.replace(/\/+$/, '');
    this.urls = {};
    this.authByClient.clear();
  }

  onApplicationShutdown(): void {
    this.abort.abort();
  }

  /** Callbacks not yet delivered (persistence): a restart must not lose a payment's notification. */
  exportState(): { nextId: number; pending: CallbackRecord[] } {
    return { nextId: this.nextId, pending: this.records.filter((r) => r.status === 'pending') };
  }

  /** Resume the deliveries that were pending when the last run stopped, after the attempts already made. */
  importState(state: { nextId: number; pending: CallbackRecord[] }): void {
    this.nextId = Math.max(this.nextId, state.nextId);
    for (const record of state.pending) {
      record.url = this.urlFor(record.kind) ?? record.url; // this run's callback settings
      this.records.push(record);
      this.track(this.deliver(record, undefined, record.attempts.length + 1));
    }
  }

  private newRecord(kind: CallbackKind, clientId: string, payload: CallbackPayloads[CallbackKind], subject: string): CallbackRecord {
    const record: CallbackRecord = {
      id: `cb-${this.nextId++}`,
      kind,
      clientId,
      subject,
      url: this.urlFor(kind),
      auth: kind === 'qris-paid-snap' ? 'snap' : 'token',
      body: JSON.stringify(payload),
      headers: {},
      status: 'pending',
      attempts: [],
      createdAt: new Date().toISOString(),
    };
    this.records.push(record);
    // Retention: finished callbacks beyond the limit are forgotten, oldest first; pending ones stay.
    pruneLog(this.records, this.options.retentionMaxSettled, (r) => r.status !== 'pending');
    return record;
  }

  private track(promise: Promise<void>): void {
    const tracked = promise.catch((error: unknown) => this.logger.error(`callback delivery crashed: ${String(error)}`));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  private headersFor(record: CallbackRecord, url: URL): Record<string, string> {
    const client = this.clients.get(record.clientId);
    if (record.auth === 'snap') {
      // SNAP asymmetric signature: METHOD:relativePath:sha256(minify(body)):timestamp, signed by Netzme.
      const timestamp = jakartaTimestamp();
      const signature = signAsymmetric(client.netzmePrivateKey, { method: 'POST', path: url.pathname + url.search, body: record.body, timestamp });
      return { 'Content-Type': 'application/json', 'X-TIMESTAMP': timestamp, 'X-SIGNATURE': signature, 'X-PARTNER-ID': client.clientId };
    }
    return { 'Content-Type': 'application/json', Accept: 'application/json', 'x-callback-token': client.callbackToken };
  }

  private async deliver(record: CallbackRecord, fault?: Fault, firstAttempt = 1): Promise<void> {
    const { attempts, backoffMs } = this.options.callbackRetry;
    const url = new URL(record.url!);
    const signal = this.abort.signal;
    // A resumed delivery gets at least one more attempt, even if the last run had used them all up.
    for (let n = firstAttempt; n <= Math.max(attempts, firstAttempt); n++) {
      if (signal.aborted) {
        return;
      }
      if (n > 1) {
        await this.timers.sleep(backoffMs * 2 ** (n - 2));
        if (signal.aborted) {
          return;
        }
      }
      const faultMode = n === 1 && (fault?.mode === 'error' || fault?.mode === 'timeout') ? fault.mode : undefined;
      const attempt = await this.attempt(record, url, n, faultMode, signal);
      if (signal.aborted) {
        return;
      }
      record.attempts.push(attempt);
      if (!this.options.quiet) {
        const outcome = attempt.httpStatus ?? attempt.error ?? 'no answer';
        process.stdout.write(
          `[netzme-sandbox] callback ${record.kind} ${record.id} attempt ${n} -> ${record.url} : ${outcome}${attempt.fault ? ` (fault ${attempt.fault})` : ''}\n`,
        );
      }
      if (attempt.httpStatus === 200 && !attempt.fault) {
        record.status = 'delivered';
        record.deliveredAt = attempt.at;
        return;
      }
    }
    record.status = 'failed';
  }

  private async attempt(record: CallbackRecord, url: URL, n: number, faultMode: FaultMode | undefined, signal: AbortSignal): Promise<CallbackAttempt> {
    const started = Date.now();
    const at = new Date(started).toISOString();
    if (faultMode === 'error') {
      return { attempt: n, at, durationMs: 0, fault: 'error', error: 'not sent: error fault (counted as a failed attempt)' };
    }
    const headers = this.headersFor(record, url);
    record.headers = { ...headers };
    if (headers['x-callback-token']) {
      record.headers['x-callback-token'] = `${headers['x-callback-token'].slice(0, 4)}…`;
    }
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: record.body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.options.callbackTimeoutMs)]),
      });
      const text = (await response.text()).slice(0, MAX_RESPONSE_CHARS);
      const result: CallbackAttempt = { attempt: n, at, durationMs: Date.now() - started, httpStatus: response.status, responseBody: text };
      if (faultMode === 'timeout') {
        result.fault = 'timeout';
        result.error = 'answer ignored: timeout fault (the partner received this attempt)';
      } else if (response.status !== 200) {
        result.error = `partner answered HTTP ${response.status}, Netzme expects 200`;
      }
      return result;
    } catch (error) {
      const message = error instanceof Error ? (error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message) : String(error);
      return { attempt: n, at, durationMs: Date.now() - started, error: message, fault: faultMode };
    }
  }
}
