import { Inject, Injectable, Logger } from '@nestjs/common';
import { NetzmeClient } from '@app/netzme-client';
import { fromMinor, timestampedReference, toMinor } from '@app/snap';
import { BadRequestError, ConflictError, NotFoundError } from '../http/app-error';
import { assertSameRequest, requestFingerprint } from '../idempotency/idempotency';
import type { JobRunResult } from '../jobs/job-registry';
import { describeFailure } from '../payout';
import { DepositErrorCode } from './deposit-errors';
import type { DepositSplitFee } from './deposit-split-fee.entity';
import { DEPOSIT_SETTINGS, type DepositSettings } from './deposit.settings';
import { DepositRepository, type SplitFeeFacts } from './deposit.repository';
import { decideSplitFee, type SplitFeeObservation } from './split-fee-state';

type Limiter = <T>(fn: () => Promise<T>) => Promise<T>;
const direct: Limiter = (fn) => fn();

/** Automatic same-reference re-sends of an unknown split fee before it is left to people. */
const MAX_SENDS = 10;
/** A row that keeps changing under us this often is a bug, not a race. */
const MAX_RACES = 5;

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
    private readonly repo: DepositRepository,
    @Inject(DEPOSIT_SETTINGS) private readonly settings: DepositSettings,
    private readonly netzmeClient: NetzmeClient,
  ) {}

  async create(input: CreateSplitFeeInput): Promise<{ created: boolean; splitFee: DepositSplitFee }> {
    const amountMinor = toMinor(input.amount);
    const feeMinor = toMinor(input.feeAmount);
    if (amountMinor <= 0n) {
      throw new BadRequestError(DepositErrorCode.INVALID_AMOUNT, 'amount must be greater than 0');
    }
    if (feeMinor <= 0n) {
      // Nothing to deduct: Netzme would record a zero movement on the deposit.
      throw new BadRequestError(
        DepositErrorCode.INVALID_FEE,
        'feeAmount must be greater than 0 (a sale without a fee has nothing to deduct: do not report it)',
      );
    }
    if (feeMinor > amountMinor) {
      throw new BadRequestError(DepositErrorCode.INVALID_FEE, 'feeAmount cannot be more than amount');
    }
    const { idempotencyKey, ...asked } = input;
    const fingerprint = requestFingerprint({ ...asked, amount: fromMinor(amountMinor), feeAmount: fromMinor(feeMinor) });
    const existing = await this.repo.findSplitFeeByKey(idempotencyKey);
    if (existing) {
      return { created: false, splitFee: replay(existing, fingerprint) };
    }
    const id = await this.repo.insertSplitFee(
      {
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
      },
      this.settings.createGraceMs,
    );
    if (!id) {
      const twin = await this.repo.findSplitFeeByKey(idempotencyKey);
      if (twin) {
        return { created: false, splitFee: replay(twin, fingerprint) };
      }
      throw new ConflictError(
        DepositErrorCode.SPLIT_FEE_REFERENCE_USED,
        `partnerReferenceNo ${input.partnerReferenceNo} was already reported (with another Idempotency-Key)`,
      );
    }
    await this.send(id, true);
    return { created: true, splitFee: await this.get(id) };
  }

  async get(id: string): Promise<DepositSplitFee> {
    const row = await this.repo.findSplitFee(id);
    if (!row) {
      throw new NotFoundError(DepositErrorCode.SPLIT_FEE_NOT_FOUND, `No split fee with id ${id}`);
    }
    return row;
  }

  /** One tick: unknown (or abandoned) split fees, claimed with claimDue, are re-sent with their own reference. */
  async pollDue(context: { limit?: Limiter; batchSize?: number; signal?: AbortSignal } = {}): Promise<JobRunResult> {
    if (context.signal?.aborted) return { processed: 0 };
    const ids = await this.repo.claimDueSplitFees(context.batchSize ?? 50, this.settings.pollLeaseMs, MAX_SENDS);
    let processed = 0;
    let errors = 0;
    for (const id of ids) {
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
    if (!(await this.repo.markSplitFeeSent(id))) {
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
        await this.observe(
          id,
          { type: 'refused', first, reason: failure.message },
          first ? { failureReason: `Netzme refused it: ${failure.message}` } : { lastError: `re-send refused: ${failure.message}` },
        );
      } else {
        await this.observe(id, { type: 'lost', reason: failure.message }, { lastError: `outcome unknown: ${failure.message}` });
      }
    }
    // Next look with backoff (only matters while it is still open).
    await this.repo.scheduleSplitFeeCheck(id, this.settings.pollDelayMs, this.settings.pollMaxDelayMs);
  }

  /**
   * The transition function: pure decision, one conditional UPDATE (decided again if the row moved
   * meanwhile). A decision that keeps the status still records a new lastError.
   */
  private async observe(id: string, observation: SplitFeeObservation, facts: SplitFeeFacts): Promise<void> {
    for (let attempt = 0; attempt < MAX_RACES; attempt++) {
      const row = await this.repo.findSplitFee(id);
      if (!row) return;
      const decision = decideSplitFee(row, observation);
      if (!decision.to) {
        if (facts.lastError) await this.repo.setSplitFeeError(id, facts.lastError);
        return;
      }
      if (await this.repo.applySplitFee(id, [row.status], decision.to, facts)) {
        this.logger.log(`split fee ${id}: ${row.status} -> ${decision.to}`);
        return;
      }
    }
    throw new Error(`split fee ${id} kept changing while an observation was being applied`);
  }
}

/** Same key: the same sale -> the same record; another sale -> 409 IDEMPOTENCY_KEY_REUSED. */
function replay(row: DepositSplitFee, fingerprint: string): DepositSplitFee {
  assertSameRequest(row, fingerprint, 'split fee', { splitFeeId: row.id });
  return row;
}
