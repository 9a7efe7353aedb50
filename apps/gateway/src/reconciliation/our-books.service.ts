import { Injectable } from '@nestjs/common';
import type { ListOrdersQueryDto } from '../invoice/order.dto';
import { OrdersService } from '../invoice/orders.service';
import { PayoutEngine, type WithdrawalKind } from '../payout';
import type { OrderRecord, PayoutRecord } from './ledger-entries';

const ORDER_PAGE = 200;
const PAYOUT_PAGE = 200;
/** Longest an order can wait for its payment: the largest expiresInSeconds (one day) plus the expiry grace. */
const ORDER_LIFETIME_MS = 25 * 3_600_000;

/**
 * Our side of the books, read only through the owning modules' services (never their tables):
 * orders from the invoice module, merchant and deposit withdrawals from the payout module. Each method returns a compact projection, page by page,
 * so a busy day does not hold full rows (QR images and all) in memory.
 */
@Injectable()
export class OurBooksService {
  constructor(
    private readonly orders: OrdersService,
    private readonly payouts: PayoutEngine,
  ) {}

  /**
   * Every order that can have been paid in [from, to): the invoice module lists orders by creation
   * time, so this reads those created from one order lifetime before `from`.
   */
  async ordersBetween(from: Date, to: Date, onPage?: () => Promise<void>): Promise<OrderRecord[]> {
    const records: OrderRecord[] = [];
    let cursor: string | undefined;
    do {
      const query = { from: new Date(from.getTime() - ORDER_LIFETIME_MS).toISOString(), to: to.toISOString(), limit: ORDER_PAGE, cursor } as ListOrdersQueryDto;
      const page = await this.orders.list(query);
      for (const order of page.items) {
        records.push({
          id: order.id,
          status: order.status,
          partnerReferenceNo: order.partnerReferenceNo,
          netzmeTrxId: order.netzmeTrxId,
          netzmeInvoiceId: order.netzmeInvoiceId,
          amountMinor: order.amountMinor,
          paidAmountMinor: order.paidAmountMinor,
          paidAt: order.paidAt,
          createdAt: order.createdAt,
        });
      }
      cursor = page.nextCursor ?? undefined;
      await onPage?.();
    } while (cursor);
    return records;
  }

  /** Merchant withdrawals created in [from, to). */
  merchantWithdrawalsBetween(from: Date, to: Date, onPage?: () => Promise<void>): Promise<PayoutRecord[]> {
    return this.payoutsBetween('MERCHANT', from, to, onPage);
  }

  /** Deposit withdrawals created in [from, to). */
  depositWithdrawalsBetween(from: Date, to: Date, onPage?: () => Promise<void>): Promise<PayoutRecord[]> {
    return this.payoutsBetween('DEPOSIT', from, to, onPage);
  }

  /** Keyset pages (newest first, after the last row seen): a row created meanwhile cannot shift a page. */
  private async payoutsBetween(kind: WithdrawalKind, from: Date, to: Date, onPage?: () => Promise<void>): Promise<PayoutRecord[]> {
    const records: PayoutRecord[] = [];
    let afterId: string | undefined;
    do {
      const { items } = await this.payouts.list(kind, { from, to, afterId, limit: PAYOUT_PAGE });
      for (const row of items) {
        records.push({
          id: row.id,
          status: row.status,
          amountMinor: row.amountMinor,
          partnerReferenceNo: row.partnerReferenceNo,
          referenceNo: row.referenceNo,
          createdAt: row.createdAt,
        });
      }
      await onPage?.();
      afterId = items.length === PAYOUT_PAGE ? items[items.length - 1].id : undefined;
    } while (afterId);
    return records;
  }
}
