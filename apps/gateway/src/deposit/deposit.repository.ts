import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { scheduleWithBackoff } from '../database/backoff';
import { claimDue } from '../database/claim-due';
import { DepositSplitFee } from './deposit-split-fee.entity';
import { SPLIT_FEE_OPEN_STATUSES, type SplitFeeStatus } from './split-fee-state';

/** A split fee as written before Deduct Deposit and Split Fee is called (PENDING_SUBMIT). */
export type NewSplitFee = Pick<
  DepositSplitFee,
  | 'merchantId'
  | 'partnerReferenceNo'
  | 'idempotencyKey'
  | 'requestFingerprint'
  | 'amountMinor'
  | 'feeMinor'
  | 'sku'
  | 'productName'
  | 'payMethod'
  | 'bankName'
  | 'description'
>;

/** Facts a split-fee transition records beside its status. */
export type SplitFeeFacts = Partial<Pick<DepositSplitFee, 'referenceNo' | 'failureReason' | 'lastError'>>;

/** The deposit module's SQL (split fees): its services call this, never the DataSource. */
@Injectable()
export class DepositRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findSplitFee(id: string): Promise<DepositSplitFee | null> {
    return this.splitFees().findOneBy({ id });
  }

  findSplitFeeByKey(idempotencyKey: string): Promise<DepositSplitFee | null> {
    return this.splitFees().findOneBy({ idempotencyKey });
  }

  /**
   * Insert the PENDING_SUBMIT row; null when the key or the sale's reference is taken (ON CONFLICT
   * DO NOTHING). The poller leaves the row to its request for `graceMs`.
   */
  async insertSplitFee(row: NewSplitFee, graceMs: number): Promise<string | null> {
    const inserted = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(DepositSplitFee)
      .values({ ...row, status: 'PENDING_SUBMIT', nextCheckAt: () => `now() + make_interval(secs => ${Number(graceMs) / 1000})` })
      .orIgnore()
      .returning(['id'])
      .execute();
    return (inserted.raw as Array<{ id?: string }>)[0]?.id ?? null;
  }

  /** Count a send of a still-open split fee; false when it is final already (nothing to send). */
  async markSplitFeeSent(id: string): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(DepositSplitFee)
      .set({ submitAttempts: () => 'submit_attempts + 1', updatedAt: () => 'now()' })
      .where('id = :id AND status IN (:...open)', { id, open: SPLIT_FEE_OPEN_STATUSES })
      .execute();
    return result.affected === 1;
  }

  /** Apply a decision: ONE conditional UPDATE; false when the row moved on meanwhile. */
  async applySplitFee(id: string, allowedFrom: readonly SplitFeeStatus[], to: SplitFeeStatus, facts: SplitFeeFacts): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(DepositSplitFee)
      .set({ ...facts, status: to, updatedAt: () => 'now()' })
      .where('id = :id AND status IN (:...allowedFrom)', { id, allowedFrom })
      .execute();
    return result.affected === 1;
  }

  async setSplitFeeError(id: string, lastError: string): Promise<void> {
    await this.splitFees().update({ id }, { lastError });
  }

  /** The poller's claim (claimDue): open split fees due again and still under the send limit. */
  async claimDueSplitFees(batch: number, leaseMs: number, maxSends: number): Promise<string[]> {
    const rows = await claimDue(this.dataSource, {
      table: 'deposit_split_fees',
      dueColumn: 'next_check_at',
      open: 'status = ANY($3::text[]) AND submit_attempts < $4',
      params: [SPLIT_FEE_OPEN_STATUSES, maxSends],
      batch,
      leaseMs,
    });
    return rows.map((row) => String(row.id));
  }

  /** Next look with backoff (only while it is still open), counted in sends. */
  scheduleSplitFeeCheck(id: string, delayMs: number, maxDelayMs: number): Promise<void> {
    return scheduleWithBackoff(this.dataSource, {
      table: 'deposit_split_fees',
      id,
      attemptsColumn: 'submit_attempts',
      delayMs,
      maxDelayMs,
      openStatuses: SPLIT_FEE_OPEN_STATUSES,
    });
  }

  private splitFees() {
    return this.dataSource.getRepository(DepositSplitFee);
  }
}
