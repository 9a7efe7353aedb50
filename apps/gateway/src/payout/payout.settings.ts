import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { toMinor } from '@app/snap';
import { ConfigurationError, intFromEnv, validateEnv, type RawEnv } from '../config/env-validation';

/** A whole-number setting read from the environment, at least `min` (and at most `max`). */
const IntSetting = (min: number, max?: number) => applyDecorators(Transform(intFromEnv), IsInt(), Min(min), ...(max === undefined ? [] : [Max(max)]));

/**
 * Settings of the payout engine (merchant and deposit withdrawals alike), validated at boot with
 * validateEnv so a bad value names the variable. The names keep their WITHDRAWAL_ prefix: they are
 * what operators already set.
 */
export class PayoutEnv {
  /** An unresolved withdrawal older than this is listed in GET /withdrawals/review. */
  @IntSetting(1000)
  WITHDRAWAL_REVIEW_AFTER_MS = 30 * 60_000;

  /** Rows one poll tick claims at most. */
  @IntSetting(1, 500)
  WITHDRAWAL_POLL_BATCH = 20;

  /** How long a claimed row stays hidden from other replicas while one works on it. */
  @IntSetting(1000)
  WITHDRAWAL_POLL_LEASE_MS = 120_000;

  /** First wait before asking Netzme about a withdrawal; doubles per check up to the maximum. */
  @IntSetting(100)
  WITHDRAWAL_POLL_DELAY_MS = 15_000;

  @IntSetting(100)
  WITHDRAWAL_POLL_MAX_DELAY_MS = 10 * 60_000;

  /**
   * A row still PENDING_SUBMIT this long after it was written belongs to a request that died (the
   * process crashed or hung); the poller then finishes it. Must exceed NETZME_TIMEOUT_MS.
   */
  @IntSetting(1000)
  WITHDRAWAL_SUBMIT_GRACE_MS = 60_000;

  /** Same-reference resubmissions the poller may make before leaving the row to people. */
  @IntSetting(0, 50)
  WITHDRAWAL_MAX_RESUBMITS = 5;

  /** How long a repeated request waits for the first one's Netzme answer before replying. */
  @IntSetting(0, 120_000)
  WITHDRAWAL_REPLAY_WAIT_MS = 10_000;

  /**
   * How long the clear PIN of a withdrawal whose outcome is unknown stays in this process's memory
   * (never in the database or logs), so that the poller can resubmit the SAME reference when
   * Netzme says it has no such transfer. 0: never kept; an admin then resubmits with the PIN.
   */
  @IntSetting(0, 3_600_000)
  WITHDRAWAL_PIN_MEMORY_MS = 15 * 60_000;

  /**
   * Our own floor per withdrawal (merchant and deposit), on top of the minimum Netzme's inquiry
   * states: Netzme states 0.00 for the merchant balance, which would let a 0.01 transfer through.
   */
  @Matches(/^(0|[1-9]\d{0,14})(\.\d{1,2})?$/, { message: 'WITHDRAWAL_MIN_AMOUNT must be a decimal amount such as "1000.00"' })
  WITHDRAWAL_MIN_AMOUNT = '1000.00';
}

/** The resolved settings the engine uses. */
export interface PayoutSettings {
  reviewAfterMs: number;
  pollBatch: number;
  pollLeaseMs: number;
  pollDelayMs: number;
  pollMaxDelayMs: number;
  submitGraceMs: number;
  maxResubmits: number;
  replayWaitMs: number;
  pinMemoryMs: number;
  /** WITHDRAWAL_MIN_AMOUNT in minor units (sen). */
  minAmountMinor: bigint;
}

export const PAYOUT_SETTINGS = Symbol('PAYOUT_SETTINGS');

/** Reads and checks the WITHDRAWAL_* settings; `netzmeTimeoutMs` is NETZME_TIMEOUT_MS (the grace must exceed it). */
export function loadPayoutSettings(raw: RawEnv, netzmeTimeoutMs: number): PayoutSettings {
  const env = validateEnv(PayoutEnv, raw);
  // The poller must not take over a row whose request may still be waiting for Netzme.
  if (env.WITHDRAWAL_SUBMIT_GRACE_MS <= netzmeTimeoutMs) {
    throw new ConfigurationError([
      `WITHDRAWAL_SUBMIT_GRACE_MS: must be longer than NETZME_TIMEOUT_MS (${netzmeTimeoutMs} ms) (got "${env.WITHDRAWAL_SUBMIT_GRACE_MS}")`,
    ]);
  }
  return {
    reviewAfterMs: env.WITHDRAWAL_REVIEW_AFTER_MS,
    pollBatch: env.WITHDRAWAL_POLL_BATCH,
    pollLeaseMs: env.WITHDRAWAL_POLL_LEASE_MS,
    pollDelayMs: env.WITHDRAWAL_POLL_DELAY_MS,
    pollMaxDelayMs: env.WITHDRAWAL_POLL_MAX_DELAY_MS,
    submitGraceMs: env.WITHDRAWAL_SUBMIT_GRACE_MS,
    maxResubmits: env.WITHDRAWAL_MAX_RESUBMITS,
    replayWaitMs: env.WITHDRAWAL_REPLAY_WAIT_MS,
    pinMemoryMs: env.WITHDRAWAL_PIN_MEMORY_MS,
    minAmountMinor: toMinor(env.WITHDRAWAL_MIN_AMOUNT),
  };
}
