import { toMinor } from '@app/snap';
import { Injectable } from '@nestjs/common';
import { DepositService } from '../deposit/deposit.service';
import type { ListOrdersQueryDto } from '../invoice/order.dto';
import { OrdersService } from '../invoice/orders.service';
import type { WithdrawalPage, WithdrawalView } from '../payout';
import { WithdrawalsService } from '../withdrawal/withdrawals.service';
import type { OrderRecord, PayoutRecord } from './ledger-entries';

const ORDER_PAGE = 200;
const PAYOUT_PAGE = 200;
/** Longest an order can wait for its payment: the largest expiresInSeconds (one day) plus the expiry grace. */
const ORDER_LIFETIME_MS = 25 * 3_600_000;

/**
 * Our side of the books, read only through the owning modules' services (never their tables):
 * orders from the invoice module, merchant withdrawals from the withdrawal module, deposit
 * withdrawals from the deposit module. Each method returns a compact projection, page by page,
 * so a busy day does not hold full rows (QR images and all) in memory.
 */
@Injectable()
export class OurBooksService {
  constructor(
    private readonly orders: OrdersService,
    private readonly withdrawals: WithdrawalsService,
    private readonly deposit: DepositService,
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
    return this.payouts((page) => this.withdrawals.list({ from, to, page, pageSize: PAYOUT_PAGE }), onPage);
  }

  /** Deposit withdrawals created in [from, to). */
  depositWithdrawalsBetween(from: Date, to: Date, onPage?: () => Promise<void>): Promise<PayoutRecord[]> {
    return this.payouts((page) => this.deposit.listWithdrawals({ from, to, page, pageSize: PAYOUT_PAGE }), onPage);
  }

  private async payouts(fetchPage: (page: number) => Promise<WithdrawalPage>, onPage?: () => Promise<void>): Promise<PayoutRecord[]> {
    const records = new Map<string, PayoutRecord>();
    for (let page = 1; ; page++) {
      const result = await fetchPage(page);
      // Offset pages over a live table can repeat a row; keyed by id, a repeat is harmless.
      for (const view of result.items) {
        records.set(view.id, payoutRecord(view));
      }
      await onPage?.();
      if (result.items.length < PAYOUT_PAGE || page * PAYOUT_PAGE >= result.total) {
        return [...records.values()];
      }
    }
  }
}

function payoutRecord(view: WithdrawalView): PayoutRecord {
  return {
    id: view.id,
    status: view.status,
    amountMinor: toMinor(view.amount.value),
    partnerReferenceNo: view.partnerReferenceNo,
    referenceNo: view.referenceNo,
    createdAt: new Date(view.createdAt),
  };
}
