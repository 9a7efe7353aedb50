import { Injectable } from '@nestjs/common';
import type { WithdrawalStatusEvent } from '../callback';
import type { JobRunResult } from '../jobs/job-registry';
import type { PayoutListFilter } from './payout.repository';
import { PayoutQueries } from './payout-queries.service';
import type { PayoutInquiry, PayoutRail } from './payout-rail';
import { PayoutRails } from './payout-rails';
import { PayoutResolver, type NotificationResult } from './payout-resolve.service';
import { PayoutSubmitter, type CallLimiter, type CreatePayoutInput } from './payout-submit.service';
import type { Withdrawal, WithdrawalKind } from './withdrawal.entity';

/**
 * The one payout engine behind merchant withdrawals and deposit withdrawals: the payout module's
 * exported service. It owns every safety rule; rails (one per kind) only speak Netzme:
 * - the row (with our partnerReferenceNo, the idempotency key and the request fingerprint) is
 *   committed before Withdraw Process is called (PayoutSubmitter);
 * - an unknown outcome is a state (UNKNOWN), resolved by asking Netzme, never by a new reference;
 *   the same reference is resubmitted only when Netzme says it has no such transfer (PayoutResolver);
 * - every change goes through PayoutTransitions.observe (pure decision + one conditional UPDATE),
 *   shared by the request path, the poller, the notification and admins; terminal states never change.
 * This class only routes each call to the service doing that job.
 */
@Injectable()
export class PayoutEngine {
  constructor(
    private readonly rails: PayoutRails,
    private readonly submitter: PayoutSubmitter,
    private readonly resolver: PayoutResolver,
    private readonly queries: PayoutQueries,
  ) {}

  registerRail(rail: PayoutRail): void {
    this.rails.register(rail);
  }

  inquiry(kind: WithdrawalKind): Promise<PayoutInquiry> {
    return this.rails.of(kind).inquiry();
  }

  create(kind: WithdrawalKind, input: CreatePayoutInput): Promise<{ created: boolean; withdrawal: Withdrawal }> {
    return this.submitter.create(kind, input);
  }

  get(kind: WithdrawalKind, id: string): Promise<Withdrawal> {
    return this.queries.get(kind, id);
  }

  list(kind: WithdrawalKind, filter: PayoutListFilter): Promise<{ items: Withdrawal[]; total?: number }> {
    return this.queries.list(kind, filter);
  }

  reviewQueue(kind: WithdrawalKind): Promise<Withdrawal[]> {
    return this.queries.reviewQueue(kind);
  }

  needsReview(row: Withdrawal, now?: number): boolean {
    return this.queries.needsReview(row, now);
  }

  resolve(kind: WithdrawalKind, id: string, input: { status: 'SUCCEEDED' | 'FAILED'; reason: string; actor: string }): Promise<Withdrawal> {
    return this.resolver.resolve(kind, id, input);
  }

  resubmit(kind: WithdrawalKind, id: string, input: { pin: string; actor: string }): Promise<Withdrawal> {
    return this.resolver.resubmit(kind, id, input);
  }

  applyNotification(kind: WithdrawalKind, event: WithdrawalStatusEvent): Promise<NotificationResult> {
    return this.resolver.applyNotification(kind, event);
  }

  pollDue(kind: WithdrawalKind, context?: { limit?: CallLimiter; batchSize?: number; signal?: AbortSignal }): Promise<JobRunResult> {
    return this.resolver.pollDue(kind, context);
  }
}
