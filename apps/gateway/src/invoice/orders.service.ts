import { fromMinor, randomReferenceSuffix, toMinor } from '@app/snap';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { BadRequestError, ConflictError, NotFoundError } from '../common/app-error';
import { requestFingerprint } from '../idempotency/idempotency';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway.config';
import { INVOICE_SETTINGS, InvoiceSettings } from './invoice.settings';
import type { CreateOrderDto, ListOrdersQueryDto } from './order.dto';
import { Order, OrderCustomer, orderFromRow } from './order.entity';
import { OrderStateService } from './order-state.service';
import { rowsOf } from '../database/prepared-query';
import { OrderStatus } from './order-status';
import type { OrderStatusHistory } from './order-status-history.entity';
import { OrderSyncService } from './order-sync.service';

export interface CreateOrderResult {
  order: Order;
  /** True for the request that created the order; false for a repeat. */
  created: boolean;
}

interface NormalizedOrder {
  merchantOrderId: string;
  amountMinor: bigint;
  currency: 'IDR';
  payMethod: string;
  expiresInSeconds: number;
  customer: OrderCustomer | null;
  description: string | null;
}

/** Our reference at Netzme: unique, alphanumeric, 25 characters (GW, epoch ms, 10 random hex digits). */
export function newPartnerReference(): string {
  return `GW${Date.now()}${randomReferenceSuffix()}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Checkout orders: validation beyond the DTO (configured limits), exactly-once creation keyed by
 * merchantOrderId (and the optional Idempotency-Key), reads and the admin list.
 */
@Injectable()
export class OrdersService {
  /** Create calls in flight in this process, so a racing repeat can wait for the winner's answer. */
  private readonly inFlight = new Map<string, Promise<Order>>();
  /** How long the create call may take before a repeat (or the poller) takes over: the client timeout twice, plus slack. */
  private readonly createLeaseMs: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly state: OrderStateService,
    private readonly sync: OrderSyncService,
    @Inject(INVOICE_SETTINGS) private readonly settings: InvoiceSettings,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.createLeaseMs = config.netzme.timeoutMs * 2 + 5000;
  }

  /**
   * Write the order (status CREATING, with our partnerReferenceNo) before calling Netzme, then call.
   * A repeat with the same merchantOrderId or Idempotency-Key and the same body returns that order
   * (retrying Netzme with the same reference if its outcome is still unknown); another body is 409.
   */
  async create(dto: CreateOrderDto, idempotencyKey?: string): Promise<CreateOrderResult> {
    const input = this.normalize(dto);
    const fingerprint = requestFingerprint({ ...input, amountMinor: input.amountMinor.toString() });
    for (let attempt = 0; attempt < 3; attempt++) {
      const inserted = await this.insert(input, fingerprint, idempotencyKey);
      if (inserted) {
        const call = this.sync.sendCreate(inserted, 'create');
        this.inFlight.set(inserted.id, call);
        try {
          return { order: await call, created: true };
        } finally {
          this.inFlight.delete(inserted.id);
        }
      }
      const existing = await this.findExisting(input.merchantOrderId, idempotencyKey);
      if (existing) {
        if (existing.requestFingerprint !== fingerprint) {
          const which = existing.merchantOrderId === input.merchantOrderId ? `merchantOrderId ${input.merchantOrderId}` : `Idempotency-Key ${idempotencyKey}`;
          throw new ConflictError('ORDER_CONFLICT', `${which} was already used for an order with a different body (order ${existing.id}); use a new merchantOrderId for a different order`, {
            orderId: existing.id,
          });
        }
        return { order: await this.settle(existing), created: false };
      }
      // The conflicting row is not visible yet (its insert is committing): look again.
      await sleep(20);
    }
    throw new ConflictError('ORDER_BUSY', 'Another request is creating this order right now; repeat the request in a moment');
  }

  async get(id: string): Promise<Order> {
    const order = await this.state.findById(id);
    if (!order) {
      throw new NotFoundError('ORDER_NOT_FOUND', `No order with id ${id}`);
    }
    return order;
  }

  /** Admin refresh: ask Netzme now (re-send / look up / status), whatever the poll schedule says. */
  async refresh(id: string): Promise<Order> {
    const order = await this.get(id);
    if (!['CREATING', 'UNKNOWN', 'PENDING'].includes(order.status)) {
      return order; // terminal: nothing can change it
    }
    const claimed = await this.sync.claim(id);
    if (!claimed) {
      throw new ConflictError('ORDER_BUSY', `Order ${id} is being worked on right now (create call or poll in flight); try again in a few seconds`);
    }
    return this.sync.refreshClaimed(claimed, 'admin');
  }

  async list(query: ListOrdersQueryDto): Promise<{ items: Order[]; nextCursor: string | null }> {
    const limit = query.limit ?? 50;
    const where: string[] = ['merchant_id = $1'];
    const params: unknown[] = [this.config.netzme.merchantId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.status) add('status = ?', query.status);
    if (query.merchantOrderId) add('merchant_order_id = ?', query.merchantOrderId);
    if (query.needsReview) add('needs_review = ?', query.needsReview === 'true');
    if (query.from) add('created_at >= ?', new Date(query.from));
    if (query.to) add('created_at < ?', new Date(query.to));
    if (query.cursor) {
      // Keyset pagination on (created_at, id), read from the row itself so no precision is lost.
      params.push(decodeCursor(query.cursor));
      where.push(`(created_at, id) < (SELECT created_at, id FROM orders WHERE id = $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const rows = rowsOf(await this.db.query(`SELECT * FROM orders WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`, params));
    const items = rows.slice(0, limit).map(orderFromRow);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
  }

  async history(id: string): Promise<OrderStatusHistory[]> {
    await this.get(id);
    const rows = rowsOf(await this.db.query('SELECT * FROM order_status_history WHERE order_id = $1 ORDER BY id', [id]));
    return rows.map((row) => ({
      id: String(row.id),
      orderId: row.order_id as string,
      fromStatus: row.from_status as OrderStatus | null,
      toStatus: row.to_status as OrderStatus,
      source: row.source as OrderStatusHistory['source'],
      sourceRef: row.source_ref as string | null,
      reason: row.reason as string | null,
      amountMinor: row.amount_minor === null ? null : BigInt(row.amount_minor as string),
      createdAt: row.created_at as Date,
    }));
  }

  // ---- internals -------------------------------------------------------------------------------

  private normalize(dto: CreateOrderDto): NormalizedOrder {
    const amountMinor = toMinor(dto.amount);
    const { minAmountMinor: min, maxAmountMinor: max } = this.settings;
    if (amountMinor < min || amountMinor > max) {
      throw new BadRequestError('AMOUNT_OUT_OF_RANGE', `amount must be between ${fromMinor(min)} and ${fromMinor(max)} IDR (got ${dto.amount})`, {
        min: fromMinor(min),
        max: fromMinor(max),
      });
    }
    const customer: OrderCustomer = {};
    if (dto.customer?.fullname) customer.fullname = dto.customer.fullname;
    if (dto.customer?.email) customer.email = dto.customer.email;
    if (dto.customer?.phoneNumber) customer.phoneNumber = dto.customer.phoneNumber;
    return {
      merchantOrderId: dto.merchantOrderId,
      amountMinor,
      currency: 'IDR',
      payMethod: dto.payMethod ?? 'QRIS',
      expiresInSeconds: dto.expiresInSeconds ?? this.settings.defaultExpirySeconds,
      customer: Object.keys(customer).length > 0 ? customer : null,
      description: dto.description ? dto.description : null,
    };
  }

  private insert(input: NormalizedOrder, fingerprint: string, idempotencyKey: string | undefined): Promise<Order | null> {
    return this.state.insertCreating({
      ...input,
      id: randomUUID(),
      merchantId: this.config.netzme.merchantId,
      idempotencyKey: idempotencyKey ?? null,
      requestFingerprint: fingerprint,
      partnerReferenceNo: newPartnerReference(),
      feeType: this.settings.feeType,
      leaseMs: this.createLeaseMs,
    });
  }

  private async findExisting(merchantOrderId: string, idempotencyKey: string | undefined): Promise<Order | null> {
    const rows = rowsOf(
      await this.db.query(
        `SELECT * FROM orders WHERE merchant_id = $1 AND (merchant_order_id = $2 OR ($3::text IS NOT NULL AND idempotency_key = $3))
         ORDER BY (merchant_order_id = $2) DESC LIMIT 2`,
        [this.config.netzme.merchantId, merchantOrderId, idempotencyKey ?? null],
      ),
    );
    const orders = rows.map(orderFromRow);
    if (orders.length === 2) {
      // The key names one order and the merchantOrderId another.
      throw new ConflictError('IDEMPOTENCY_KEY_REUSED', `Idempotency-Key ${idempotencyKey} belongs to order ${orders[1].id} (merchantOrderId ${orders[1].merchantOrderId}), not to merchantOrderId ${merchantOrderId}`);
    }
    return orders[0] ?? null;
  }

  /**
   * A repeat found the order. While the winner's create call is in flight, wait for it; if the
   * outcome is still unknown, retry now with the same reference (safe: Netzme refuses duplicates).
   */
  private async settle(order: Order): Promise<Order> {
    let current = order;
    let waited = false;
    const deadline = Date.now() + this.createLeaseMs;
    while (current.status === 'CREATING' && Date.now() < deadline) {
      const local = this.inFlight.get(current.id);
      if (local) {
        waited = true;
        current = await local.catch(async () => (await this.state.findById(current.id)) ?? current);
        continue;
      }
      if (current.leaseUntil && current.leaseUntil.getTime() <= Date.now()) {
        break; // the creator gave up (crashed?): take over below
      }
      waited = true;
      await sleep(50);
      current = (await this.state.findById(current.id)) ?? current;
    }
    // A twin that just waited for the winner's call answers with its outcome; a later repeat of an
    // order still UNKNOWN (or abandoned while CREATING) asks Netzme again, with the same reference.
    if (!waited && (current.status === 'UNKNOWN' || current.status === 'CREATING')) {
      const claimed = await this.sync.claim(current.id);
      if (claimed) {
        return this.sync.refreshClaimed(claimed, 'checkout-retry');
      }
    }
    return current;
  }
}

function encodeCursor(order: Order): string {
  return Buffer.from(order.id).toString('base64url');
}

function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
    throw new BadRequestError('INVALID_CURSOR', 'cursor must be the nextCursor value of a previous page');
  }
  return id;
}
