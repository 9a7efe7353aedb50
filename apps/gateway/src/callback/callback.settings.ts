import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { RawEnv, validateEnv } from '../config/env-validation';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);

/** Settings of the callback module. */
export class CallbackEnv {
  /** How long the request that stored a callback owns applying it before the re-apply job may take over. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  CALLBACK_APPLY_LEASE_MS = 30_000;

  /** Callbacks re-applied per tick of `callback-reapply` when the job runner does not say. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  CALLBACK_REAPPLY_BATCH_SIZE = 100;

  /**
   * SNAP-signed callbacks (T18) must carry an X-TIMESTAMP within this many seconds of our clock
   * (either way), so that a captured callback cannot be replayed later.
   */
  @Transform(toInt)
  @IsInt()
  @Min(30)
  @Max(3600)
  CALLBACK_TIMESTAMP_WINDOW_SECONDS = 300;

  /** Callbacks confirmed with Netzme at the same time per process (the rest wait their turn). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(256)
  CALLBACK_CONFIRM_CONCURRENCY = 8;
}

export interface CallbackSettings {
  applyLeaseMs: number;
  reapplyBatchSize: number;
  timestampWindowMs: number;
  confirmConcurrency: number;
}

export const CALLBACK_SETTINGS = Symbol('CALLBACK_SETTINGS');

export function loadCallbackSettings(raw: RawEnv): CallbackSettings {
  const env = validateEnv(CallbackEnv, raw);
  return {
    applyLeaseMs: env.CALLBACK_APPLY_LEASE_MS,
    reapplyBatchSize: env.CALLBACK_REAPPLY_BATCH_SIZE,
    timestampWindowMs: env.CALLBACK_TIMESTAMP_WINDOW_SECONDS * 1000,
    confirmConcurrency: env.CALLBACK_CONFIRM_CONCURRENCY,
  };
}
