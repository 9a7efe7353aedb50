import { isNetzmeError, NetzmeClient } from '@app/netzme-client';
import type { TransactionListItem, TransactionListResponse, WithdrawInformationResponse } from '@app/snap';
import { Inject, Injectable } from '@nestjs/common';
import { RECONCILIATION_SETTINGS, ReconciliationSettings } from './reconciliation.settings';

export type Limit = <T>(fn: () => Promise<T>) => Promise<T>;

/**
 * Netzme's side of the books: its paginated lists for a time range (Get Transaction List, Get
 * Deposit Transaction) and the status of single payouts. Every call goes through the caller's
 * limiter (the jobs' shared Netzme limits).
 */
@Injectable()
export class NetzmeBooksService {
  constructor(
    private readonly netzme: NetzmeClient,
    @Inject(RECONCILIATION_SETTINGS) private readonly settings: ReconciliationSettings,
  ) {}

  /** Every item of Get Transaction List in [from, to]. */
  payments(from: Date, to: Date, limit: Limit, onPage?: () => Promise<void>): Promise<TransactionListItem[]> {
    return this.allPages(
      'Get Transaction List',
      (pageNumber) => limit(() => this.netzme.getTransactionList({ fromDateTime: from, toDateTime: to, pageNumber })),
      onPage,
    );
  }

  /** Every movement of the prepaid deposit (Get Deposit Transaction) in [from, to]. */
  depositMovements(from: Date, to: Date, limit: Limit, onPage?: () => Promise<void>): Promise<TransactionListItem[]> {
    return this.allPages(
      'Get Deposit Transaction',
      (pageNumber) => limit(() => this.netzme.getDepositTransactions({ fromDateTime: from, toDateTime: to, pageNumber })),
      onPage,
    );
  }

  /** Get Information Withdraw for one merchant withdrawal; null when Netzme does not know the reference. */
  async withdrawalStatus(referenceNo: string, limit: Limit): Promise<WithdrawInformationResponse | null> {
    try {
      return await limit(() => this.netzme.getWithdrawInformation({ referenceNo }));
    } catch (error) {
      if (isNetzmeError(error) && error.category === 'NOT_FOUND') {
        return null;
      }
      throw error;
    }
  }

  /**
   * Page through a Netzme list from page 1 until a page comes back empty or the announced total is
   * reached. A list that repeats a page or never ends is an error: a report built on it would be wrong.
   */
  private async allPages(
    what: string,
    fetchPage: (page: number) => Promise<TransactionListResponse>,
    onPage?: () => Promise<void>,
  ): Promise<TransactionListItem[]> {
    const items: TransactionListItem[] = [];
    let previousFirst: string | undefined;
    for (let page = 1; page <= this.settings.maxPages; page++) {
      const res = await fetchPage(page);
      const detail = Array.isArray(res.detailData) ? res.detailData : [];
      if (detail.length === 0) {
        return items;
      }
      const first = JSON.stringify(detail[0]);
      if (first === previousFirst) {
        throw new Error(`${what}: page ${page} repeats page ${page - 1}; Netzme seems to ignore pageNumber`);
      }
      previousFirst = first;
      items.push(...detail);
      await onPage?.();
      const info = (res.additionalInfo ?? {}) as Record<string, unknown>;
      const total = Number(info.totalData);
      const pageSize = Number(info.pageSize);
      if ((Number.isInteger(total) && items.length >= total) || (Number.isInteger(pageSize) && pageSize > 0 && detail.length < pageSize)) {
        return items;
      }
    }
    throw new Error(`${what}: more than ${this.settings.maxPages} pages (RECONCILIATION_MAX_PAGES); refusing to report on a partial list`);
  }
}
