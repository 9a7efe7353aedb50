import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { intFromEnv, RawEnv, validateEnv } from '../config/env-validation';

/** Settings of daily reconciliation (docs/reconciliation.md). */
export class ReconciliationEnv {
  /** Both sides are read this many minutes beyond each end of the day, so items booked across midnight pair up. */
  @Transform(intFromEnv)
  @IsInt()
  @Min(0)
  @Max(720)
  RECONCILIATION_MARGIN_MINUTES = 15;

  /** The daily job reconciles yesterday once this many minutes of today (Jakarta) have passed. */
  @Transform(intFromEnv)
  @IsInt()
  @Min(0)
  @Max(1380)
  RECONCILIATION_RUN_AFTER_MINUTES = 30;

  /** A failed scheduled run is tried again after this long, at most RECONCILIATION_MAX_ATTEMPTS times in all. */
  @Transform(intFromEnv)
  @IsInt()
  @Min(1000)
  @Max(86_400_000)
  RECONCILIATION_RETRY_AFTER_MS = 900_000;

  @Transform(intFromEnv)
  @IsInt()
  @Min(1)
  @Max(20)
  RECONCILIATION_MAX_ATTEMPTS = 3;

  /** A running report renews its lease at a third of this; a run whose lease ran out was abandoned by a crash. */
  @Transform(intFromEnv)
  @IsInt()
  @Min(3000)
  @Max(3_600_000)
  RECONCILIATION_LEASE_MS = 300_000;

  /** Safety stop for Netzme's paginated lists (a list that never ends is an error, not an endless loop). */
  @Transform(intFromEnv)
  @IsInt()
  @Min(1)
  @Max(100_000)
  RECONCILIATION_MAX_PAGES = 5000;
}

export interface ReconciliationSettings {
  marginMs: number;
  runAfterMs: number;
  retryAfterMs: number;
  maxAttempts: number;
  leaseMs: number;
  maxPages: number;
}

export const RECONCILIATION_SETTINGS = Symbol('RECONCILIATION_SETTINGS');

export function loadReconciliationSettings(raw: RawEnv): ReconciliationSettings {
  const env = validateEnv(ReconciliationEnv, raw);
  return {
    marginMs: env.RECONCILIATION_MARGIN_MINUTES * 60_000,
    runAfterMs: env.RECONCILIATION_RUN_AFTER_MINUTES * 60_000,
    retryAfterMs: env.RECONCILIATION_RETRY_AFTER_MS,
    maxAttempts: env.RECONCILIATION_MAX_ATTEMPTS,
    leaseMs: env.RECONCILIATION_LEASE_MS,
    maxPages: env.RECONCILIATION_MAX_PAGES,
  };
}
