import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { intFromEnv, RawEnv, validateEnv } from '../config/env-validation';

/** Rate limits of the key-authenticated API (docs/access.md, "Rate limits"). */
export class RateLimitSettings {
  /** Sustained requests per second per API key (0 turns rate limiting off). */
  @Transform(intFromEnv)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  RATE_LIMIT_PER_SECOND = 100;

  /** How many requests a key may send at once before the sustained rate applies. */
  @Transform(intFromEnv)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  RATE_LIMIT_BURST = 200;
}

export function loadRateLimitSettings(raw: RawEnv): RateLimitSettings {
  return validateEnv(RateLimitSettings, raw);
}
