import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { fromMinor, timestampedReference, toMinor } from '@app/snap';
import { AppError, BadRequestError, ConflictError } from '../http/app-error';
import { assertSameRequest, requestFingerprint } from '../idempotency/idempotency';
import { PayoutErrorCode } from './payout-errors';
import { describeFailure } from './payout-failure';
import type { PayoutInquiry } from './payout-rail';
import { PayoutRails } from './payout-rails';
import { PayoutRepository } from './payout.repository';
import { PAYOUT_SETTINGS, type PayoutSettings } from './payout.settings';
import { PayoutTransitions } from './payout-transitions.service';
import { PinMemory } from './pin-memory';
import type { WithdrawalEventSource } from './withdrawal-event.entity';
import type { Withdrawal, WithdrawalKind } from './withdrawal.entity';

/** Runs a Netzme call under the jobs module's shared limits (or directly, on a request path). */
export type CallLimiter = <T>(fn: () => Promise<T>) => Promise<T>;
export const direct: CallLimiter = (fn) => fn();

export interface CreatePayoutInput {
  amount: string;
  pin: string;
  idempotencyKey: string;
  requestedBy?: string;
}

export interface SendOptions {
  source: WithdrawalEventSource;
  /** The very first send: only its definite refusal proves nothing exists at Netzme. */
  first: boolean;
  actor?: string;
  limit?: CallLimiter;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creating a payout: validate, idempotency, write the row, then call Netzme once; and the one send
 * (first or same-reference resubmission) the resolver reuses.
 */
@Injectable()
export class PayoutSubmitter {
  constructor(
    private readonly repo: PayoutRepository,
    private readonly rails: PayoutRails,
    private readonly transitions: PayoutTransitions,
    private readonly pins: PinMemory,
    @Inject(PAYOUT_SETTINGS) private readonly settings: PayoutSettings,
  ) {}

  /**
   * Replay by idempotency key, refuse a second one in flight, validate against a fresh inquiry,
   * commit the row, then call Netzme once. Returns `created: false` for a replay.
   */
  async create(kind: WithdrawalKind, input: CreatePayoutInput): Promise<{ created: boolean; withdrawal: Withdrawal }> {
    const rail = this.rails.of(kind);
    const amountMinor = parseAmount(input.amount);
    // The PIN is a credential, not part of what is asked: it stays out of the fingerprint (anything
    // stored that is derived from a 6-digit PIN could be reversed).
    const fingerprint = requestFingerprint({ kind, amount: fromMinor(amountMinor) });

    const existing = await this.repo.findByKey(kind, input.idempotencyKey);
    if (existing) {
      return { created: false, withdrawal: await this.replay(existing, fingerprint) };
    }
    const merchantId = rail.merchantId();
    const twinInFlight = await this.assertNoneInFlight(kind, merchantId, input.idempotencyKey);
    if (twinInFlight) {
      return { created: false, withdrawal: await this.replay(twinInFlight, fingerprint) };
    }

    const inquiry = await rail.inquiry();
    this.assertWithinInquiry(amountMinor, inquiry);

    const id = await this.repo.insertPending(
      {
        kind,
        merchantId,
        amountMinor,
        currency: inquiry.currency,
        partnerReferenceNo: timestampedReference(rail.referencePrefix),
        referenceNo: rail.newReferenceNo(),
        idempotencyKey: input.idempotencyKey,
        requestFingerprint: fingerprint,
        beneficiaryAccountName: inquiry.beneficiary.accountName,
        beneficiaryAccountNumber: inquiry.beneficiary.accountNumber,
        beneficiaryBankName: inquiry.beneficiary.bankName,
        beneficiaryBankCode: inquiry.beneficiary.bankCode,
        withdrawableMinor: inquiry.withdrawableMinor,
        minimumMinor: inquiry.minimumMinor,
        requestedBy: input.requestedBy ?? null,
      },
      this.settings.submitGraceMs,
      {
        amount: fromMinor(amountMinor),
        withdrawable: fromMinor(inquiry.withdrawableMinor),
        minimum: fromMinor(inquiry.minimumMinor),
        inquiryReferenceNo: inquiry.referenceNo ?? null,
      },
    );
    if (!id) {
      // Not inserted: a concurrent twin (same key) or another payout in flight; say which it was.
      const twin = await this.repo.findByKey(kind, input.idempotencyKey);
      if (twin) {
        return { created: false, withdrawal: await this.replay(twin, fingerprint) };
      }
      await this.assertNoneInFlight(kind, merchantId);
      throw new ConflictError(PayoutErrorCode.WITHDRAWAL_IN_FLIGHT, 'Another withdrawal was being created at the same moment; try again');
    }
    this.transitions.countCreated(kind);

    this.pins.remember(id, input.pin);
    await this.send(id, input.pin, { source: 'api', first: true, actor: input.requestedBy });
    return { created: true, withdrawal: (await this.repo.findWithEvents(kind, id))! };
  }

  /**
   * Call Withdraw Process (or Withdraw Deposit) for a committed row, always with its own
   * partnerReferenceNo, and record what came back. A definite refusal fails the payout only on the
   * first send: a resubmission's refusal cannot prove the first one did not go through.
   */
  async send(id: string, pin: string, opts: SendOptions): Promise<void> {
    const row = await this.repo.markSent(id, (current) => ({
      type: opts.first ? 'SUBMITTED' : 'RESUBMITTED',
      fromStatus: current.status,
      toStatus: current.status,
      source: opts.source,
      actor: opts.actor,
      reason: opts.first ? null : 'Netzme has no record of this transfer: sending the same partnerReferenceNo again',
      details: { attempt: current.submitAttempts, partnerReferenceNo: current.partnerReferenceNo },
    }));
    const rail = this.rails.of(row.kind);
    const limit = opts.limit ?? direct;
    const meta = { source: opts.source, actor: opts.actor };
    try {
      const answer = await limit(() =>
        rail.submit({
          partnerReferenceNo: row.partnerReferenceNo,
          referenceNo: row.referenceNo,
          merchantId: row.merchantId,
          amountMinor: row.amountMinor,
          currency: row.currency,
          beneficiary: {
            accountName: row.beneficiaryAccountName,
            accountNumber: row.beneficiaryAccountNumber,
            bankName: row.beneficiaryBankName,
            bankCode: row.beneficiaryBankCode,
          },
          pin,
        }),
      );
      await this.transitions.observe(id, { type: 'accepted', referenceNo: answer.referenceNo }, meta);
      await this.repo.setLastError(id, null);
    } catch (err) {
      const failure = describeFailure(err);
      const details = { category: failure.category, responseCode: failure.responseCode ?? null };
      if (failure.category === 'DUPLICATE_REFERENCE') {
        await this.transitions.observe(id, { type: 'exists', referenceNo: failure.referenceNo }, { ...meta, details });
      } else if (failure.outcome === 'definite' && opts.first) {
        await this.transitions.observe(
          id,
          { type: 'refused', reason: `Netzme refused the transfer: ${failure.message}`, code: failure.responseCode },
          { ...meta, details },
        );
      } else if (failure.outcome === 'definite') {
        await this.repo.appendEvent(id, { type: 'RESUBMISSION_REFUSED', ...meta, reason: failure.message, details });
        await this.repo.setLastError(id, `resubmission refused: ${failure.message}`);
      } else {
        await this.transitions.observe(
          id,
          { type: 'lost', reason: `no answer to the transfer call: ${failure.message}`, code: failure.responseCode },
          { ...meta, details },
        );
        await this.repo.setLastError(id, `transfer outcome unknown: ${failure.message}`);
      }
    } finally {
      if (opts.first) {
        await this.repo.scheduleNextCheck(id, this.settings.pollDelayMs, this.settings.pollMaxDelayMs);
      }
    }
  }

  private assertWithinInquiry(amountMinor: bigint, inquiry: PayoutInquiry): void {
    const fmt = (minor: bigint) => `${fromMinor(minor)} ${inquiry.currency}`;
    const details = { amount: fromMinor(amountMinor), withdrawable: fromMinor(inquiry.withdrawableMinor), minimum: fromMinor(inquiry.minimumMinor) };
    const refuse = (code: PayoutErrorCode, message: string, extra: Record<string, unknown> = {}) =>
      new AppError(HttpStatus.UNPROCESSABLE_ENTITY, code, message, { ...details, ...extra });
    if (!inquiry.allowed) {
      throw refuse(
        PayoutErrorCode.WITHDRAWAL_NOT_ALLOWED,
        `Netzme does not allow a withdrawal right now (withdrawable ${fmt(inquiry.withdrawableMinor)}, minimum ${fmt(inquiry.minimumMinor)})`,
      );
    }
    if (amountMinor < inquiry.minimumMinor) {
      throw refuse(PayoutErrorCode.AMOUNT_BELOW_MINIMUM, `amount ${fmt(amountMinor)} is below the minimum withdrawal of ${fmt(inquiry.minimumMinor)}`);
    }
    if (amountMinor < this.settings.minAmountMinor) {
      throw refuse(
        PayoutErrorCode.AMOUNT_BELOW_MINIMUM,
        `amount ${fmt(amountMinor)} is below the gateway's minimum withdrawal of ${fmt(this.settings.minAmountMinor)} (WITHDRAWAL_MIN_AMOUNT)`,
        {
          gatewayMinimum: fromMinor(this.settings.minAmountMinor),
        },
      );
    }
    if (amountMinor > inquiry.withdrawableMinor) {
      throw refuse(
        PayoutErrorCode.AMOUNT_ABOVE_WITHDRAWABLE,
        `amount ${fmt(amountMinor)} is above the withdrawable amount of ${fmt(inquiry.withdrawableMinor)}`,
      );
    }
  }

  /**
   * 409 when another withdrawal of this merchant is in flight. Returns the in-flight row instead
   * when it carries the same idempotency key (a concurrent twin committed after our key lookup).
   */
  private async assertNoneInFlight(kind: WithdrawalKind, merchantId: string, idempotencyKey?: string): Promise<Withdrawal | null> {
    const inFlight = await this.repo.findInFlight(kind, merchantId);
    if (inFlight && inFlight.idempotencyKey === idempotencyKey) {
      return inFlight;
    }
    if (inFlight) {
      throw new ConflictError(
        PayoutErrorCode.WITHDRAWAL_IN_FLIGHT,
        `Withdrawal ${inFlight.id} is still ${inFlight.status}; only one withdrawal may be in flight at a time. Wait until it is SUCCEEDED or FAILED.`,
        { withdrawalId: inFlight.id, status: inFlight.status },
      );
    }
    return null;
  }

  /** Same key: same body -> the same withdrawal (after its Netzme answer, if it comes soon); else 409. */
  private async replay(row: Withdrawal, fingerprint: string): Promise<Withdrawal> {
    assertSameRequest(row, fingerprint, 'withdrawal', { withdrawalId: row.id });
    const deadline = Date.now() + this.settings.replayWaitMs;
    let current = (await this.repo.findWithEvents(row.kind, row.id))!;
    while (current.status === 'PENDING_SUBMIT' && Date.now() < deadline) {
      await sleep(100);
      current = (await this.repo.findWithEvents(row.kind, row.id))!;
    }
    return current;
  }
}

function parseAmount(amount: string): bigint {
  let minor: bigint;
  try {
    minor = toMinor(amount);
  } catch {
    throw new BadRequestError(
      PayoutErrorCode.INVALID_AMOUNT,
      `amount must be a positive decimal string with at most two decimals, such as "50000.00" (got ${JSON.stringify(amount)})`,
    );
  }
  if (minor <= 0n) {
    throw new BadRequestError(PayoutErrorCode.INVALID_AMOUNT, 'amount must be greater than 0');
  }
  return minor;
}
