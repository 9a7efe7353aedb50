import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobRegistry } from '../jobs/job-registry';
import { DepositPayoutRail, MerchantPayoutRail } from './netzme-payout-rails';
import { PayoutEngine } from './payout-engine.service';

/** The pollers of both kinds (job names are public: job routes, metrics and alerts use them). */
export const WITHDRAWAL_STATUS_POLL_JOB = 'withdrawal-status-poll';
export const DEPOSIT_WITHDRAWAL_STATUS_POLL_JOB = 'deposit-withdrawal-status-poll';

/** Plugs both rails into the engine and registers one status poller per kind. */
@Injectable()
export class PayoutJobs implements OnModuleInit {
  constructor(
    private readonly engine: PayoutEngine,
    private readonly merchantRail: MerchantPayoutRail,
    private readonly depositRail: DepositPayoutRail,
    private readonly jobs: JobRegistry,
  ) {}

  onModuleInit(): void {
    this.engine.registerRail(this.merchantRail);
    this.engine.registerRail(this.depositRail);
    this.jobs.register({
      name: WITHDRAWAL_STATUS_POLL_JOB,
      description:
        'Resolves merchant withdrawals that are PROCESSING, UNKNOWN or abandoned before Netzme answered (PENDING_SUBMIT past its grace): asks Get Information Withdraw, resubmits the SAME reference only when Netzme has no such transfer.',
      defaultIntervalMs: 10_000,
      defaultBatchSize: 20,
      run: (context) => this.engine.pollDue('MERCHANT', context),
    });
    this.jobs.register({
      name: DEPOSIT_WITHDRAWAL_STATUS_POLL_JOB,
      description:
        'Resolves deposit withdrawals that are PROCESSING, UNKNOWN or abandoned before Netzme answered: asks Get Information Withdraw Deposit (with the referenceNo we generated and stored before the call), resubmits the SAME reference only when Netzme has no such transfer.',
      defaultIntervalMs: 10_000,
      defaultBatchSize: 20,
      run: (context) => this.engine.pollDue('DEPOSIT', context),
    });
  }
}
