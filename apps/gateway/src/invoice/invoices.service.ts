import { randomReferenceSuffix, timestampedReference } from '@app/snap';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ConflictError } from '../http/app-error';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway.settings';
import { InvoiceErrorCode } from './invoice-errors';
import type { Order, OrderCustomer } from './order.entity';
import { InvoiceRepository } from './invoice.repository';
import type { InvoicePurpose } from './invoice-state';
import { OrderSyncService } from './order-sync.service';

/** A new invoice as its purpose's owner (checkout orders, deposit top-ups) asks for it, already validated. */
export interface NewInvoiceRequest {
  purpose: InvoicePurpose;
  /** The shop's order id (checkout orders); null for deposit top-ups. */
  merchantOrderId: string | null;
  amountMinor: bigint;
  currency: 'IDR';
  payMethod: string;
  expiresInSeconds: number;
  feeType: string;
  customer: OrderCustomer | null;
  description: string | null;
  idempotencyKey: string | null;
  /** requestFingerprint of the request: a repeat with another body is refused by `onOtherBody`. */
  fingerprint: string;
}

export interface CreateInvoiceResult {
  invoice: Order;
  /** True for the request that created the invoice; false for a repeat. */
  created: boolean;
}

/** Our reference at Netzme: unique, alphanumeric, 25 characters (GW, epoch ms, 10 random hex digits). */
export function newPartnerReference(): string {
  return `GW${Date.now()}${randomReferenceSuffix()}`;
}

/** Top-ups keep their own recognisable reference shape (TU + Jakarta time + random), as before the merge. */
function referenceFor(purpose: InvoicePurpose): string {
  return purpose === 'DEPOSIT_TOPUP' ? timestampedReference('TU') : newPartnerReference();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The one creator of Netzme invoices, whatever they are for: exactly-once creation keyed by the
 * merchantOrderId (orders) and the optional Idempotency-Key (per purpose), the row written before
 * Netzme is called, and repeats that wait for (or take over) the first request's call.
 */
@Injectable()
export class InvoicesService {
  /** Create calls in flight in this process, so a racing repeat can wait for the winner's answer. */
  private readonly inFlight = new Map<string, Promise<Order>>();
  /** How long the create call may take before a repeat (or the poller) takes over: the client timeout twice, plus slack. */
  private readonly createLeaseMs: number;

  constructor(
    private readonly state: InvoiceRepository,
    private readonly sync: OrderSyncService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    this.createLeaseMs = config.netzme.timeoutMs * 2 + 5000;
  }

  /**
   * Write the invoice (status CREATING, with our partnerReferenceNo) before calling Netzme, then
   * call. A repeat with the same merchantOrderId or Idempotency-Key and the same fingerprint returns
   * that invoice (retrying Netzme with the same reference if its outcome is still unknown); another
   * fingerprint goes to `onOtherBody`, which throws the purpose's own 409 (e.g. assertSameRequest).
   */
  async create(request: NewInvoiceRequest, onOtherBody: (existing: Order) => void): Promise<CreateInvoiceResult> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const inserted = await this.state.insertCreating({
        id: randomUUID(),
        purpose: request.purpose,
        merchantId: this.config.netzme.merchantId,
        merchantOrderId: request.merchantOrderId,
        idempotencyKey: request.idempotencyKey,
        requestFingerprint: request.fingerprint,
        partnerReferenceNo: referenceFor(request.purpose),
        amountMinor: request.amountMinor,
        currency: request.currency,
        payMethod: request.payMethod,
        expiresInSeconds: request.expiresInSeconds,
        feeType: request.feeType,
        description: request.description,
        customer: request.customer,
        leaseMs: this.createLeaseMs,
      });
      if (inserted) {
        const call = this.sync.sendCreate(inserted, 'create');
        this.inFlight.set(inserted.id, call);
        try {
          return { invoice: await call, created: true };
        } finally {
          this.inFlight.delete(inserted.id);
        }
      }
      const existing = await this.findExisting(request);
      if (existing) {
        if (existing.requestFingerprint !== request.fingerprint) {
          onOtherBody(existing);
          // onOtherBody throws the purpose's own 409; never answer another body's invoice.
          throw new ConflictError(InvoiceErrorCode.IDEMPOTENCY_KEY_REUSED, `This request repeats invoice ${existing.id} with a different body`);
        }
        return { invoice: await this.settle(existing), created: false };
      }
      // The conflicting row is not visible yet (its insert is committing): look again.
      await sleep(20);
    }
    throw new ConflictError(InvoiceErrorCode.ORDER_BUSY, 'Another request is creating this invoice right now; repeat the request in a moment');
  }

  /** The invoice with this id if it has this purpose (a top-up is not an order and vice versa). */
  async find(purpose: InvoicePurpose, id: string): Promise<Order | null> {
    const invoice = await this.state.findById(id);
    return invoice && invoice.purpose === purpose ? invoice : null;
  }

  private async findExisting(request: NewInvoiceRequest): Promise<Order | null> {
    const key = request.idempotencyKey;
    const found = await this.state.findForRepeat(this.config.netzme.merchantId, request.purpose, request.merchantOrderId, key);
    if (found.length === 2) {
      // The key names one order and the merchantOrderId another.
      throw new ConflictError(
        InvoiceErrorCode.IDEMPOTENCY_KEY_REUSED,
        `Idempotency-Key ${key} belongs to order ${found[1].id} (merchantOrderId ${found[1].merchantOrderId}), not to merchantOrderId ${request.merchantOrderId}`,
      );
    }
    return found[0] ?? null;
  }

  /**
   * A repeat found the invoice. While the winner's create call is in flight, wait for it; if the
   * outcome is still unknown, retry now with the same reference (safe: Netzme refuses duplicates).
   */
  private async settle(invoice: Order): Promise<Order> {
    let current = invoice;
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
    // invoice still UNKNOWN (or abandoned while CREATING) asks Netzme again, with the same reference.
    if (!waited && (current.status === 'UNKNOWN' || current.status === 'CREATING')) {
      const claimed = await this.sync.claim(current.id);
      if (claimed) {
        return this.sync.refreshClaimed(claimed, 'checkout-retry');
      }
    }
    return current;
  }
}
