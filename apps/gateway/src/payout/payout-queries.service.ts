import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '../http/app-error';
import { PayoutErrorCode } from './payout-errors';
import { PayoutRepository, type PayoutListFilter } from './payout.repository';
import { PAYOUT_SETTINGS, type PayoutSettings } from './payout.settings';
import { isTerminal } from './payout-state';
import type { Withdrawal, WithdrawalKind } from './withdrawal.entity';

/** Reading payouts: one, a list, the review queue. */
@Injectable()
export class PayoutQueries {
  constructor(
    private readonly repo: PayoutRepository,
    @Inject(PAYOUT_SETTINGS) private readonly settings: PayoutSettings,
  ) {}

  /** One payout of a kind with its full history; 404 otherwise. */
  async get(kind: WithdrawalKind, id: string): Promise<Withdrawal> {
    const row = await this.repo.findWithEvents(kind, id);
    if (!row) {
      throw new NotFoundError(PayoutErrorCode.WITHDRAWAL_NOT_FOUND, `No ${kind === 'DEPOSIT' ? 'deposit ' : ''}withdrawal with id ${id}`);
    }
    return row;
  }

  list(kind: WithdrawalKind, filter: PayoutListFilter): Promise<{ items: Withdrawal[]; total?: number }> {
    return this.repo.list(kind, filter);
  }

  /** Unresolved longer than the review threshold, or carrying an anomaly nobody acknowledged. */
  reviewQueue(kind: WithdrawalKind): Promise<Withdrawal[]> {
    return this.repo.reviewQueue(kind, this.settings.reviewAfterMs);
  }

  needsReview(row: Withdrawal, now = Date.now()): boolean {
    return row.anomaly !== null || (!isTerminal(row.status) && row.createdAt.getTime() < now - this.settings.reviewAfterMs);
  }
}
