import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isNetzmeError, NetzmeClient } from '@app/netzme-client';
import type { CreateInvoiceTransactionResponse, InvoiceTransactionResponse } from '@app/snap';
import { fromMinor, timestampedReference, toMinor, toMinorLenient } from '@app/snap';
import { DataSource } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm';
import type { PaymentNotificationEvent } from '../callback';
import { BadRequestError, ConflictError, NotFoundError } from '../common/app-error';
import { requestFingerprint } from '../idempotency/idempotency';
import type { JobRunResult } from '../jobs/job-registry';
import { readRemoteState, type RemoteInvoiceState } from '../invoice/netzme-invoice.mapper';
import { describeFailure } from '../payout';
import { DepositTopup, type VirtualAccount } from './deposit-topup.entity';
import { DEPOSIT_SETTINGS, type DepositSettings } from './deposit.env';
import { decideTopup, isTopupFinal, TOPUP_OPEN_STATUSES, type TopupObservation } from './topup-state';

type Limiter = <T>(fn: () => Promise<T>) => Promise<T>;
const direct: Limiter = (fn) => fn();

export interface TopupOwnerResult {
  outcome: 'applied' | 'duplicate' | 'anomaly' | 'not-mine';
  reason?: string;
  topupId?: string;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function parseDate(value: unknown): Date | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const date = typeof value === 'number' || /^\d{12,}$/.test(String(value)) ? new Date(Number(value)) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Deposit top-ups: the row is written before Create Invoice Transaction (apiSource
 * "topup_deposit") is called, completed by the invoice-paid notification or by polling Get Invoice
 * Transaction. One transition function (`observe`) for all of them.
 */
@Injectable()
export class DepositTopupsService {
  private readonly logger = new Logger('DepositTopups');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DEPOSIT_SETTINGS) private readonly settings: DepositSettings,
    private readonly netzmeClient: NetzmeClient,
  ) {}

  async create(input: { amount: string; payMethod: string; expiresInSeconds: number; idempotencyKey?: string }): Promise<{ created: boolean; topup: DepositTopup }> {
    const amountMinor = toMinor(input.amount);
    if (amountMinor <= 0n) {
      throw new BadRequestError('INVALID_AMOUNT', 'amount must be greater than 0');
    }
    if (amountMinor > this.settings.topupMaxMinor) {
      throw new BadRequestError('AMOUNT_OUT_OF_RANGE', `amount must be at most ${fromMinor(this.settings.topupMaxMinor)} IDR per top-up (DEPOSIT_TOPUP_MAX_AMOUNT; got ${input.amount})`, {
        max: fromMinor(this.settings.topupMaxMinor),
      });
    }
    const fingerprint = requestFingerprint({ amount: fromMinor(amountMinor), payMethod: input.payMethod, expiresInSeconds: input.expiresInSeconds });
    if (input.idempotencyKey) {
      const existing = await this.repo().findOneBy({ idempotencyKey: input.idempotencyKey });
      if (existing) {
        return { created: false, topup: this.replay(existing, fingerprint) };
      }
    }
    const netzme = this.netzmeClient;
    const id = await this.insert(netzme.merchantId, amountMinor, input, fingerprint);
    if (!id) {
      // ON CONFLICT DO NOTHING: a concurrent request with the same key won the race.
      const twin = input.idempotencyKey ? await this.repo().findOneBy({ idempotencyKey: input.idempotencyKey }) : null;
      if (!twin) {
        throw new ConflictError('TOPUP_CONFLICT', 'Another top-up was being created with the same reference at the same moment; try again');
      }
      return { created: false, topup: this.replay(twin, fingerprint) };
    }
    const row = await this.repo().findOneByOrFail({ id });
    try {
      const answer = await netzme.createTopupDepositTransaction({
        partnerReferenceNo: row.partnerReferenceNo,
        amount: amountMinor,
        payMethod: input.payMethod,
        expireInSecond: input.expiresInSeconds,
      });
      await this.observe(id, { type: 'created' }, this.fromCreateAnswer(answer, row));
    } catch (err) {
      const failure = describeFailure(err);
      if (failure.outcome === 'definite') {
        await this.observe(id, { type: 'refused', reason: `Netzme refused the top-up: ${failure.message}` }, { failureReason: `Netzme refused the top-up: ${failure.message}` });
      } else {
        await this.observe(id, { type: 'lost', reason: `no answer from Netzme: ${failure.message}` }, {});
      }
    }
    await this.reschedule(id);
    return { created: true, topup: await this.get(id) };
  }

  async get(id: string): Promise<DepositTopup> {
    const row = await this.repo().findOneBy({ id });
    if (!row) {
      throw new NotFoundError('TOPUP_NOT_FOUND', `No deposit top-up with id ${id}`);
    }
    return row;
  }

  /**
   * Invoice payment notification (T15, or a QRIS payment naming the invoice) for a top-up of ours,
   * matched by Netzme's trxId, invoice id or our partnerReferenceNo; 'not-mine' otherwise (an
   * ordinary order, someone else's invoice). The notification is not trusted on its own: the top-up
   * moves only when Get Invoice Transaction confirms the payment, with Netzme's amount.
   * `retry`: Netzme could not be asked now (the callback is confirmed again later).
   */
  async applyPayment(event: PaymentNotificationEvent): Promise<TopupOwnerResult | { outcome: 'retry'; reason: string; topupId: string }> {
    const { trxId, invoiceId, partnerReferenceNo } = event.references;
    const trxIds = trxId ? [trxId] : [];
    const invoiceIds = invoiceId ? [invoiceId] : [];
    const partnerRefs = partnerReferenceNo ? [partnerReferenceNo] : [];
    if (trxIds.length === 0 && invoiceIds.length === 0 && partnerRefs.length === 0) {
      return { outcome: 'not-mine', reason: 'the notification names no invoice' };
    }
    const query = this.repo().createQueryBuilder('t').where('1 = 0');
    if (trxIds.length) query.orWhere('t.trxId IN (:...trxIds)', { trxIds });
    if (invoiceIds.length) query.orWhere('t.invoiceId IN (:...invoiceIds)', { invoiceIds });
    if (partnerRefs.length) query.orWhere('t.partnerReferenceNo IN (:...partnerRefs)', { partnerRefs });
    const rows = await query.getMany();
    if (rows.length === 0) {
      return { outcome: 'not-mine', reason: 'no deposit top-up of ours has these references' };
    }
    const [row] = rows;
    if (rows.length > 1) {
      return this.anomaly(row, `the notification's references point at ${rows.length} top-ups`);
    }
    const status = event.status;
    if (status !== undefined && status !== '00') {
      return this.anomaly(row, `notification with latestTransactionStatus ${JSON.stringify(status)} is not a payment`);
    }
    // The callback module read the amount strictly; a stated amount must be the top-up's.
    const stated = event.amounts.amount;
    if (stated !== null && stated !== row.amountMinor) {
      return this.anomaly(row, `the notification says ${stated} sen was paid, the top-up is for ${row.amountMinor} sen`);
    }
    if (row.status === 'PAID') {
      return { outcome: 'duplicate', reason: 'the top-up is already PAID', topupId: row.id };
    }
    if (isTopupFinal(row.status)) {
      return this.anomaly(row, `payment reported for a top-up that is ${row.status}`);
    }
    // Ask Netzme, by our own ids only (a trxId from the callback could name someone else's invoice).
    let answer: InvoiceTransactionResponse;
    const askWith = row.trxId ?? row.partnerReferenceNo;
    try {
      answer = await this.netzmeClient.getInvoiceTransaction(askWith);
    } catch (err) {
      if (isNetzmeError(err) && err.category === 'NOT_FOUND') {
        return { outcome: 'anomaly', reason: `not confirmed: Netzme does not know invoice ${askWith}`, topupId: row.id };
      }
      return { outcome: 'retry', reason: `Netzme could not confirm the payment yet (${describeFailure(err).message})`, topupId: row.id };
    }
    if (answer.partnerReferenceNo && answer.partnerReferenceNo !== row.partnerReferenceNo) {
      return this.anomaly(row, `Netzme's invoice ${askWith} belongs to reference ${answer.partnerReferenceNo}`);
    }
    const applied = await this.applyInvoiceAnswer(row, answer, event.paidAt ?? undefined);
    if (applied.remote === 'paid') {
      return { outcome: applied.outcome === 'applied' ? 'applied' : applied.outcome === 'anomaly' ? 'anomaly' : 'duplicate', reason: applied.reason, topupId: row.id };
    }
    if (applied.remote === 'closed') {
      return { outcome: 'anomaly', reason: 'the callback reports a payment, but Netzme shows the invoice closed unpaid', topupId: row.id };
    }
    return { outcome: 'anomaly', reason: `not confirmed: Netzme shows the invoice unpaid (status ${String(answer.status)}); the top-up stays ${row.status}`, topupId: row.id };
  }

  /** One poll tick: open top-ups due for a look (SKIP LOCKED + lease through next_check_at). */
  async pollDue(context: { limit?: Limiter; batchSize?: number; signal?: AbortSignal } = {}): Promise<JobRunResult> {
    if (context.signal?.aborted) return { processed: 0 };
    const limit = context.limit ?? direct;
    const claimed: unknown = await this.dataSource.query(
      `UPDATE deposit_topups t
          SET next_check_at = now() + make_interval(secs => $2::double precision / 1000), check_attempts = t.check_attempts + 1
         FROM (SELECT id FROM deposit_topups
                WHERE status = ANY($3::text[]) AND next_check_at <= now()
                ORDER BY next_check_at LIMIT $1 FOR UPDATE SKIP LOCKED) due
        WHERE t.id = due.id
        RETURNING t.id`,
      [Math.max(1, Math.floor(context.batchSize ?? 50)), this.settings.pollLeaseMs, TOPUP_OPEN_STATUSES],
    );
    const list = (Array.isArray((claimed as unknown[])[0]) ? (claimed as unknown[][])[0] : claimed) as Array<{ id: string }>;
    let processed = 0;
    let errors = 0;
    await Promise.all(
      list.map(async ({ id }) => {
        try {
          await this.refresh(id, limit);
          processed++;
        } catch (err) {
          errors++;
          this.logger.warn(`could not refresh top-up ${id}: ${describeFailure(err).message}`);
        } finally {
          await this.reschedule(id).catch(() => undefined);
        }
      }),
    );
    return { processed, errors, details: { claimed: list.length } };
  }

  private async refresh(id: string, limit: Limiter): Promise<void> {
    let row = await this.get(id);
    if (row.status === 'PENDING_CREATE' && row.createdAt.getTime() < Date.now() - this.settings.createGraceMs) {
      await this.observe(id, { type: 'lost', reason: 'the request that wrote this top-up did not finish (crash or hang)' }, {});
      row = await this.get(id);
    }
    if (row.status === 'UNKNOWN' && row.expiresAt.getTime() < Date.now()) {
      // Its payment instructions were never shown to anyone and have expired: nobody can pay it.
      await this.observe(id, { type: 'expired', reason: "Netzme's answer was lost and the invoice has expired unseen" }, {});
      return;
    }
    if (row.status !== 'PENDING' || !row.trxId) {
      return;
    }
    let answer: InvoiceTransactionResponse;
    try {
      answer = await limit(() => this.netzmeClient.getInvoiceTransaction(row.trxId!));
    } catch (err) {
      if (isNetzmeError(err) && err.category === 'NOT_FOUND') {
        await this.setAnomaly(row, 'Netzme does not find the invoice transaction it created');
        return;
      }
      throw err;
    }
    await this.applyInvoiceAnswer(row, answer);
  }

  /**
   * What Get Invoice Transaction says about a top-up, applied through the one transition function:
   * the poll and a payment callback's confirmation read Netzme's answer the same way as orders do
   * (readRemoteState). Open or unrecognised answers change nothing.
   */
  private async applyInvoiceAnswer(row: DepositTopup, answer: InvoiceTransactionResponse, fallbackPaidAt?: Date): Promise<{ remote: RemoteInvoiceState; outcome?: string; reason?: string }> {
    const remote = readRemoteState(answer);
    if (remote === 'paid') {
      const ids = answer.additionalInfo as { transactionId?: unknown; invoiceId?: unknown } | undefined;
      const result = await this.observe(
        row.id,
        { type: 'paid', amountMinor: answer.amount?.value === undefined ? null : toMinorLenient(answer.amount.value) },
        {
          paidAt: parseDate(answer.additionalInfo?.paidTs) ?? fallbackPaidAt ?? new Date(),
          // A top-up whose create answer was lost learns Netzme's ids from Netzme's own answer.
          trxId: row.trxId ?? text(ids?.transactionId) ?? text(answer.referenceNo) ?? null,
          invoiceId: row.invoiceId ?? text(ids?.invoiceId) ?? null,
        },
      );
      return { remote, ...result };
    }
    if (remote === 'closed') {
      return { remote, ...(await this.observe(row.id, { type: 'expired', reason: 'Netzme closed the invoice unpaid' }, {})) };
    }
    return { remote };
  }

  /** The one transition function: row lock, pure decision, conditional UPDATE. */
  private async observe(id: string, observation: TopupObservation, patch: QueryDeepPartialEntity<DepositTopup>): Promise<{ outcome: string; reason?: string }> {
    return this.dataSource.transaction(async (manager) => {
      const row = await manager.getRepository(DepositTopup).createQueryBuilder('t').setLock('pessimistic_write').where('t.id = :id', { id }).getOne();
      if (!row) return { outcome: 'noop' };
      const decision = decideTopup(row, observation);
      const set: QueryDeepPartialEntity<DepositTopup> = {};
      if (decision.to) {
        Object.assign(set, patch, { status: decision.to });
        if (decision.to === 'FAILED' && decision.reason) set.failureReason = decision.reason;
      }
      if (decision.outcome === 'anomaly' && decision.reason && decision.reason !== row.anomaly) {
        set.anomaly = decision.reason;
      }
      if (Object.keys(set).length > 0) {
        await manager.createQueryBuilder().update(DepositTopup).set({ ...set, updatedAt: () => 'now()' }).where('id = :id AND status = :status', { id, status: row.status }).execute();
      }
      if (decision.to) this.logger.log(`top-up ${id}: ${row.status} -> ${decision.to}`);
      if (decision.outcome === 'anomaly') this.logger.warn(`top-up ${id}: ${decision.reason}`);
      return { outcome: decision.outcome, reason: decision.reason };
    });
  }

  private async anomaly(row: DepositTopup, reason: string): Promise<TopupOwnerResult> {
    await this.setAnomaly(row, reason);
    return { outcome: 'anomaly', reason, topupId: row.id };
  }

  private async setAnomaly(row: DepositTopup, reason: string): Promise<void> {
    if (row.anomaly !== reason) {
      await this.repo().update({ id: row.id }, { anomaly: reason });
      this.logger.warn(`top-up ${row.id}: ${reason}`);
    }
  }

  private replay(row: DepositTopup, fingerprint: string): DepositTopup {
    if (row.requestFingerprint !== fingerprint) {
      throw new ConflictError('IDEMPOTENCY_KEY_REUSED', `This Idempotency-Key was already used for a different top-up (${row.id}); use a new key for a new top-up`, { topupId: row.id });
    }
    return row;
  }

  private async insert(merchantId: string, amountMinor: bigint, input: { payMethod: string; expiresInSeconds: number; idempotencyKey?: string }, fingerprint: string): Promise<string | null> {
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(DepositTopup)
      .values({
        status: 'PENDING_CREATE',
        merchantId,
        amountMinor,
        currency: 'IDR',
        payMethod: input.payMethod,
        partnerReferenceNo: timestampedReference('TU'),
        idempotencyKey: input.idempotencyKey ?? null,
        requestFingerprint: fingerprint,
        expiresAt: () => `now() + make_interval(secs => ${Math.floor(input.expiresInSeconds)})`,
        // The poller leaves the row to its request until the grace has passed.
        nextCheckAt: () => `now() + make_interval(secs => ${this.settings.createGraceMs / 1000})`,
      })
      .orIgnore()
      .returning(['id'])
      .execute();
    return (result.raw as Array<{ id?: string }>)[0]?.id ?? null;
  }

  private fromCreateAnswer(answer: CreateInvoiceTransactionResponse, row: DepositTopup): QueryDeepPartialEntity<DepositTopup> {
    const info = answer.additionalInfo ?? ({} as CreateInvoiceTransactionResponse['additionalInfo']);
    const vas = Array.isArray(info.virtualAccountData)
      ? (info.virtualAccountData as VirtualAccount[]).filter((v) => typeof v?.bankCode === 'string' && typeof v?.virtualAccountNo === 'string').map((v) => ({ bankCode: v.bankCode, virtualAccountNo: v.virtualAccountNo }))
      : [];
    const expires = parseDate(info.expiredTs);
    return {
      invoiceId: text(info.id) ?? null,
      trxId: text(info.trxId) ?? null,
      paymentUrl: text(answer.paymentUrl) ?? null,
      qrContent: text(info.qrContent) ?? null,
      qrImage: text(info.qrImage) ?? null,
      virtualAccounts: vas.length ? vas : null,
      ...(expires ? { expiresAt: expires } : { expiresAt: row.expiresAt }),
    };
  }

  private async reschedule(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE deposit_topups
          SET next_check_at = now() + make_interval(secs => LEAST($2::double precision, $3::double precision * power(2, LEAST(GREATEST(check_attempts - 1, 0), 20))) / 1000)
        WHERE id = $1 AND status = ANY($4::text[])`,
      [id, this.settings.pollMaxDelayMs, this.settings.pollDelayMs, TOPUP_OPEN_STATUSES],
    );
  }

  private repo() {
    return this.dataSource.getRepository(DepositTopup);
  }
}

