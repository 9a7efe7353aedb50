import { HttpStatus, Injectable, OnModuleInit } from '@nestjs/common';
import { NetzmeClient } from '@app/netzme-client';
import { fromMinor, jakartaTimestamp, toMinorLenient } from '@app/snap';
import type { WithdrawalStatusEvent } from '../callback';
import { AppError, BadRequestError } from '../http/app-error';
import { JobRegistry } from '../jobs/job-registry';
import { moneyView } from '../money/money.view';
import { netzmeHttpError, PayoutEngine, type NotificationResult } from '../payout';
import type { DepositSplitFee } from './deposit-split-fee.entity';
import { DepositSplitFeesService, type CreateSplitFeeInput } from './deposit-split-fees.service';
import { DepositTopupsService } from './deposit-topups.service';
import type { DepositBalanceView, DepositTransactionsPage, SplitFeeView, TopupView } from './dto/deposit.dto';

export { DEPOSIT_WITHDRAWAL_STATUS_POLL_JOB } from '../payout';
export const DEPOSIT_SPLIT_FEE_RESOLVE_JOB = 'deposit-split-fee-resolve';

const DAY_MS = 24 * 3_600_000;

export function toSplitFeeView(row: DepositSplitFee): SplitFeeView {
  return {
    id: row.id,
    status: row.status,
    partnerReferenceNo: row.partnerReferenceNo,
    amount: moneyView(row.amountMinor),
    feeAmount: moneyView(row.feeMinor),
    referenceNo: row.referenceNo,
    failureReason: row.failureReason,
    lastError: row.lastError,
    submitAttempts: row.submitAttempts,
    createdAt: row.createdAt.toISOString(),
  };
}

/**
 * The prepaid deposit: balance and history (read from Netzme), top-ups (invoices paying into the
 * deposit) and withdrawals of the deposit to the bank, which run on the same payout engine as
 * merchant withdrawals. The callback module calls applyWithdrawalNotification; top-up payments go to
 * the invoice engine, which owns top-ups.
 */
@Injectable()
export class DepositService implements OnModuleInit {
  constructor(
    private readonly engine: PayoutEngine,
    private readonly topups: DepositTopupsService,
    private readonly splitFees: DepositSplitFeesService,
    private readonly jobs: JobRegistry,
    private readonly netzmeClient: NetzmeClient,
  ) {}

  onModuleInit(): void {
    this.jobs.register({
      name: DEPOSIT_SPLIT_FEE_RESOLVE_JOB,
      description: 'Re-sends split fees whose outcome is unknown with their SAME partnerReferenceNo (accepted now or "duplicate" both mean deducted once).',
      defaultIntervalMs: 30_000,
      defaultBatchSize: 50,
      run: (context) => this.splitFees.pollDue(context),
    });
  }

  // ---- balance and history ----------------------------------------------------------------------

  async balance(): Promise<DepositBalanceView> {
    try {
      const answer = await this.netzmeClient.getDepositBalance();
      const balances = (answer.accountInfo ?? []).map((entry) => {
        const minor = toMinorLenient(entry.amount?.value);
        return {
          type: entry.balanceType,
          amount: { value: minor === null ? String(entry.amount?.value ?? '') : fromMinor(minor), currency: entry.amount?.currency ?? 'IDR' },
        };
      });
      const main = balances.find((b) => b.type === 'totalBalance') ?? balances[0];
      if (!main) {
        throw new AppError(HttpStatus.BAD_GATEWAY, 'NETZME_BAD_ANSWER', 'Deposit balance: Netzme answered without any balance');
      }
      return { balance: main.amount, balances, ...(answer.referenceNo ? { referenceNo: answer.referenceNo } : {}) };
    } catch (err) {
      throw netzmeHttpError(err, 'Deposit balance');
    }
  }

  async transactions(query: { from?: string; to?: string; page?: number }): Promise<DepositTransactionsPage> {
    // Netzme takes whole seconds: a default "now" is rounded up so the last second's entries count.
    const to = query.to ? new Date(query.to) : new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000);
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - 7 * DAY_MS);
    if (from >= to) {
      throw new BadRequestError('INVALID_DATE_RANGE', 'from must be before to');
    }
    const page = query.page ?? 1;
    try {
      const answer = await this.netzmeClient.getDepositTransactions({ fromDateTime: from, toDateTime: to, pageNumber: page });
      return {
        items: (answer.detailData ?? []).map((item) => {
          const minor = toMinorLenient(item.amount?.value);
          const info = (item.additionalInfo ?? {}) as Record<string, unknown>;
          return {
            type: item.type,
            status: item.status,
            amount: { value: minor === null ? String(item.amount?.value ?? '') : fromMinor(minor), currency: item.amount?.currency ?? 'IDR' },
            dateTime: item.dateTime ?? (typeof info.createdTs === 'string' ? info.createdTs : null),
            description: typeof info.desc === 'string' ? info.desc : null,
            details: info,
          };
        }),
        page,
        from: jakartaTimestamp(from),
        to: jakartaTimestamp(to),
      };
    } catch (err) {
      throw netzmeHttpError(err, 'Deposit transactions');
    }
  }

  // ---- top-ups ----------------------------------------------------------------------------------

  /** Top-ups are invoices of the invoice engine (purpose DEPOSIT_TOPUP); their payments arrive through it too. */
  createTopup(input: {
    amount: string;
    payMethod: string;
    expiresInSeconds: number;
    idempotencyKey?: string;
  }): Promise<{ created: boolean; topup: TopupView }> {
    return this.topups.create(input);
  }

  getTopup(id: string): Promise<TopupView> {
    return this.topups.get(id);
  }

  // ---- split fees -------------------------------------------------------------------------------

  async createSplitFee(input: CreateSplitFeeInput): Promise<{ created: boolean; splitFee: SplitFeeView }> {
    const { created, splitFee } = await this.splitFees.create(input);
    return { created, splitFee: toSplitFeeView(splitFee) };
  }

  async getSplitFee(id: string): Promise<SplitFeeView> {
    return toSplitFeeView(await this.splitFees.get(id));
  }

  // ---- withdrawals (the payout engine, kind DEPOSIT; routes: DepositWithdrawalsController) ------------

  /** Withdraw Status Notification with additionalInfo.type submit_withdraw_deposit (the callback module's entry point). */
  applyWithdrawalNotification(event: WithdrawalStatusEvent): Promise<NotificationResult> {
    return this.engine.applyNotification('DEPOSIT', event);
  }
}
