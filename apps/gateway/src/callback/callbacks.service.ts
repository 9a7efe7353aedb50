import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import type { JobContext, JobRunResult } from '../jobs/job-registry';
import { CallbackRepository, CallbackListFilter } from './callback.repository';
import { CallbackKind, dedupeKey, mainReference, NETZME_REPLIES, NetzmeReply, rawDedupeKey, successReply } from './callback-kinds';
import { readCallback } from './callback-parser';
import { CallbackProcessorService } from './callback-processor.service';
import { CALLBACK_SETTINGS, CallbackSettings } from './callback.settings';
import { NetzmeCallback } from './netzme-callback.entity';
import { NetzmeCallbackError } from './netzme-callback.exception';

/** How owners begin the reason of a payment or transfer Netzme did not (yet) confirm. */
const NOT_CONFIRMED = 'not confirmed';

export interface IncomingCallback {
  kind: CallbackKind;
  /** Parsed JSON (whatever the body parser produced). */
  body: unknown;
  /** Exact bytes as received (undefined when the body was not read as JSON). */
  rawBody: string | undefined;
  headers: Record<string, string>;
}

/**
 * Netzme -> gateway: store every authenticated notification once (inbox, unique dedupe key), answer
 * Netzme at once, then confirm and apply it in the background through its owner, which asks Netzme's
 * status call before anything moves (confirm before trust). Repeats are acknowledged without being
 * applied again; a stored notification whose confirmation did not finish (Netzme unreachable, a
 * crash) is finished by Netzme's next retry or by the `callback-reapply` job.
 */
@Injectable()
export class CallbacksService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Callbacks');
  /** Confirmations queued or running after their callback was answered. */
  private readonly inFlight = new Set<Promise<unknown>>();
  /**
   * Confirmations wait here for one of CALLBACK_CONFIRM_CONCURRENCY slots, so that a burst of
   * callbacks is answered at full speed and confirmed at a steady pace (each asks Netzme). The rows
   * are durable: whatever is still queued at shutdown is picked up by the re-apply job.
   */
  private readonly queue: Array<{ work: () => Promise<unknown>; done: () => void }> = [];
  private running = 0;

  constructor(
    private readonly inbox: CallbackRepository,
    private readonly processor: CallbackProcessorService,
    @Inject(CALLBACK_SETTINGS) private readonly settings: CallbackSettings,
  ) {}

  /**
   * Called after authentication. Throws NetzmeCallbackError (400) only for a body that is not a
   * JSON object; everything authentic and readable is stored and answered 200, even when it is an
   * anomaly (too deep, NUL characters, no reference), so that Netzme stops retrying. DB errors on the
   * inbox write propagate (-> 500, Netzme retries).
   */
  async receive(incoming: IncomingCallback): Promise<NetzmeReply> {
    const { kind, body, rawBody } = incoming;
    if (rawBody === undefined || rawBody === '' || body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new NetzmeCallbackError(400, NETZME_REPLIES.invalidBody);
    }
    const payload = body as Record<string, unknown>;
    // Read once, here: the owners get this event, never the body.
    const event = readCallback(kind, rawBody, payload);
    if (event.type === 'unreadable') {
      // Authentic but unusable: keep it (in a safe form) for a person and acknowledge it.
      await this.inbox.store({
        kind,
        dedupeKey: rawDedupeKey(kind, rawBody),
        reference: mainReference(kind, payload),
        rawBody,
        headers: incoming.headers,
        status: 'anomaly',
        reason: event.reason,
        leaseMs: this.settings.applyLeaseMs,
      });
      this.logger.warn(`${kind} callback kept as an anomaly: ${event.reason}`);
      return successReply(kind, payload);
    }

    const { row, inserted } = await this.inbox.store({
      kind,
      dedupeKey: dedupeKey(kind, payload),
      reference: mainReference(kind, payload),
      rawBody,
      headers: incoming.headers,
      status: 'received',
      leaseMs: this.settings.applyLeaseMs,
    });
    if (inserted) {
      this.inBackground(() => this.processor.applyStored(row, event));
    } else if (row.status === 'failed' || (row.status === 'received' && (!row.nextAttemptAt || row.nextAttemptAt.getTime() <= Date.now()))) {
      // A repeat of one we stored but could not finish: finish it now.
      this.inBackground(async () => {
        const claimed = await this.inbox.claim(row.id, this.settings.applyLeaseMs);
        if (claimed) {
          await this.processor.applyStored(claimed, event);
        }
      });
    } else if (row.status === 'anomaly' && row.reason?.startsWith(NOT_CONFIRMED)) {
      // Netzme did not confirm it before, e.g. because a forger sent the same notification ahead of
      // the payment: this copy may be Netzme's own, sent after it. Ask Netzme again.
      this.inBackground(async () => {
        const claimed = await this.inbox.claim(row.id, this.settings.applyLeaseMs, true);
        if (claimed) {
          await this.processor.applyStored(claimed, event);
        }
      });
    }
    return successReply(kind, payload);
  }

  /** Run the confirmation after the answer; failures are recorded by applyStored, never thrown here. */
  private inBackground(work: () => Promise<unknown>): void {
    const finished = new Promise<void>((done) => this.queue.push({ work, done }));
    this.inFlight.add(finished);
    void finished.then(() => this.inFlight.delete(finished));
    this.pump();
  }

  private pump(): void {
    while (this.running < this.settings.confirmConcurrency && this.queue.length > 0) {
      const { work, done } = this.queue.shift()!;
      this.running++;
      void Promise.resolve()
        .then(work)
        .catch((err: unknown) =>
          this.logger.error(`callback confirmation failed, the re-apply job takes it: ${err instanceof Error ? err.message : String(err)}`),
        )
        .finally(() => {
          this.running--;
          done();
          this.pump();
        });
    }
  }

  /**
   * Before the database closes: drop what is still queued (stored as `received`, the re-apply job
   * takes it after its lease) and let running confirmations finish (at most 10 s).
   */
  async beforeApplicationShutdown(): Promise<void> {
    for (const queued of this.queue.splice(0)) {
      queued.done();
    }
    if (this.inFlight.size > 0) {
      await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    }
  }

  /** Confirmations still running (tests and shutdown wait for them). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
    }
  }

  async get(id: string): Promise<NetzmeCallback | null> {
    return this.inbox.get(id);
  }

  list(filter: CallbackListFilter): Promise<{ items: NetzmeCallback[]; nextCursor: string | null }> {
    return this.inbox.list(filter);
  }

  /** Admin: apply a stored callback again (e.g. after fixing what made it an anomaly). Safe: owners are idempotent. */
  async reapply(id: string): Promise<NetzmeCallback | null | 'busy'> {
    const existing = await this.inbox.get(id);
    if (!existing) {
      return null;
    }
    const claimed = await this.inbox.claim(id, this.settings.applyLeaseMs, true);
    if (!claimed) {
      return 'busy';
    }
    await this.processor.applyStored(claimed);
    return this.inbox.get(id);
  }

  /** One tick of `callback-reapply`: due unfinished callbacks (failed, stuck received, pending_owner). */
  async reapplyDue(ctx: Pick<JobContext, 'batchSize' | 'signal'>): Promise<JobRunResult> {
    const due = await this.inbox.claimDue(ctx.batchSize ?? this.settings.reapplyBatchSize, this.settings.applyLeaseMs);
    let errors = 0;
    const outcomes: Record<string, number> = {};
    for (const callback of due) {
      if (ctx.signal?.aborted) {
        break; // leased rows come back when the lease ends
      }
      const result = await this.processor.applyStored(callback);
      outcomes[result.status] = (outcomes[result.status] ?? 0) + 1;
      if (result.status === 'failed') {
        errors++;
      }
    }
    if (due.length > 0) {
      this.logger.log(`re-applied ${due.length} callback(s): ${JSON.stringify(outcomes)}`);
    }
    return { processed: due.length, errors, details: outcomes };
  }
}
