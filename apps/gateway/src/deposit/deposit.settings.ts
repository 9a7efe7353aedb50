import { toMinor } from '@app/snap';
import { Transform } from 'class-transformer';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { ConfigurationError, intFromEnv, validateEnv, type RawEnv } from '../config/env-validation';

/**
 * Settings of the deposit (deposit withdrawals use the WITHDRAWAL_* settings: same engine). A
 * top-up is an invoice, polled by the invoice engine (`order-status-poll`, ORDER_POLL_* schedule);
 * the DEPOSIT_TOPUP_POLL_* and DEPOSIT_TOPUP_CREATE_GRACE_MS settings now pace split fees only.
 */
export class DepositEnv {
  /** Validity of a top-up's payment instructions unless the request says otherwise. */
  @Transform(intFromEnv)
  @IsInt()
  @Min(60)
  @Max(604_800)
  DEPOSIT_TOPUP_EXPIRY_SECONDS = 3600;

  /** First wait before checking an open split fee again; doubles per check up to the maximum. */
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

  /** A split fee still being sent this long after it was written was abandoned by its request. Must exceed NETZME_TIMEOUT_MS. */
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

/** DEPOSIT_* settings from the raw environment; `netzmeTimeoutMs` bounds the create grace. */
export function loadDepositSettings(raw: RawEnv, netzmeTimeoutMs: number): DepositSettings {
  const env = validateEnv(DepositEnv, raw);
  if (env.DEPOSIT_TOPUP_CREATE_GRACE_MS <= netzmeTimeoutMs) {
    throw new ConfigurationError([
      `DEPOSIT_TOPUP_CREATE_GRACE_MS: must be longer than NETZME_TIMEOUT_MS (${netzmeTimeoutMs} ms) (got "${env.DEPOSIT_TOPUP_CREATE_GRACE_MS}")`,
    ]);
  }
  return {
    defaultExpirySeconds: env.DEPOSIT_TOPUP_EXPIRY_SECONDS,
    pollDelayMs: env.DEPOSIT_TOPUP_POLL_DELAY_MS,
    pollMaxDelayMs: env.DEPOSIT_TOPUP_POLL_MAX_DELAY_MS,
    pollLeaseMs: env.DEPOSIT_TOPUP_POLL_LEASE_MS,
    createGraceMs: env.DEPOSIT_TOPUP_CREATE_GRACE_MS,
    topupMaxMinor: toMinor(env.DEPOSIT_TOPUP_MAX_AMOUNT),
  };
}
