import { Injectable, Logger } from '@nestjs/common';
import { OrderSyncService } from '../invoice/order-sync.service';
import { CallbackInboxService, FinishInput } from './callback-inbox.service';
import { findNul, jsonDepth } from '../common/input-limits';
import { MAX_CALLBACK_JSON_DEPTH } from './callback-intake';
import { CallbackKind, checkPayload } from './callback-kinds';
import { readCallbackAmounts } from './callback-money';
import { CallbackOwnersService, OwnerResult } from './callback-owners.service';
import type { NetzmeCallback } from './netzme-callback.entity';

/** How long a callback waits before it is confirmed again when Netzme could not be asked or the record was busy. */
export const CONFIRM_RETRY_MS = 5_000;

/** A route result: finished (recorded in the inbox), or to be confirmed again later. */
export type RouteResult = FinishInput | { status: 'retry'; owner: string; subjectId?: string | null; reason: string };

/** Back-off of the re-apply job after an apply threw (attempt 1, 2, ...); the last step repeats. */
export const REAPPLY_BACKOFF_MS = [1_000, 5_000, 30_000, 120_000, 600_000];

export function reapplyDelay(attempts: number): number {
  return REAPPLY_BACKOFF_MS[Math.min(Math.max(attempts - 1, 0), REAPPLY_BACKOFF_MS.length - 1)];
}

type Json = Record<string, unknown>;

/**
 * Applies a stored callback through the module that owns it, and records the outcome. The owners'
 * functions are the same ones their schedulers use, and they are idempotent, so applying a callback
 * twice (a crash between apply and record, an admin re-apply) changes nothing the second time.
 */
@Injectable()
export class CallbackProcessorService {
  private readonly logger = new Logger('Callbacks');

  constructor(
    private readonly inbox: CallbackInboxService,
    private readonly orders: OrderSyncService,
    private readonly owners: CallbackOwnersService,
  ) {}

  /** Apply and record; never throws (a failure is recorded for the re-apply job). */
  async applyStored(callback: Pick<NetzmeCallback, 'id' | 'kind' | 'rawBody' | 'attempts'>, payload?: Json): Promise<RouteResult | { status: 'failed'; reason: string }> {
    try {
      const body = payload ?? this.parseStored(callback.kind, callback.rawBody);
      const result = typeof body === 'string' ? ({ status: 'anomaly', owner: null, reason: body } as const) : await this.route(callback.kind, body, callback.id);
      if (result.status === 'retry') {
        // Not a failure: Netzme could not confirm yet, or the record was busy. Kept "received" for the re-apply job.
        // 5 s at first, then backing off like a failed apply while Netzme stays unreachable.
        await this.inbox.postpone(callback.id, result.owner, result.subjectId ?? null, result.reason, Math.max(CONFIRM_RETRY_MS, reapplyDelay(callback.attempts)));
        this.logger.log(`callback ${callback.id} (${callback.kind}): ${result.reason}`);
        return result;
      }
      await this.inbox.finish(callback.id, result);
      if (result.status === 'anomaly') {
        this.logger.warn(`callback ${callback.id} (${callback.kind}) is an anomaly: ${result.reason}`);
      }
      return result;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.logger.error(`callback ${callback.id} (${callback.kind}) could not be applied, will retry: ${message}`);
      await this.inbox.fail(callback.id, message, reapplyDelay(callback.attempts)).catch(() => undefined);
      return { status: 'failed', reason: message };
    }
  }

  /** A stored body read again (re-apply): its intake rules still hold; a string is why it cannot be applied. */
  private parseStored(kind: CallbackKind, raw: string): Json | string {
    if (jsonDepth(raw) > MAX_CALLBACK_JSON_DEPTH) {
      return `nested more than ${MAX_CALLBACK_JSON_DEPTH} levels deep: kept as text, never applied`;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return 'not JSON: kept as text, never applied';
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      return 'not a JSON object: never applied';
    }
    if (findNul(body, 'body') !== undefined) {
      return 'contains NUL characters (\\u0000): stored escaped, never applied';
    }
    const check = checkPayload(kind, body as Json);
    return check.ok ? (body as Json) : `malformed: ${check.field} is missing`;
  }

  /**
   * Which module decides, and what its answer means for the inbox row. Money moves only on what
   * Netzme's status calls say (the owners ask them); a callback's own amounts are read strictly
   * and only ever used to refuse.
   */
  async route(kind: CallbackKind, payload: Json, callbackId: string): Promise<RouteResult> {
    if (kind === 'invoice-paid' || kind === 'qris-paid' || kind === 'qris-paid-snap' || kind === 'withdrawal-status') {
      const amounts = readCallbackAmounts(payload);
      if (!amounts.ok) {
        return { status: 'anomaly', owner: null, reason: `unreadable amount, not a payment: ${amounts.reason}` };
      }
    }
    switch (kind) {
      case 'invoice-paid': {
        // Every invoice of ours (checkout order or deposit top-up) is the invoice module's.
        const invoice = await this.orders.confirmPaymentNotification('invoice', payload, { callbackId });
        return invoice.outcome === 'not-mine' ? { status: 'anomaly', owner: null, reason: `unknown invoice: ${invoice.reason}` } : fromOwner(invoiceOwner(invoice.purpose), invoice, invoice.orderId);
      }
      case 'qris-paid':
      case 'qris-paid-snap': {
        const invoice = await this.orders.confirmPaymentNotification('qris', payload, { callbackId });
        if (invoice.outcome !== 'not-mine') {
          return fromOwner(invoiceOwner(invoice.purpose), invoice, invoice.orderId);
        }
        const info = (payload.additionalInfo ?? {}) as Json;
        if (typeof info.invoiceNumber === 'string' && info.invoiceNumber !== '') {
          return { status: 'anomaly', owner: null, reason: `QRIS payment of unknown invoice ${info.invoiceNumber}` };
        }
        // Payment to the merchant's static QRIS: money in, but no order to settle. Kept for reconciliation.
        return { status: 'recorded', owner: null, reason: 'static QRIS payment (no invoice)' };
      }
      case 'withdrawal-status': {
        const type = String(((payload.additionalInfo ?? {}) as Json).type ?? '');
        if (type === 'submit_withdraw') {
          const owner = this.owners.withdrawals();
          return owner ? fromOwner('withdrawal', await owner.applyStatusNotification(payload)) : { status: 'pending_owner', owner: 'withdrawal', reason: 'the withdrawal module is not available yet' };
        }
        if (type === 'submit_withdraw_deposit') {
          const owner = this.owners.depositWithdrawals();
          return owner ? fromOwner('deposit', await owner.applyWithdrawalNotification(payload)) : { status: 'pending_owner', owner: 'deposit', reason: 'the deposit module is not available yet' };
        }
        return { status: 'anomaly', owner: null, reason: `unknown withdrawal notification type "${type}"` };
      }
      case 'qris-payment':
      case 'bill-paid':
      case 'account-upgrade':
        // Consumer-side notifications: no module of this gateway keeps those records yet.
        return { status: 'recorded', owner: null, reason: 'no module owns this notification; kept in the inbox' };
    }
  }
}

/** `additionalInfo.apiSource = topup_deposit`: how a top-up invoice is created (T21); echoed by some senders. */
/** The owner recorded on the callback row: top-ups were the deposit module's before the invoice engine took them, and admins filter by it. */
function invoiceOwner(purpose: string | undefined): string {
  return purpose === 'DEPOSIT_TOPUP' ? 'deposit' : 'invoice';
}

function fromOwner(owner: string, result: Pick<OwnerResult, 'reason'> & { outcome: OwnerResult['outcome'] | 'retry' }, subjectId?: string): RouteResult {
  // Owners may name the record they touched (withdrawalId, depositId, ...): keep it for admins.
  const named = Object.entries(result as Record<string, unknown>).find(([key, value]) => key.endsWith('Id') && typeof value === 'string');
  const subject = subjectId ?? (named ? (named[1] as string) : null);
  switch (result.outcome) {
    case 'retry':
      return { status: 'retry', owner, subjectId: subject, reason: result.reason ?? 'confirming later' };
    case 'applied':
      return { status: 'applied', owner, subjectId: subject, reason: result.reason ?? null };
    case 'duplicate':
      return { status: 'duplicate', owner, subjectId: subject, reason: result.reason ?? null };
    case 'anomaly':
      return { status: 'anomaly', owner, subjectId: subject, reason: result.reason ?? 'the owner refused it' };
    case 'not-mine':
      return { status: 'anomaly', owner: null, subjectId: subject, reason: result.reason ?? 'no record matches this notification' };
  }
}
