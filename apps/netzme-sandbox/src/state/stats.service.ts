import { Injectable } from '@nestjs/common';

/**
 * Counters tests read from `/sandbox/state`: requests per Netzme path (to prove e.g. that a
 * gateway reuses its token) and status queries per transaction (to prove that an unknown outcome
 * was resolved by asking rather than by paying again).
 */
@Injectable()
export class StatsService {
  private readonly requests = new Map<string, number>();
  private readonly invoiceQueries = new Map<string, number>();
  private readonly withdrawalQueries = new Map<string, number>();

  countRequest(path: string): void {
    this.requests.set(path, (this.requests.get(path) ?? 0) + 1);
  }

  /** Get Invoice Transaction answered for this trxId. */
  countInvoiceQuery(trxId: string): void {
    this.invoiceQueries.set(trxId, (this.invoiceQueries.get(trxId) ?? 0) + 1);
  }

  /** Get Information Withdraw (or its deposit twin) answered for this withdrawal referenceNo. */
  countWithdrawalQuery(referenceNo: string): void {
    this.withdrawalQueries.set(referenceNo, (this.withdrawalQueries.get(referenceNo) ?? 0) + 1);
  }

  reset(): void {
    this.requests.clear();
    this.invoiceQueries.clear();
    this.withdrawalQueries.clear();
  }

  snapshot(): { requests: Record<string, number>; statusQueries: { invoices: Record<string, number>; withdrawals: Record<string, number> } } {
    return {
      requests: Object.fromEntries(this.requests),
      statusQueries: { invoices: Object.fromEntries(this.invoiceQueries), withdrawals: Object.fromEntries(this.withdrawalQueries) },
    };
  }
}
