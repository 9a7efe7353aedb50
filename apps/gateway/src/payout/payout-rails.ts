import { Injectable } from '@nestjs/common';
import type { PayoutRail } from './payout-rail';
import type { WithdrawalKind } from './withdrawal.entity';

/** The rail of each kind (merchant, deposit), registered at start-up by PayoutJobs (tests plug in their own). */
@Injectable()
export class PayoutRails {
  private readonly rails = new Map<WithdrawalKind, PayoutRail>();

  register(rail: PayoutRail): void {
    this.rails.set(rail.kind, rail);
  }

  of(kind: WithdrawalKind): PayoutRail {
    const rail = this.rails.get(kind);
    if (!rail) {
      throw new Error(`no payout rail registered for ${kind}`);
    }
    return rail;
  }
}
