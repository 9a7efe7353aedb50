import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Order, ORDER_COLUMNS, orderFromRow } from './order.entity';
import { ALLOWED_FROM, isTerminal, OrderStatus, TransitionSource } from './order-status';

/** Fields a writer may set together with a status change (or while the status stays the same). */
export type OrderPatch = Partial<
  Pick<
    Order,
    | 'netzmeInvoiceId'
    | 'netzmeTrxId'
    | 'qrImage'
    | 'qrContent'
    | 'paymentUrl'
    | 'virtualAccounts'
    | 'expiresAt'
    | 'paidAt'
    | 'paidAmountMinor'
    | 'feeMinor'
    | 'netAmountMinor'
    | 'paymentDetails'
    | 'failureCode'
    | 'failureMessage'
    | 'statusReason'
    | 'needsReview'
    | 'netzmeHasReference'
    | 'nextPollAt'
    | 'leaseUntil'
    | 'lastPolledAt'
  >
>;

const JSON_PROPS = new Set<keyof Order>(['virtualAccounts', 'paymentDetails', 'customer']);

export interface TransitionChange {
  patch?: OrderPatch;
  source: TransitionSource;
  /** E.g. the callback id that proved the payment. */
  sourceRef?: string | null;
  reason?: string | null;
  /** Amount seen by the writer, kept in the history row. */
  amountMinor?: bigint | null;
}

export interface TransitionResult {
  /** True when this call moved the order; false when it was not in an allowed-from status. */
  changed: boolean;
  /** The order after the change (changed) or null (not changed: read it again if needed). */
  order: Order | null;
  previousStatus?: OrderStatus;
}

/** pg returns `[rows, count]` for UPDATE/DELETE through TypeORM and plain rows otherwise. */
export function rowsOf(result: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as Array<Record<string, unknown>>;
  }
  return result as Array<Record<string, unknown>>;
}

/**
 * The one place where orders change. Every writer (the create call, Netzme callbacks, the poller,
 * admin refreshes) goes through `transition`, a single SQL statement that locks the row, moves it
 * only if its current status is in the allowed-from list, and writes the history row — so racing
 * writers change an order at most once and terminal states never change.
 */
@Injectable()
export class OrderStateService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async transition(orderId: string, to: OrderStatus, change: TransitionChange, manager: EntityManager = this.db.manager): Promise<TransitionResult> {
    const allowedFrom = ALLOWED_FROM[to];
    if (allowedFrom.length === 0) {
      return { changed: false, order: null };
    }
    const params: unknown[] = [orderId, to, allowedFrom, change.source, change.sourceRef ?? null, change.reason ?? null, change.amountMinor?.toString() ?? null];
    const patch: OrderPatch = { ...change.patch };
    if (isTerminal(to)) {
      // Nothing left to poll or to own once final.
      patch.nextPollAt = null;
      patch.leaseUntil = null;
    }
    const sets = ['status = $2', ...this.setClauses(patch, params), 'updated_at = now()'];
    const rows = rowsOf(
      await manager.query(
        `WITH prev AS (SELECT id, status FROM orders WHERE id = $1 FOR UPDATE),
         moved AS (
           UPDATE orders o SET ${sets.join(', ')}
           FROM prev WHERE o.id = prev.id AND prev.status = ANY($3::text[])
           RETURNING o.*, prev.status AS previous_status),
         hist AS (
           INSERT INTO order_status_history (order_id, from_status, to_status, source, source_ref, reason, amount_minor)
           SELECT id, previous_status, status, $4, $5, $6, $7 FROM moved)
         SELECT * FROM moved`,
        params,
      ),
    );
    if (rows.length === 0) {
      return { changed: false, order: null };
    }
    return { changed: true, order: orderFromRow(rows[0]), previousStatus: rows[0].previous_status as OrderStatus };
  }

  /** Change fields without a status change, only while the order is in one of `whileIn`. */
  async update(orderId: string, whileIn: readonly OrderStatus[], patch: OrderPatch, manager: EntityManager = this.db.manager): Promise<Order | null> {
    const params: unknown[] = [orderId, whileIn];
    const sets = [...this.setClauses(patch, params), 'updated_at = now()'];
    const rows = rowsOf(await manager.query(`UPDATE orders SET ${sets.join(', ')} WHERE id = $1 AND status = ANY($2::text[]) RETURNING *`, params));
    return rows.length > 0 ? orderFromRow(rows[0]) : null;
  }

  async findById(id: string, manager: EntityManager = this.db.manager): Promise<Order | null> {
    const rows = rowsOf(await manager.query('SELECT * FROM orders WHERE id = $1', [id]));
    return rows.length > 0 ? orderFromRow(rows[0]) : null;
  }

  /**
   * The order a Netzme notification talks about: by invoice transaction id, invoice id, or our own
   * partnerReferenceNo (Netzme's docs and its WooCommerce plugin disagree on which id travels where).
   */
  async findByNetzmeReference(refs: { trxId?: string | null; invoiceId?: string | null; partnerReferenceNo?: string | null }): Promise<Order | null> {
    const trx = refs.trxId || null;
    const invoice = refs.invoiceId || null;
    const partner = refs.partnerReferenceNo || null;
    if (!trx && !invoice && !partner) {
      return null;
    }
    const rows = rowsOf(
      await this.db.query(
        `SELECT * FROM orders
         WHERE ($1::text IS NOT NULL AND netzme_trx_id = $1)
            OR ($2::text IS NOT NULL AND netzme_invoice_id = $2)
            OR ($3::text IS NOT NULL AND partner_reference_no = $3)
         ORDER BY (netzme_trx_id = $1) DESC NULLS LAST
         LIMIT 1`,
        [trx, invoice, partner],
      ),
    );
    return rows.length > 0 ? orderFromRow(rows[0]) : null;
  }

  private setClauses(patch: OrderPatch, params: unknown[]): string[] {
    const sets: string[] = [];
    for (const [prop, value] of Object.entries(patch) as Array<[keyof Order, unknown]>) {
      if (value === undefined) {
        continue;
      }
      const column = ORDER_COLUMNS[prop];
      if (!column) {
        throw new Error(`orders has no column for ${String(prop)}`);
      }
      params.push(toParam(prop, value));
      sets.push(`${column} = $${params.length}${JSON_PROPS.has(prop) ? '::jsonb' : ''}`);
    }
    return sets;
  }
}

function toParam(prop: keyof Order, value: unknown): unknown {
  if (value === null) {
    return null;
  }
  if (typeof value === 'bigint') {
    return value.toString();
  }
  if (JSON_PROPS.has(prop)) {
    return JSON.stringify(value);
  }
  return value;
}
