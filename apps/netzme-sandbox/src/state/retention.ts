/**
 * Small bounded containers for the sandbox's retention limit (`retentionMaxSettled`): memory stays
 * bounded under any load because settled records are dropped oldest first once the limit is passed.
 */

/** Default number of settled records kept per kind (invoices, QRIS payments, transfers, callbacks, ...). */
export const DEFAULT_RETENTION_MAX_SETTLED = 10000;

/**
 * How many references of evicted records are still remembered (per kind) as a multiple of the
 * limit: a partner reference Netzme accepted once must keep being refused as a duplicate long after
 * the full record is gone, and a reference costs a few dozen bytes where a record costs kilobytes.
 */
export const SEEN_REFERENCES_FACTOR = 10;

/** First-in first-out queue on an array with a moving head: O(1) push and shift, compacted now and then. */
export class FifoQueue<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) {
      return undefined;
    }
    const item = this.items[this.head];
    this.items[this.head] = undefined as T; // let the garbage collector have it
    this.head++;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  toArray(): T[] {
    return this.items.slice(this.head);
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}

/** A set of strings that forgets its oldest members past `capacity`. */
export class RecentSet {
  private readonly members = new Set<string>();
  private readonly order = new FifoQueue<string>();

  constructor(private readonly capacity: () => number) {}

  get size(): number {
    return this.members.size;
  }

  has(value: string): boolean {
    return this.members.has(value);
  }

  add(value: string): void {
    if (this.members.has(value)) {
      return;
    }
    this.members.add(value);
    this.order.push(value);
    while (this.members.size > this.capacity()) {
      this.members.delete(this.order.shift()!);
    }
  }

  values(): string[] {
    return this.order.toArray();
  }

  clear(): void {
    this.members.clear();
    this.order.clear();
  }
}

/**
 * Drop the oldest removable entries of an array log once it holds more than `limit` (in batches of a
 * tenth of the limit, so the cost per added entry stays constant). `removable` keeps e.g. callbacks
 * still being delivered.
 */
export function pruneLog<T>(log: T[], limit: number, removable: (item: T) => boolean = () => true): void {
  if (log.length <= limit + Math.max(1, Math.floor(limit / 10))) {
    return;
  }
  let excess = log.length - limit;
  const kept = log.filter((item) => {
    if (excess > 0 && removable(item)) {
      excess--;
      return false;
    }
    return true;
  });
  log.length = 0;
  for (const item of kept) {
    log.push(item);
  }
}
