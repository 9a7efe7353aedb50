import { isDecimalAmount, toMinor, FEE_TYPES, FeeType } from '@app/snap';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, Matches, Max, Min } from 'class-validator';
import { ConfigurationError, RawEnv, validateEnv } from '../config/env-validation';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value);
const DECIMAL = /^(0|[1-9]\d*)(\.\d{1,2})?$/;

/** Settings of the invoice (orders) feature, read from the environment at boot. */
export class InvoiceEnv {
  /** Smallest order amount accepted (IDR, decimal string). */
  @Matches(DECIMAL, { message: 'ORDER_MIN_AMOUNT must be a decimal amount such as "1.00"' })
  ORDER_MIN_AMOUNT = '1.00';

  /** Largest order amount accepted; QRIS allows at most 10,000,000 IDR per transaction. */
  @Matches(DECIMAL, { message: 'ORDER_MAX_AMOUNT must be a decimal amount such as "10000000.00"' })
  ORDER_MAX_AMOUNT = '10000000.00';

  /** Validity of the QRIS / invoice when the checkout does not say (seconds). */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(86400)
  ORDER_DEFAULT_EXPIRY_SECONDS = 900;

  /** Who pays Netzme's service fee: on_seller (Netzme's default) or on_buyer. */
  @IsIn(FEE_TYPES)
  ORDER_FEE_TYPE: FeeType = 'on_seller';

  /** Poll schedule after creation, in ms, comma-separated; the last step repeats. */
  @Matches(/^\d+(,\d+)*$/, { message: 'ORDER_POLL_SCHEDULE_MS must be comma-separated milliseconds, e.g. 5000,10000,30000,60000' })
  ORDER_POLL_SCHEDULE_MS = '5000,10000,15000,30000,60000,120000,300000';

  /** How long a poll (or re-send) owns an order before another worker may take it over. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  ORDER_POLL_LEASE_MS = 60_000;

  /** Orders claimed per poll tick when the job runner does not say. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  ORDER_POLL_BATCH_SIZE = 50;

  /** After the expiry time, wait this long for a late payment before the final check marks EXPIRED. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  ORDER_EXPIRY_GRACE_MS = 30_000;

  /** An UNKNOWN order whose reference Netzme already holds is looked up for this long, then left to a person. */
  @Transform(toInt)
  @IsInt()
  @Min(60_000)
  @Max(7 * 86_400_000)
  ORDER_REVIEW_LOOKUP_MS = 86_400_000;
}

export interface InvoiceSettings {
  minAmountMinor: bigint;
  maxAmountMinor: bigint;
  defaultExpirySeconds: number;
  feeType: FeeType;
  pollScheduleMs: number[];
  pollLeaseMs: number;
  pollBatchSize: number;
  expiryGraceMs: number;
  reviewLookupMs: number;
}

export const INVOICE_SETTINGS = Symbol('INVOICE_SETTINGS');

export function loadInvoiceSettings(raw: RawEnv): InvoiceSettings {
  const env = validateEnv(InvoiceEnv, raw);
  const min = toMinor(env.ORDER_MIN_AMOUNT);
  const max = toMinor(env.ORDER_MAX_AMOUNT);
  if (!isDecimalAmount(env.ORDER_MIN_AMOUNT) || min <= 0n || max < min) {
    throw new ConfigurationError(['ORDER_MIN_AMOUNT / ORDER_MAX_AMOUNT: need 0 < ORDER_MIN_AMOUNT <= ORDER_MAX_AMOUNT']);
  }
  return {
    minAmountMinor: min,
    maxAmountMinor: max,
    defaultExpirySeconds: env.ORDER_DEFAULT_EXPIRY_SECONDS,
    feeType: env.ORDER_FEE_TYPE,
    pollScheduleMs: env.ORDER_POLL_SCHEDULE_MS.split(',').map(Number),
    pollLeaseMs: env.ORDER_POLL_LEASE_MS,
    pollBatchSize: env.ORDER_POLL_BATCH_SIZE,
    expiryGraceMs: env.ORDER_EXPIRY_GRACE_MS,
    reviewLookupMs: env.ORDER_REVIEW_LOOKUP_MS,
  };
}
