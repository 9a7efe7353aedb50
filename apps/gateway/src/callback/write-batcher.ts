/**
 * Natural write batching ("group commit"): items submitted while a flush is in flight are written
 * together by the next flush, in one statement. Under light load every item is flushed on its own
 * (no added wait); under heavy load a burst of callbacks costs one database round trip instead of
 * one each — round trips, not SQL work, are what a callback mostly spends its time on.
 */
export class WriteBatcher<I, O> {
  private queue: Array<{ item: I; resolve: (value: O) => void; reject: (error: unknown) => void }> = [];
  private flushing = false;

  constructor(
    private readonly flush: (items: I[]) => Promise<O[]>,
    private readonly maxBatch = 256,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Let the requests that arrived in the same tick join this flush.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = await this.flush(batch.map((entry) => entry.item));
        batch.forEach((entry, i) => entry.resolve(results[i]));
      } catch (error) {
        if (batch.length === 1) {
          batch[0].reject(error);
          continue;
        }
        // One statement for many callers failed: perhaps because of one bad item. Write each on its
        // own, so that only the item that really fails (or every item, if the database is down) fails.
        for (const entry of batch) {
          try {
            const [result] = await this.flush([entry.item]);
            entry.resolve(result);
          } catch (itemError) {
            entry.reject(itemError);
          }
        }
      }
    }
    this.flushing = false;
  }
}
