import { fromMinor, jakartaTimestampMillis } from '@app/snap';

export interface Money {
  value: string;
  currency: string;
}

/** `{value: "10000.00", currency: "IDR"}`: Netzme prints amounts with two decimals in money objects. */
export function money(minor: bigint): Money {
  return { value: fromMinor(minor), currency: 'IDR' };
}

/** Whole rupiah as a plain string ("10000") where Netzme's examples print it that way (T12). */
export function plainAmount(minor: bigint): string {
  return minor % 100n === 0n ? String(minor / 100n) : fromMinor(minor);
}

/** The numeric twins Netzme adds to some responses (`amountLong`): whole rupiah, never a float. */
export function amountLong(minor: bigint): number {
  return Number(minor / 100n);
}

/** `2023-11-15T05:13:21.000+07:00`, the body timestamp style of Netzme's invoice service. */
export function ts(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : jakartaTimestampMillis(new Date(ms));
}
