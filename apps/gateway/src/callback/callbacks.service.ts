import { Inject, Injectable, Logger } from '@nestjs/common';
import type { JobContext, JobRunResult } from '../jobs/job-registry';
import { CallbackInboxService, CallbackListFilter } from './callback-inbox.service';
import { CallbackKind, checkPayload, dedupeKey, mainReference, NETZME_REPLIES, NetzmeReply, rawDedupeKey, successReply } from './callback-kinds';
import { CallbackProcessorService } from './callback-processor.service';
import { CALLBACK_SETTINGS, CallbackSettings } from './callback.settings';
import { NetzmeCallback } from './netzme-callback.entity';
import { NetzmeCallbackError } from './netzme-callback.exception';

export interface IncomingCallback {
  kind: CallbackKind;
  /** Parsed JSON (whatever the body parser produced). */
  body: unknown;
  /** Exact bytes as received (undefined when the body was not read as JSON). */
  rawBody: string | undefined;
  headers: Record<string, string>;
}

/**
 * Netzme -> gateway: store every authenticated notification once (inbox, unique dedupe key), then
 * apply it through its owner, then answer in Netzme's format. Repeats are acknowledged without being
 * applied again; a stored notification whose apply failed is finished by Netzme's next retry or by
 * the `callback-reapply` job.
 */
@Injectable()
export class CallbacksService {
  private readonly logger = new Logger('Callbacks');

  constructor(
    private readonly inbox: CallbackInboxService,
    private readonly processor: CallbackProcessorService,
    @Inject(CALLBACK_SETTINGS) private readonly settings: CallbackSettings,
  ) {}

  /** Called after authentication. Throws NetzmeCallbackError (4xx) for unreadable bodies; DB errors on the inbox write propagate (-> 500, Netzme retries). */
  async receive(incoming: IncomingCallback): Promise<NetzmeReply> {
    const { kind, body, rawBody } = incoming;
    if (rawBody === undefined || rawBody === '' || body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new NetzmeCallbackError(400, NETZME_REPLIES.invalidBody);
    }
    const payload = body as Record<string, unknown>;
    const check = checkPayload(kind, payload);
    if (!check.ok) {
      // Authentic but unusable: keep the bytes for a person, tell Netzme what is missing.
      await this.inbox.store({
        kind,
        dedupeKey: rawDedupeKey(kind, rawBody),
        reference: mainReference(kind, payload),
        rawBody,
        headers: incoming.headers,
        status: 'anomaly',
        reason: `malformed: ${check.field} is missing`,
        leaseMs: this.settings.applyLeaseMs,
      });
      throw new NetzmeCallbackError(400, NETZME_REPLIES.missingField(check.field));
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
      await this.processor.applyStored(row, payload);
    } else if (row.status === 'failed' || (row.status === 'received' && (!row.nextAttemptAt || row.nextAttemptAt.getTime() <= Date.now()))) {
      // A repeat of one we stored but could not finish: finish it now.
      const claimed = await this.inbox.claim(row.id, this.settings.applyLeaseMs);
      if (claimed) {
        await this.processor.applyStored(claimed, payload);
      }
    }
    return successReply(kind, payload);
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
