import { Inject, Injectable } from '@nestjs/common';
import { SANDBOX_OPTIONS, type ResolvedSandboxOptions } from '../config/sandbox-options';
import { FifoQueue, SEEN_REFERENCES_FACTOR } from './retention';

/** Counters keyed by transaction, forgetting the oldest keys past a capacity (retention limit). */
class BoundedCounters {
  private readonly counts = new Map<string, number>();
  private readonly order = new FifoQueue<string>();

  constructor(private readonly capacity: () => number) {}

  increment(key: string): void {
    const count = this.counts.get(key);
    if (count === undefined) {
      this.order.push(key);
    }
    this.counts.set(key, (count ?? 0) + 1);
    while (this.counts.size > this.capacity()) {
      this.counts.delete(this.order.shift()!);
    }
  }

  clear(): void {
    this.counts.clear();
    this.order.clear();
  }

  toObject(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}

/**
 * Counters tests read from `/sandbox/state`: requests per Netzme path (to prove e.g. that a
 * gateway reuses its token) and status queries per transaction (to prove that an unknown outcome
 * was resolved by asking rather than by paying again).
 */
@Injectable()
export class StatsService {
  private readonly requests = new Map<string, number>();
  private readonly invoiceQueries: BoundedCounters;
  private readonly withdrawalQueries: BoundedCounters;

  constructor(@Inject(SANDBOX_OPTIONS) options: ResolvedSandboxOptions) {
    // One counter per transaction queried: kept for as many transactions as references are remembered.
    const capacity = () => options.retentionMaxSettled * SEEN_REFERENCES_FACTOR;
    this.invoiceQueries = new BoundedCounters(capacity);
    this.withdrawalQueries = new BoundedCounters(capacity);
  }

  countRequest(path: string): void {
    this.requests.set(path, (this.requests.get(path) ?? 0) + 1);
  }

  /** Get Invoice Transaction answered for this trxId. */
  countInvoiceQuery(trxId: string): void {
    this.invoiceQueries.increment(trxId);
  }

  /** Get Information Withdraw (or its deposit twin) answered for this withdrawal referenceNo. */
  countWithdrawalQuery(referenceNo: string): void {
    this.withdrawalQueries.increment(referenceNo);
  }

  reset(): void {
    this.requests.clear();
    this.invoiceQueries.clear();
    this.withdrawalQueries.clear();
  }

  snapshot(): { requests: Record<string, number>; statusQueries: { invoices: Record<string, number>; withdrawals: Record<string, number> } } {
    return {
      requests: Object.fromEntries(this.requests),
      statusQueries: { invoices: this.invoiceQueries.toObject(), withdrawals: this.withdrawalQueries.toObject() },
    };
  }
}
