import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { NetzmeClient } from '@app/netzme-client';
import { fromMinor, timestampedReference, toMinor } from '@app/snap';
import { DataSource } from 'typeorm';
import { BadRequestError, ConflictError, NotFoundError } from '../common/app-error';
import { requestFingerprint } from '../idempotency/idempotency';
import type { JobRunResult } from '../jobs/job-registry';
import { describeFailure } from '../withdrawal/payout/payout-failure';
import { DepositSplitFee } from './deposit-split-fee.entity';
import { DEPOSIT_SETTINGS, type DepositSettings } from './deposit.settings';
import { decideSplitFee, SPLIT_FEE_OPEN_STATUSES, type SplitFeeObservation } from './split-fee-state';

type Limiter = <T>(fn: () => Promise<T>) => Promise<T>;
const direct: Limiter = (fn) => fn();

/** Automatic same-reference re-sends of an unknown split fee before it is left to people. */
const MAX_SENDS = 10;

export interface CreateSplitFeeInput {
  idempotencyKey: string;
  partnerReferenceNo?: string;
  amount: string;
  feeAmount: string;
  sku: string;
  productName: string;
  payMethod: string;
  bankName: string;
  description?: string;
}

/**
 * Deduct Deposit and Split Fee (T20): written before the call; an unknown outcome is resolved by
 * re-sending the SAME partnerReferenceNo, which Netzme either accepts now or refuses as a
 * duplicate — both mean the fee is deducted exactly once.
 */
@Injectable()
export class DepositSplitFeesService {
  private readonly logger = new Logger('DepositSplitFees');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DEPOSIT_SETTINGS) private readonly settings: DepositSettings,
    private readonly netzmeClient: NetzmeClient,
  ) {}

  async create(input: CreateSplitFeeInput): Promise<{ created: boolean; splitFee: DepositSplitFee }> {
    const amountMinor = toMinor(input.amount);
    const feeMinor = toMinor(input.feeAmount);
    if (amountMinor <= 0n) {
      throw new BadRequestError('INVALID_AMOUNT', 'amount must be greater than 0');
    }
    if (feeMinor <= 0n) {
      // Nothing to deduct: Netzme would record a zero movement on the deposit.
      throw new BadRequestError('INVALID_FEE', 'feeAmount must be greater than 0 (a sale without a fee has nothing to deduct: do not report it)');
    }
    if (feeMinor > amountMinor) {
      throw new BadRequestError('INVALID_FEE', 'feeAmount cannot be more than amount');
    }
    const { idempotencyKey, ...asked } = input;
    const fingerprint = requestFingerprint({ ...asked, amount: fromMinor(amountMinor), feeAmount: fromMinor(feeMinor) });
    const existing = await this.repo().findOneBy({ idempotencyKey });
    if (existing) {
      return { created: false, splitFee: this.replay(existing, fingerprint) };
    }
    const inserted = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(DepositSplitFee)
      .values({
        status: 'PENDING_SUBMIT',
        merchantId: this.netzmeClient.merchantId,
        partnerReferenceNo: input.partnerReferenceNo ?? timestampedReference('SF'),
        idempotencyKey,
        requestFingerprint: fingerprint,
        amountMinor,
        feeMinor,
        sku: input.sku,
        productName: input.productName,
        payMethod: input.payMethod,
        bankName: input.bankName,
        description: input.description ?? null,
        // The poller leaves the row to its request until the grace has passed.
        nextCheckAt: () => `now() + make_interval(secs => ${this.settings.createGraceMs / 1000})`,
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    const id = (inserted.raw as Array<{ id?: string }>)[0]?.id;
    if (!id) {
      const twin = await this.repo().findOneBy({ idempotencyKey });
      if (twin) {
        return { created: false, splitFee: this.replay(twin, fingerprint) };
      }
      throw new ConflictError('SPLIT_FEE_REFERENCE_USED', `partnerReferenceNo ${input.partnerReferenceNo} was already reported (with another Idempotency-Key)`);
    }
    await this.send(id, true);
    return { created: true, splitFee: await this.get(id) };
  }

  async get(id: string): Promise<DepositSplitFee> {
    const row = await this.repo().findOneBy({ id });
    if (!row) {
      throw new NotFoundError('SPLIT_FEE_NOT_FOUND', `No split fee with id ${id}`);
    }
    return row;
  }

  /** One tick: unknown (or abandoned) split fees are re-sent with their own reference. */
  async pollDue(context: { limit?: Limiter; batchSize?: number; signal?: AbortSignal } = {}): Promise<JobRunResult> {
    if (context.signal?.aborted) return { processed: 0 };
    const claimed: unknown = await this.dataSource.query(
      `UPDATE deposit_split_fees f
          SET next_check_at = now() + make_interval(secs => $2::double precision / 1000)
         FROM (SELECT id FROM deposit_split_fees
                WHERE status = ANY($3::text[]) AND next_check_at <= now() AND submit_attempts < $4
                ORDER BY next_check_at LIMIT $1 FOR UPDATE SKIP LOCKED) due
        WHERE f.id = due.id
        RETURNING f.id`,
      [Math.max(1, Math.floor(context.batchSize ?? 50)), this.settings.pollLeaseMs, SPLIT_FEE_OPEN_STATUSES, MAX_SENDS],
    );
    const ids = (Array.isArray((claimed as unknown[])[0]) ? (claimed as unknown[][])[0] : claimed) as Array<{ id: string }>;
    let processed = 0;
    let errors = 0;
    for (const { id } of ids) {
      try {
        await this.send(id, false, context.limit ?? direct);
        processed++;
      } catch (err) {
        errors++;
        this.logger.warn(`could not resolve split fee ${id}: ${describeFailure(err).message}`);
      }
    }
    return { processed, errors, details: { claimed: ids.length } };
  }

  private async send(id: string, first: boolean, limit: Limiter = direct): Promise<void> {
    const [rows] = (await this.dataSource.query(
      `UPDATE deposit_split_fees SET submit_attempts = submit_attempts + 1, updated_at = now() WHERE id = $1 AND status = ANY($2::text[]) RETURNING id`,
      [id, SPLIT_FEE_OPEN_STATUSES],
    )) as [unknown[], number];
    if (!rows?.length) {
      return; // already final
    }
    const row = await this.get(id);
    try {
      const answer = await limit(() =>
        this.netzmeClient.deductDepositSplitFee({
          partnerReferenceNo: row.partnerReferenceNo,
          amount: row.amountMinor,
          feeAmount: row.feeMinor,
          sku: row.sku,
          productName: row.productName,
          payMethod: row.payMethod,
          bankName: row.bankName,
          ...(row.description ? { desc: row.description } : {}),
        }),
      );
      await this.observe(id, { type: 'accepted' }, { referenceNo: answer.referenceNo || null, lastError: null });
    } catch (err) {
      const failure = describeFailure(err);
      if (failure.category === 'DUPLICATE_REFERENCE') {
        await this.observe(id, { type: 'duplicate' }, { lastError: null });
      } else if (failure.outcome === 'definite') {
        await this.observe(id, { type: 'refused', first, reason: failure.message }, first ? { failureReason: `Netzme refused it: ${failure.message}` } : { lastError: `re-send refused: ${failure.message}` });
      } else {
        await this.observe(id, { type: 'lost', reason: failure.message }, { lastError: `outcome unknown: ${failure.message}` });
      }
    }
    // Next look with backoff (only matters while it is still open).
    await this.dataSource.query(
      `UPDATE deposit_split_fees
          SET next_check_at = now() + make_interval(secs => LEAST($2::double precision, $3::double precision * power(2, LEAST(GREATEST(submit_attempts - 1, 0), 20))) / 1000)
        WHERE id = $1 AND status = ANY($4::text[])`,
      [id, this.settings.pollMaxDelayMs, this.settings.pollDelayMs, SPLIT_FEE_OPEN_STATUSES],
    );
  }

  /** The transition function: row lock, pure decision, conditional UPDATE; facts recorded either way. */
  private async observe(id: string, observation: SplitFeeObservation, facts: Partial<Pick<DepositSplitFee, 'referenceNo' | 'failureReason' | 'lastError'>>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const row = await manager.getRepository(DepositSplitFee).createQueryBuilder('f').setLock('pessimistic_write').where('f.id = :id', { id }).getOne();
      if (!row) return;
      const to = decideSplitFee(row.status, observation);
      const set = { ...(to ? facts : { lastError: facts.lastError ?? row.lastError }), ...(to ? { status: to } : {}) };
      await manager.createQueryBuilder().update(DepositSplitFee).set({ ...set, updatedAt: () => 'now()' }).where('id = :id AND status = :status', { id, status: row.status }).execute();
      if (to) this.logger.log(`split fee ${id}: ${row.status} -> ${to}`);
    });
  }

  private replay(row: DepositSplitFee, fingerprint: string): DepositSplitFee {
    if (row.requestFingerprint !== fingerprint) {
      throw new ConflictError('IDEMPOTENCY_KEY_REUSED', `This Idempotency-Key was already used for a different split fee (${row.id}); use a new key`, { splitFeeId: row.id });
    }
    return row;
  }

  private repo() {
    return this.dataSource.getRepository(DepositSplitFee);
  }
}
