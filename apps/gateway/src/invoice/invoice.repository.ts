import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { blankOrder, Order, ORDER_COLUMNS, orderFromRow } from './order.entity';
import { ALLOWED_FROM, INVOICE_OPEN_STATUSES, InvoicePurpose, InvoiceStatus, isTerminal } from './invoice-state';
import { preparedQuery, rowsOf } from '../database/prepared-query';
import { claimDue } from '../database/claim-due';
import type { OrderStatusHistory } from './order-status-history.entity';
import type { NewOrder, OrderListFilter, OrderLocator, OrderPatch, TransitionChange, TransitionOptions, TransitionResult } from './invoice-records';
import { Counter, MetricsService } from '../observability/metrics.service';

/** The shapes this repository takes and returns (see invoice-records.ts). */
export type { NewOrder, OrderListFilter, OrderLocator, OrderPatch, TransitionChange, TransitionOptions, TransitionResult } from './invoice-records';

const JSON_PROPS = new Set<keyof Order>(['virtualAccounts', 'paymentDetails', 'customer']);

/** A transition statement ready to run. */
interface PendingStatement {
  sql: string;
  params: unknown[];
  /** Builds the changed order when the statement returns only what Postgres set (see `copy`). */
  build?: (row: Record<string, unknown>) => Order;
}

/**
 * The order a set of Netzme ids points at, most specific first: the invoice transaction id, then the
 * invoice id, then our own partnerReferenceNo. Each is one unique-index probe; a null id matches nothing.
 */
const REFERENCE_LOOKUP = (trx: number, invoice: number, partner: number) =>
  `COALESCE((SELECT id FROM orders WHERE netzme_trx_id = $${trx}::text),
            (SELECT id FROM orders WHERE netzme_invoice_id = $${invoice}::text ORDER BY created_at LIMIT 1),
            (SELECT id FROM orders WHERE partner_reference_no = $${partner}::text))`;

/**
 * The tail of every transition statement: the history row for the order the `moved` step changed
 * (none when it changed nothing), from the parameters `baseParams` lays out, and the moved row.
 */
const HISTORY_OF_MOVED = `hist AS (
           INSERT INTO order_status_history (order_id, from_status, to_status, source, source_ref, reason, amount_minor)
           SELECT id, previous_status, $1, $3, $4, $5, $6 FROM moved)
         SELECT * FROM moved`;

/**
 * The invoice module's one way to Postgres: every statement on `orders` and `order_status_history`
 * is here (services and engines call this, never `dataSource.query`). The one place where invoices
 * change status is `transition`. Every writer (the create call, Netzme callbacks, the poller,
 * admin refreshes) goes through `transition`, a single SQL statement that locks the row, moves it
 * only if its current status is in the allowed-from list, and writes the history row — so racing
 * writers change an order at most once and terminal states never change. A writer that knows the
 * status it read (the create call) first tries a lock-free compare-and-set on it.
 */
@Injectable()
export class InvoiceRepository {
  /** Row versions (xmin) of the copies this service built itself; see `TransitionOptions.copy`. */
  private readonly rowVersions = new WeakMap<Order, string>();

  /** gateway_order_transitions_total{from,to}: counted when the statement moved the row. */
  private readonly transitions?: Counter;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Optional() metrics?: MetricsService,
  ) {
    this.transitions = metrics?.counter(
      'gateway_order_transitions_total',
      'Order status changes made on this replica, by from and to status (from="none": created)',
      ['from', 'to'],
    );
  }

  /**
   * Write a new order in CREATING with its first history row, or return null when its
   * merchantOrderId, Idempotency-Key or partnerReferenceNo is taken. One statement; only the values
   * Postgres computes come back.
   */
  async insertCreating(input: NewOrder): Promise<Order | null> {
    const rows = await preparedQuery(
      this.db,
      `WITH ins AS (
         INSERT INTO orders (id, merchant_id, merchant_order_id, idempotency_key, request_fingerprint, partner_reference_no, status,
                             amount_minor, currency, pay_method, expires_in_seconds, fee_type, description, customer,
                             create_attempts, lease_until, next_poll_at, purpose)
         VALUES ($1, $2, $3, $4, $5, $6, 'CREATING', $7, $8, $9, $10, $11, $12, $13::jsonb, 1,
                 now() + $14 * interval '1 millisecond', now() + $14 * interval '1 millisecond', $15)
         ON CONFLICT DO NOTHING
         RETURNING id, amount_minor, created_at, updated_at, lease_until, next_poll_at, xmin::text AS row_version),
       hist AS (
         INSERT INTO order_status_history (order_id, from_status, to_status, source, reason, amount_minor)
         SELECT id, NULL, 'CREATING', 'create', 'order written before calling Netzme', amount_minor FROM ins)
       SELECT created_at, updated_at, lease_until, next_poll_at, row_version FROM ins`,
      [
        input.id,
        input.merchantId,
        input.merchantOrderId,
        input.idempotencyKey,
        input.requestFingerprint,
        input.partnerReferenceNo,
        input.amountMinor.toString(),
        input.currency,
        input.payMethod,
        input.expiresInSeconds,
        input.feeType,
        input.description,
        input.customer ? JSON.stringify(input.customer) : null,
        input.leaseMs,
        input.purpose ?? 'ORDER',
      ],
    );
    if (rows.length === 0) {
      return null;
    }
    this.transitions?.inc({ from: 'none', to: 'CREATING' });
    const { row_version: version, ...computed } = rows[0];
    // The new invoice as Postgres now holds it, built from what we sent (the amount stays the bigint
    // it came as) and what Postgres computed; columns not written here hold their defaults (null,
    // false, 0: see the migrations).
    const order = Object.assign(blankOrder(), {
      id: input.id,
      purpose: input.purpose ?? 'ORDER',
      merchantId: input.merchantId,
      merchantOrderId: input.merchantOrderId,
      idempotencyKey: input.idempotencyKey,
      requestFingerprint: input.requestFingerprint,
      partnerReferenceNo: input.partnerReferenceNo,
      status: 'CREATING',
      amountMinor: input.amountMinor,
      currency: input.currency,
      payMethod: input.payMethod,
      expiresInSeconds: input.expiresInSeconds,
      feeType: input.feeType,
      description: input.description,
      customer: input.customer ? jsonCopy(input.customer) : null,
      netzmeHasReference: false,
      needsReview: false,
      createAttempts: 1,
      pollAttempts: 0,
      createdAt: computed.created_at as Date,
      updatedAt: computed.updated_at as Date,
      leaseUntil: computed.lease_until as Date,
      nextPollAt: computed.next_poll_at as Date,
    } satisfies Partial<Order>);
    this.rowVersions.set(order, version as string);
    return order;
  }

  async transition(locator: string | OrderLocator, to: InvoiceStatus, change: TransitionChange, options: TransitionOptions = {}): Promise<TransitionResult> {
    const allowedFrom = ALLOWED_FROM[to];
    if (allowedFrom.length === 0) {
      return { changed: false, order: null };
    }
    const where = typeof locator === 'string' ? { id: locator } : locator;
    const expected = options.copy?.status;
    if (expected && 'id' in where && allowedFrom.includes(expected)) {
      const fast = await this.run(this.compareAndSetSql(where.id, expected, to, change, options));
      if (fast.changed) {
        return fast;
      }
    }
    return this.run(this.lockedSql(where, allowedFrom, to, change, options));
  }

  /** One statement: lock the order, move it if its status is allowed, write the history row. */
  private lockedSql(
    where: OrderLocator,
    allowedFrom: readonly InvoiceStatus[],
    to: InvoiceStatus,
    change: TransitionChange,
    options: TransitionOptions,
  ): PendingStatement {
    const params = this.baseParams(to, allowedFrom, change);
    let find: string;
    if ('id' in where) {
      params.push(where.id);
      find = `SELECT id, status FROM orders WHERE id = $${params.length} FOR UPDATE`;
    } else {
      params.push(where.refs.trxId || null, where.refs.invoiceId || null, where.refs.partnerReferenceNo || null);
      const [t, i, p] = [params.length - 2, params.length - 1, params.length];
      find = `SELECT id, status FROM orders WHERE id = ${REFERENCE_LOOKUP(t, i, p)} FOR UPDATE`;
    }
    const { sets, returning } = this.changeClauses(to, change, options, params);
    const sql = `WITH prev AS (${find}),
         moved AS (
           UPDATE orders o SET ${sets.join(', ')}
           FROM prev WHERE o.id = prev.id AND prev.status = ANY($2::text[])
           RETURNING ${returning}, prev.status AS previous_status),
         ${HISTORY_OF_MOVED}`;
    return { sql, params };
  }

  /**
   * The same change as a compare-and-set on the status the caller read: `WHERE status = expected`
   * is re-checked on the newest row version by Postgres, so the history's from-status is exact.
   */
  private compareAndSetSql(id: string, expected: InvoiceStatus, to: InvoiceStatus, change: TransitionChange, options: TransitionOptions): PendingStatement {
    const params = this.baseParams(to, expected, change);
    params.push(id);
    const idParam = params.length;
    const clauses = this.changeClauses(to, change, options, params);
    let { returning } = clauses;
    let guard = '';
    const copy = options.copy;
    const version = copy && copy.id === id ? this.rowVersions.get(copy) : undefined;
    let build: PendingStatement['build'];
    if (version) {
      params.push(version);
      guard = ` AND o.xmin = $${params.length}::xid`;
      returning = 'o.id, o.updated_at, o.xmin::text AS row_version';
      build = (row) => this.applied(copy!, to, change, options, row);
    }
    const sql = `WITH moved AS (
           UPDATE orders o SET ${clauses.sets.join(', ')}
           WHERE o.id = $${idParam} AND o.status = $2::text${guard}
           RETURNING ${returning}, $2::text AS previous_status),
         ${HISTORY_OF_MOVED}`;
    return { sql, params, build };
  }

  /** The copy with a change applied, as Postgres now holds it (the change matched the copy's row version). */
  private applied(copy: Order, to: InvoiceStatus, change: TransitionChange, options: TransitionOptions, row: Record<string, unknown>): Order {
    const order = Object.assign(new Order(), copy, { status: to, updatedAt: row.updated_at as Date });
    for (const [prop, value] of Object.entries(effectivePatch(to, change)) as Array<[keyof Order, unknown]>) {
      if (value !== undefined) {
        (order as unknown as Record<string, unknown>)[prop] = JSON_PROPS.has(prop) && value !== null ? jsonCopy(value) : value;
      }
    }
    order.netzmeTrxId ??= options.fillIds?.trxId || null;
    order.netzmeInvoiceId ??= options.fillIds?.invoiceId || null;
    this.rowVersions.set(order, row.row_version as string);
    return order;
  }

  /** $1 to, $2 allowed-from (list or the one expected status), $3-$6 the history row's fields. */
  private baseParams(to: InvoiceStatus, from: readonly InvoiceStatus[] | InvoiceStatus, change: TransitionChange): unknown[] {
    return [to, from, change.source, change.sourceRef ?? null, change.reason ?? null, change.amountMinor?.toString() ?? null];
  }

  private changeClauses(to: InvoiceStatus, change: TransitionChange, options: TransitionOptions, params: unknown[]): { sets: string[]; returning: string } {
    const patch = effectivePatch(to, change);
    // No amount condition here: the paid-amount rule lives in one place (checkPaidAmount), checked
    // before a PAID change on a row whose amount, currency and fee type never change after insert.
    const sets = ['status = $1', ...this.setClauses(patch, params), 'updated_at = now()'];
    if (options.fillIds?.trxId) {
      params.push(options.fillIds.trxId);
      sets.push(`netzme_trx_id = COALESCE(o.netzme_trx_id, $${params.length}::text)`);
    }
    if (options.fillIds?.invoiceId) {
      params.push(options.fillIds.invoiceId);
      sets.push(`netzme_invoice_id = COALESCE(o.netzme_invoice_id, $${params.length}::text)`);
    }
    return { sets, returning: 'o.*' };
  }

  private async run({ sql, params, build }: PendingStatement): Promise<TransitionResult> {
    const rows = await preparedQuery(this.db, sql, params);
    if (rows.length === 0) {
      return { changed: false, order: null };
    }
    const order = build ? build(rows[0]) : orderFromRow(rows[0]);
    this.transitions?.inc({ from: String(rows[0].previous_status), to: String(params[0]) });
    return { changed: true, order, orderId: rows[0].id as string, previousStatus: rows[0].previous_status as InvoiceStatus };
  }

  /** Change fields without a status change, only while the order is in one of `whileIn`. */
  async update(orderId: string, whileIn: readonly InvoiceStatus[], patch: OrderPatch): Promise<Order | null> {
    const params: unknown[] = [orderId, whileIn];
    const sets = [...this.setClauses(patch, params), 'updated_at = now()'];
    const rows = rowsOf(await this.db.query(`UPDATE orders SET ${sets.join(', ')} WHERE id = $1 AND status = ANY($2::text[]) RETURNING *`, params));
    return rows.length > 0 ? orderFromRow(rows[0]) : null;
  }

  async findById(id: string): Promise<Order | null> {
    const rows = rowsOf(await this.db.query('SELECT * FROM orders WHERE id = $1', [id]));
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
    const rows = await preparedQuery(this.db, `SELECT * FROM orders WHERE id = ${REFERENCE_LOOKUP(1, 2, 3)}`, [trx, invoice, partner]);
    return rows.length > 0 ? orderFromRow(rows[0]) : null;
  }

  // ---- claims (the create call, confirmations and admin refreshes; the poller's claimDue) ------

  /** Claim an open invoice for a Netzme call (no other worker holds it); null when someone does. */
  async claim(id: string, leaseMs: number): Promise<Order | null> {
    const rows = rowsOf(
      await this.db.query(
        `UPDATE orders SET lease_until = now() + $2 * interval '1 millisecond'
         WHERE id = $1 AND status = ANY($3::text[]) AND (lease_until IS NULL OR lease_until < now())
         RETURNING *`,
        [id, leaseMs, INVOICE_OPEN_STATUSES],
      ),
    );
    return rows.length > 0 ? orderFromRow(rows[0]) : null;
  }

  /**
   * Claim due open invoices with the one claim every poller uses (claimDue: SKIP LOCKED, next_poll_at
   * pushed forward by the lease). The open-status list is literal so that the partial index
   * IDX_orders_next_poll_at serves the claim; a row whose create call or confirmation holds it
   * (lease_until) is skipped.
   */
  async claimDue(batch: number, leaseMs: number): Promise<Order[]> {
    const rows = await claimDue(this.db, {
      table: 'orders',
      dueColumn: 'next_poll_at',
      open: `status IN ('CREATING', 'UNKNOWN', 'PENDING') AND (lease_until IS NULL OR lease_until < now())`,
      batch,
      leaseMs,
      alsoSet: `lease_until = now() + $2 * interval '1 millisecond', poll_attempts = t.poll_attempts + 1, last_polled_at = now()`,
    });
    return rows.map(orderFromRow);
  }

  /** One more Create Invoice Transaction is about to be sent with this invoice's reference. */
  async countCreateAttempt(id: string): Promise<void> {
    await this.db.query('UPDATE orders SET create_attempts = create_attempts + 1 WHERE id = $1', [id]);
  }

  /** Keep the last report that did not fit (wrong amount, payment for a closed invoice ...) for people. */
  async recordAnomaly(id: string, reason: string): Promise<void> {
    await this.db.query('UPDATE orders SET anomaly = $2 WHERE id = $1 AND anomaly IS DISTINCT FROM $2', [id, reason]);
  }

  // ---- reads -----------------------------------------------------------------------------------

  /**
   * The invoice a repeated create request names: by merchantOrderId (orders) or Idempotency-Key
   * (per purpose). Two rows when the key names one invoice and the merchantOrderId another.
   */
  async findForRepeat(merchantId: string, purpose: InvoicePurpose, merchantOrderId: string | null, idempotencyKey: string | null): Promise<Order[]> {
    const rows = rowsOf(
      await this.db.query(
        `SELECT * FROM orders WHERE merchant_id = $1 AND purpose = $4 AND (merchant_order_id = $2::text OR ($3::text IS NOT NULL AND idempotency_key = $3))
         ORDER BY (merchant_order_id = $2::text) DESC NULLS LAST LIMIT 2`,
        [merchantId, merchantOrderId, idempotencyKey, purpose],
      ),
    );
    return rows.map(orderFromRow);
  }

  /** A page of checkout orders, newest first (keyset on created_at, id; `afterId` is the last id of the previous page). */
  async listOrders(merchantId: string, filter: OrderListFilter, limit: number): Promise<Order[]> {
    const where: string[] = ['merchant_id = $1', "purpose = 'ORDER'"];
    const params: unknown[] = [merchantId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.status) add('status = ?', filter.status);
    if (filter.merchantOrderId) add('merchant_order_id = ?', filter.merchantOrderId);
    if (filter.needsReview !== undefined) add('needs_review = ?', filter.needsReview);
    if (filter.from) add('created_at >= ?', filter.from);
    if (filter.to) add('created_at < ?', filter.to);
    // Keyset pagination on (created_at, id), read from the row itself so no precision is lost.
    if (filter.afterId) add('(created_at, id) < (SELECT created_at, id FROM orders WHERE id = ?::uuid)', filter.afterId);
    params.push(limit);
    const rows = rowsOf(
      await this.db.query(`SELECT * FROM orders WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`, params),
    );
    return rows.map(orderFromRow);
  }

  async history(id: string): Promise<OrderStatusHistory[]> {
    const rows = rowsOf(await this.db.query('SELECT * FROM order_status_history WHERE order_id = $1 ORDER BY id', [id]));
    return rows.map((row) => ({
      id: String(row.id),
      orderId: row.order_id as string,
      fromStatus: row.from_status as InvoiceStatus | null,
      toStatus: row.to_status as InvoiceStatus,
      source: row.source as OrderStatusHistory['source'],
      sourceRef: row.source_ref as string | null,
      reason: row.reason as string | null,
      amountMinor: row.amount_minor === null ? null : BigInt(row.amount_minor as string),
      createdAt: row.created_at as Date,
    }));
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

/** The fields a change sets: the writer's patch, and no poll or lease once the status is final. */
function effectivePatch(to: InvoiceStatus, change: TransitionChange): OrderPatch {
  const patch: OrderPatch = { ...change.patch };
  if (isTerminal(to)) {
    // Nothing left to poll or to own once final.
    patch.nextPollAt = null;
    patch.leaseUntil = null;
  }
  return patch;
}

/** A JSON value as it comes back from a jsonb column (no undefined members, no shared references). */
function jsonCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
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
