import { Transform } from 'class-transformer';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { intFromEnv } from '../config/env-validation';

/**
 * Settings of deposit top-ups (deposit withdrawals use the WITHDRAWAL_* settings: same engine).
 */
export class DepositEnv {
  /** Validity of a top-up's payment instructions unless the request says otherwise. */
  @Transform(intFromEnv)
  @IsInt()
  @Min(60)
  @Max(604_800)
  DEPOSIT_TOPUP_EXPIRY_SECONDS = 3600;

  /** First wait before asking Netzme about an unpaid top-up; doubles per check up to the maximum. */
  @Transform(intFromEnv)
  @IsInt()
  @Min(100)
  DEPOSIT_TOPUP_POLL_DELAY_MS = 15_000;

  @Transform(intFromEnv)
  @IsInt()
  @Min(100)
  DEPOSIT_TOPUP_POLL_MAX_DELAY_MS = 10 * 60_000;

  @Transform(intFromEnv)
  @IsInt()
  @Min(1000)
  DEPOSIT_TOPUP_POLL_LEASE_MS = 120_000;

  /** A top-up still PENDING_CREATE this long after it was written was abandoned by its request. Must exceed NETZME_TIMEOUT_MS. */
  @Transform(intFromEnv)
  @IsInt()
  @Min(1000)
  DEPOSIT_TOPUP_CREATE_GRACE_MS = 60_000;

  /** Largest top-up accepted (IDR); QRIS allows at most 10,000,000 per transaction. Raise it for bank transfers. */
  @Matches(/^[1-9]\d{0,14}(\.\d{1,2})?$/, { message: 'DEPOSIT_TOPUP_MAX_AMOUNT must be a positive decimal amount such as "10000000.00"' })
  DEPOSIT_TOPUP_MAX_AMOUNT = '10000000.00';
}

export interface DepositSettings {
  defaultExpirySeconds: number;
  pollDelayMs: number;
  pollMaxDelayMs: number;
  pollLeaseMs: number;
  createGraceMs: number;
  /** DEPOSIT_TOPUP_MAX_AMOUNT in minor units (sen). */
  topupMaxMinor: bigint;
}

export const DEPOSIT_SETTINGS = Symbol('DEPOSIT_SETTINGS');
