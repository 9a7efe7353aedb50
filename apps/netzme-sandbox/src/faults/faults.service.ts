import { Inject, Injectable } from '@nestjs/common';
import { CALLBACK_KIND_LIST, isCallbackKind, type CallbackKind } from '@app/snap';
import { normalizePath } from '../common/netzme-paths';
import { SANDBOX_OPTIONS, type ResolvedSandboxOptions } from '../config/sandbox-options';
import { pruneLog } from '../state/retention';

export const FAULT_MODES = ['timeout', 'error', 'drop', 'duplicate', 'delay'] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

/**
 * The callback kinds a fault can target and the path segment appended to the callback base URL:
 * invoice-paid (T15), qris-paid (T16/T17), qris-paid-snap (T18), withdrawal-status (T19),
 * qris-payment (N13), bill-paid (N15), account-upgrade (N17). Shared with the client via @app/snap.
 */
export const CALLBACK_KINDS: readonly CallbackKind[] = CALLBACK_KIND_LIST;
export type { CallbackKind };
export { isCallbackKind };

export interface FaultSpec {
  target: string;
  mode: FaultMode;
  count?: number;
  delayMs?: number;
  /** timeout only: hang without processing the request. */
  beforeProcessing?: boolean;
  /** error only: process the request, then answer 500 anyway. */
  afterProcessing?: boolean;
}

export interface Fault {
  id: number;
  /** As given; requests are matched on its normalised form (no version segment, no query). */
  target: string;
  matchKey: string;
  kind: 'request' | 'callback';
  mode: FaultMode;
  count: number;
  remaining: number;
  delayMs: number;
  beforeProcessing: boolean;
  afterProcessing: boolean;
  createdAt: string;
}

/** One application of a fault, kept for `/sandbox/state` so tests can see what happened. */
export interface FaultEvent {
  faultId: number;
  mode: FaultMode;
  target: string;
  /** Request path or callback id the fault hit. */
  subject: string;
  at: string;
  note?: string;
}

const DEFAULT_DELAY_MS: Record<FaultMode, number> = { timeout: 30000, delay: 2000, error: 0, drop: 0, duplicate: 0 };

/**
 * Deliberate misbehaviour, deterministic given its settings: each fault hits the next `count`
 * matching requests or callbacks, and faults are consulted in the order they were added (the
 * first one with hits left wins).
 */
@Injectable()
export class FaultsService {
  private faults: Fault[] = [];
  private readonly log: FaultEvent[] = [];
  private nextId = 1;

  constructor(@Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions) {}

  add(spec: FaultSpec): Fault {
    const kind = isCallbackKind(spec.target) ? 'callback' : 'request';
    const count = spec.count ?? 1;
    const fault: Fault = {
      id: this.nextId++,
      target: spec.target,
      matchKey: kind === 'callback' ? spec.target : normalizePath(spec.target),
      kind,
      mode: spec.mode,
      count,
      remaining: count,
      delayMs: spec.delayMs ?? DEFAULT_DELAY_MS[spec.mode],
      beforeProcessing: spec.beforeProcessing === true,
      afterProcessing: spec.afterProcessing === true,
      createdAt: new Date().toISOString(),
    };
    this.faults.push(fault);
    return fault;
  }

  clear(): number {
    const removed = this.faults.length;
    this.faults = [];
    return removed;
  }

  reset(): void {
    this.clear();
    this.log.length = 0;
  }

  /** Consume one hit of the first fault matching this request path, if any. */
  takeForRequest(path: string): Fault | undefined {
    if (this.faults.length === 0) {
      return undefined; // the common case, kept cheap
    }
    return this.take('request', normalizePath(path), path);
  }

  takeForCallback(kind: CallbackKind, callbackId: string): Fault | undefined {
    return this.take('callback', kind, callbackId);
  }

  record(fault: Fault, subject: string, note?: string): void {
    this.log.push({ faultId: fault.id, mode: fault.mode, target: fault.target, subject, at: new Date().toISOString(), note });
    pruneLog(this.log, this.options.retentionMaxSettled); // retention: the oldest events go first
  }

  active(): Fault[] {
    return this.faults.filter((f) => f.remaining > 0);
  }

  events(): FaultEvent[] {
    return [...this.log];
  }

  private take(kind: Fault['kind'], key: string, subject: string): Fault | undefined {
    const fault = this.faults.find((f) => f.kind === kind && f.remaining > 0 && f.matchKey === key);
    if (fault) {
      fault.remaining--;
      this.record(fault, subject);
    }
    return fault;
  }
}
