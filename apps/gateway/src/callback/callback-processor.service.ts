import { Injectable, Logger } from '@nestjs/common';
import { CallbackRepository, FinishInput } from './callback.repository';
import type { InvoicePurpose } from '../invoice';
import type { CallbackEvent, CallbackReading } from './callback-events';
import { CallbackOwnersService, OwnerResult } from './callback-owners.service';
import { readCallback } from './callback-parser';
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

/**
 * Applies a stored callback through the module that owns it, and records the outcome. The owners'
 * functions are the same ones their schedulers use, and they are idempotent, so applying a callback
 * twice (a crash between apply and record, an admin re-apply) changes nothing the second time.
 */
@Injectable()
export class CallbackProcessorService {
  private readonly logger = new Logger('Callbacks');

  constructor(
    private readonly inbox: CallbackRepository,
    private readonly owners: CallbackOwnersService,
  ) {}

  /**
   * Apply and record; never throws (a failure is recorded for the re-apply job). `reading` is the
   * event read at intake; without it (re-apply) the stored body is read again, by the same parser.
   */
  async applyStored(
    callback: Pick<NetzmeCallback, 'id' | 'kind' | 'rawBody' | 'attempts'>,
    reading?: CallbackReading,
  ): Promise<RouteResult | { status: 'failed'; reason: string }> {
    try {
      const event = reading ?? readCallback(callback.kind, callback.rawBody);
      const result = event.type === 'unreadable' ? ({ status: 'anomaly', owner: null, reason: event.reason } as const) : await this.route(event, callback.id);
      if (result.status === 'retry') {
        // Not a failure: Netzme could not confirm yet, or the record was busy. Kept "received" for the re-apply job.
        // 5 s at first, then backing off like a failed apply while Netzme stays unreachable.
        await this.inbox.postpone(
          callback.id,
          result.owner,
          result.subjectId ?? null,
          result.reason,
          Math.max(CONFIRM_RETRY_MS, reapplyDelay(callback.attempts)),
        );
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

  /**
   * Which module decides, and what its answer means for the inbox row. Money moves only on what
   * Netzme's status calls say (the owners ask them); a callback's own amounts were read strictly by
   * the parser and are only ever used to refuse.
   */
  async route(event: CallbackEvent, callbackId: string): Promise<RouteResult> {
    switch (event.type) {
      case 'invoice-paid':
      case 'qris-paid': {
        // Every invoice of ours, checkout order or deposit top-up, is the invoice module's: one owner, no fallback.
        const invoice = await this.owners.invoices().confirmPaymentNotification(event, { callbackId });
        if (invoice.outcome !== 'not-mine') {
          return fromOwner(invoiceOwner(invoice.purpose), invoice, invoice.orderId);
        }
        if (event.type === 'qris-paid' && !event.invoiceNumber) {
          // Payment to the merchant's static QRIS: money in, but no order to settle. Kept for reconciliation.
          return { status: 'recorded', owner: null, reason: 'static QRIS payment (no invoice)' };
        }
        const unknown = event.type === 'qris-paid' ? `QRIS payment of unknown invoice ${event.invoiceNumber}` : `unknown invoice: ${invoice.reason}`;
        // A top-up marker does not make it ours: top-ups are invoices too, and this one is not among them.
        return { status: 'anomaly', owner: null, reason: event.topupMarked ? `${unknown} (marked as a deposit top-up)` : unknown };
      }
      case 'withdrawal-status': {
        if (event.withdrawal === 'merchant') {
          const owner = this.owners.withdrawals();
          return owner
            ? fromOwner('withdrawal', await owner.applyStatusNotification(event))
            : { status: 'pending_owner', owner: 'withdrawal', reason: 'the withdrawal module is not available yet' };
        }
        const owner = this.owners.depositWithdrawals();
        return owner
          ? fromOwner('deposit', await owner.applyWithdrawalNotification(event))
          : { status: 'pending_owner', owner: 'deposit', reason: 'the deposit module is not available yet' };
      }
      case 'qris-payment':
      case 'bill-paid':
      case 'account-upgrade':
        // Consumer-side notifications: no module of this gateway keeps those records yet.
        return { status: 'recorded', owner: null, reason: 'no module owns this notification; kept in the inbox' };
    }
  }
}

/** The owner recorded on the callback row: top-ups were the deposit module's before the invoice engine took them, and admins filter by it. */
function invoiceOwner(purpose: InvoicePurpose | undefined): string {
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
