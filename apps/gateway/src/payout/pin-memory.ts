/**
 * Clear PINs of withdrawals whose outcome is unknown, in this process's memory only, for a bounded
 * time: enough for the poller to resubmit the same reference when Netzme says it has no such
 * transfer. Never written to the database or a log; gone on restart (an admin then resubmits with
 * the PIN, see POST /withdrawals/:id/resubmit).
 */
export class PinMemory {
  private readonly pins = new Map<string, { pin: string; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  remember(withdrawalId: string, pin: string): void {
    this.sweep();
    if (this.ttlMs > 0) {
      this.pins.set(withdrawalId, { pin, expiresAt: this.now() + this.ttlMs });
    }
  }

  recall(withdrawalId: string): string | null {
    const entry = this.pins.get(withdrawalId);
    if (!entry) {
      return null;
    }
    if (entry.expiresAt <= this.now()) {
      this.pins.delete(withdrawalId);
      return null;
    }
    return entry.pin;
  }

  forget(withdrawalId: string): void {
    this.pins.delete(withdrawalId);
  }

  get size(): number {
    return this.pins.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, entry] of this.pins) {
      if (entry.expiresAt <= now) {
        this.pins.delete(id);
      }
    }
  }
}
