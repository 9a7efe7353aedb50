import { fromMinor, toMinor } from '@app/snap';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BadRequestError, ConflictError, NotFoundError } from '../common/app-error';
import { requestFingerprint } from '../idempotency/idempotency';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway.config';
import { INVOICE_SETTINGS, InvoiceSettings } from './invoice.settings';
import type { CreateOrderDto, ListOrdersQueryDto } from './order.dto';
import { Order, OrderCustomer, orderFromRow } from './order.entity';
import { InvoiceErrorCode } from './invoice-errors';
import { InvoicesService, type NewInvoiceRequest } from './invoices.service';
import { rowsOf } from '../database/prepared-query';
import { OrderStatus } from './order-status';
import type { OrderStatusHistory } from './order-status-history.entity';
import { OrderSyncService } from './order-sync.service';

export { newPartnerReference } from './invoices.service';

interface NormalizedOrder {
  merchantOrderId: string;
  amountMinor: bigint;
  currency: 'IDR';
  payMethod: string;
  expiresInSeconds: number;
  customer: OrderCustomer | null;
  description: string | null;
}

export interface CreateOrderResult {
  order: Order;
  /** True for the request that created the order; false for a repeat. */
  created: boolean;
}

/**
 * Checkout orders: the ORDER purpose of the invoice engine. Validation beyond the DTO (configured
 * limits), the order's create request for InvoicesService, reads and the admin list.
 */
@Injectable()
export class OrdersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly invoices: InvoicesService,
    private readonly sync: OrderSyncService,
    @Inject(INVOICE_SETTINGS) private readonly settings: InvoiceSettings,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * Write the order (status CREATING, with our partnerReferenceNo) before calling Netzme, then call.
   * A repeat with the same merchantOrderId or Idempotency-Key and the same body returns that order
   * (retrying Netzme with the same reference if its outcome is still unknown); another body is 409.
   */
  async create(dto: CreateOrderDto, idempotencyKey?: string): Promise<CreateOrderResult> {
    const input = this.normalize(dto);
    const fingerprint = requestFingerprint({ ...input, amountMinor: input.amountMinor.toString() });
    const request: NewInvoiceRequest = { ...input, purpose: 'ORDER', feeType: this.settings.feeType, idempotencyKey: idempotencyKey ?? null, fingerprint };
    const { invoice, created } = await this.invoices.create(request, (existing) => {
      const which = existing.merchantOrderId === input.merchantOrderId ? `merchantOrderId ${input.merchantOrderId}` : `Idempotency-Key ${idempotencyKey}`;
      throw new ConflictError(InvoiceErrorCode.ORDER_CONFLICT, `${which} was already used for an order with a different body (order ${existing.id}); use a new merchantOrderId for a different order`, {
        orderId: existing.id,
      });
    });
    return { order: invoice, created };
  }

  async get(id: string): Promise<Order> {
    const order = await this.invoices.find('ORDER', id);
    if (!order) {
      throw new NotFoundError(InvoiceErrorCode.ORDER_NOT_FOUND, `No order with id ${id}`);
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
      throw new ConflictError(InvoiceErrorCode.ORDER_BUSY, `Order ${id} is being worked on right now (create call or poll in flight); try again in a few seconds`);
    }
    return this.sync.refreshClaimed(claimed, 'admin');
  }

  async list(query: ListOrdersQueryDto): Promise<{ items: Order[]; nextCursor: string | null }> {
    const limit = query.limit ?? 50;
    const where: string[] = ['merchant_id = $1', "purpose = 'ORDER'"];
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
      throw new BadRequestError(InvoiceErrorCode.AMOUNT_OUT_OF_RANGE, `amount must be between ${fromMinor(min)} and ${fromMinor(max)} IDR (got ${dto.amount})`, {
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
}

function encodeCursor(order: Order): string {
  return Buffer.from(order.id).toString('base64url');
}

function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) {
    throw new BadRequestError(InvoiceErrorCode.INVALID_CURSOR, 'cursor must be the nextCursor value of a previous page');
  }
  return id;
}
