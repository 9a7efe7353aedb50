import { fromMinor, toMinor } from '@app/snap';
import { Inject, Injectable } from '@nestjs/common';
import { BadRequestError, ConflictError, NotFoundError } from '../http/app-error';
import { requestFingerprint } from '../idempotency/idempotency';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway.settings';
import { INVOICE_SETTINGS, InvoiceSettings } from './invoice.settings';
import type { CreateOrderDto, ListOrdersQueryDto } from './order.dto';
import type { Order, OrderCustomer } from './order.entity';
import { InvoiceRepository } from './invoice.repository';
import { InvoiceErrorCode } from './invoice-errors';
import { InvoicesService, type NewInvoiceRequest } from './invoices.service';
import type { OrderStatusHistory } from './order-status-history.entity';
import { OrderSyncService } from './order-sync.service';
import { decodeIdCursor, encodeIdCursor } from '../http/pagination';

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
    private readonly repository: InvoiceRepository,
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
      throw new ConflictError(
        InvoiceErrorCode.ORDER_CONFLICT,
        `${which} was already used for an order with a different body (order ${existing.id}); use a new merchantOrderId for a different order`,
        {
          orderId: existing.id,
        },
      );
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
      throw new ConflictError(
        InvoiceErrorCode.ORDER_BUSY,
        `Order ${id} is being worked on right now (create call or poll in flight); try again in a few seconds`,
      );
    }
    return this.sync.refreshClaimed(claimed, 'admin');
  }

  async list(query: ListOrdersQueryDto): Promise<{ items: Order[]; nextCursor: string | null }> {
    const limit = query.limit ?? 50;
    const rows = await this.repository.listOrders(
      this.config.netzme.merchantId,
      {
        status: query.status,
        merchantOrderId: query.merchantOrderId,
        needsReview: query.needsReview ? query.needsReview === 'true' : undefined,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        afterId: query.cursor ? decodeIdCursor(query.cursor) : undefined,
      },
      limit + 1,
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeIdCursor(last.id) : null };
  }

  async history(id: string): Promise<OrderStatusHistory[]> {
    await this.get(id);
    return this.repository.history(id);
  }

  // ---- internals -------------------------------------------------------------------------------

  private normalize(dto: CreateOrderDto): NormalizedOrder {
    const amountMinor = toMinor(dto.amount);
    const { minAmountMinor: min, maxAmountMinor: max } = this.settings;
    if (amountMinor < min || amountMinor > max) {
      throw new BadRequestError(
        InvoiceErrorCode.AMOUNT_OUT_OF_RANGE,
        `amount must be between ${fromMinor(min)} and ${fromMinor(max)} IDR (got ${dto.amount})`,
        {
          min: fromMinor(min),
          max: fromMinor(max),
        },
      );
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
