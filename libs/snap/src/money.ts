/**
 * Exact money. Amounts travel as decimal strings ("15000.00") and are held as bigint minor units
 * (sen, 1/100 IDR). No JavaScript float ever touches an amount.
 */
export const CURRENCY = 'IDR';

const DECIMAL = /^(0|[1-9]\d*)(\.\d{1,2})?$/;

export class InvalidAmountError extends Error {}

/** True for a non-negative decimal string with at most two decimals and no exponent or sign. */
export function isDecimalAmount(value: unknown): value is string {
  return typeof value === 'string' && DECIMAL.test(value);
}

/** "15000.5" -> 1500050n. Throws InvalidAmountError on anything but a plain decimal string. */
export function toMinor(value: string): bigint {
  if (!isDecimalAmount(value)) {
    throw new InvalidAmountError(`"${value}" is not a decimal amount with at most two decimals`);
  }
  const [int, frac = ''] = value.split('.');
  return BigInt(int) * 100n + BigInt(frac.padEnd(2, '0'));
}

/** Lenient parse of amounts Netzme sends back ("10000", "10000.00", 10000, "9930.5"). */
export function toMinorLenient(value: string | number | null | undefined): bigint | null {
  if (value === null || value === undefined || value === '') {
    return null;
  }
  // A number is read through its shortest decimal text, so 1.234 is refused below instead of rounded.
  const text = typeof value === 'number' ? String(value) : value.trim();
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) {
    return null;
  }
  const frac = (m[3] ?? '').padEnd(2, '0');
  if (frac.length > 2 && /[1-9]/.test(frac.slice(2))) {
    return null; // more precision than sen: refuse rather than round money
  }
  const minor = BigInt(m[2]) * 100n + BigInt(frac.slice(0, 2));
  return m[1] === '-' ? -minor : minor;
}

/** 1500050n -> "15000.50": always two decimals, as Netzme prints amounts. */
export function fromMinor(minor: bigint): string {
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  const text = `${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
  return negative ? `-${text}` : text;
}

export interface MoneyValue {
  value: string;
  currency: string;
}

export function money(minor: bigint, currency = CURRENCY): MoneyValue {
  return { value: fromMinor(minor), currency };
}
