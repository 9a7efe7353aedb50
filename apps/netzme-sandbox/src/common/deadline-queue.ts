import type { TimersService } from './timers.service';

/** setTimeout cannot wait longer than ~24.8 days: wake up and look again for later deadlines. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One timer for many deadlines (invoice expiry): a binary min-heap of `(atMs, key)` and a single
 * timer armed for the earliest one, instead of one timer and closure per invoice. Entries are
 * never removed early (a paid invoice's entry just finds nothing to do when it comes due).
 */
export class DeadlineQueue {
  private heap: { atMs: number; key: string }[] = [];
  private cancelTimer?: () => void;
  private armedFor = Infinity;

  constructor(
    private readonly timers: TimersService,
    private readonly onDue: (key: string) => void,
  ) {}

  get size(): number {
    return this.heap.length;
  }

  add(atMs: number, key: string): void {
    this.heap.push({ atMs, key });
    this.up(this.heap.length - 1);
    if (atMs < this.armedFor) {
      this.arm();
    }
  }

  /**
   * Keep only the entries `live` accepts, in one O(n) rebuild: entries of settled invoices would
   * otherwise stay until their deadline (an hour by default) under a heavy create-and-pay load.
   */
  retain(live: (key: string) => boolean): void {
    this.heap = this.heap.filter((entry) => live(entry.key));
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) {
      this.down(i);
    }
    this.arm();
  }

  clear(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.armedFor = Infinity;
    this.heap = [];
  }

  private arm(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.armedFor = Infinity;
    const first = this.heap[0];
    if (!first) {
      return;
    }
    this.armedFor = first.atMs;
    this.cancelTimer = this.timers.schedule(Math.min(first.atMs - Date.now(), MAX_TIMER_MS), () => {
      this.cancelTimer = undefined;
      this.armedFor = Infinity;
      this.fire();
    });
  }

  private fire(): void {
    const now = Date.now();
    while (this.heap.length > 0 && this.heap[0].atMs <= now) {
      const { key } = this.pop();
      this.onDue(key);
    }
    this.arm();
  }

  private pop(): { atMs: number; key: string } {
    const top = this.heap[0];
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (h[parent].atMs <= h[i].atMs) {
        break;
      }
      [h[parent], h[i]] = [h[i], h[parent]];
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < h.length && h[l].atMs < h[smallest].atMs) {
        smallest = l;
      }
      if (r < h.length && h[r].atMs < h[smallest].atMs) {
        smallest = r;
      }
      if (smallest === i) {
        return;
      }
      [h[smallest], h[i]] = [h[i], h[smallest]];
      i = smallest;
    }
  }
}
