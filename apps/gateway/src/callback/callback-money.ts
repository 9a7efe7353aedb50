/**
 * Amounts in Netzme's callbacks, read strictly. Netzme's pages write money as
 * `{"value":"10000.00","currency":"IDR"}`: a decimal string with exactly two decimals, in IDR.
 * Anything else ("15000", 15000, " 15000.00", "015000.00", no currency, a fee above the amount) is
 * not a payment we act on: the callback is kept as an anomaly for a person. An amount that is simply
 * absent is fine (Netzme's own plugin never reads `amount`): the payment is confirmed by asking
 * Netzme anyway.
 */
export interface CallbackMoney {
  minor: bigint;
  currency: 'IDR';
}

const DECIMAL_2 = /^(0|[1-9][0-9]{0,15})\.([0-9]{2})$/;

export type MoneyRead = { ok: true; money: CallbackMoney | null } | { ok: false; reason: string };

/** One `{value, currency}` field; `null` money when the field is absent. */
export function readCallbackMoney(value: unknown, field: string): MoneyRead {
  if (value === undefined || value === null) {
    return { ok: true, money: null };
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, reason: `${field} must be {"value":"<digits>.<2 digits>","currency":"IDR"}, got ${describe(value)}` };
  }
  const v = (value as { value?: unknown }).value;
  const currency = (value as { currency?: unknown }).currency;
  if (typeof v !== 'string' || !DECIMAL_2.test(v)) {
    return { ok: false, reason: `${field}.value must be a decimal string with two decimals (e.g. "15000.00"), got ${describe(v)}` };
  }
  if (currency !== 'IDR') {
    return { ok: false, reason: `${field}.currency must be "IDR", got ${describe(currency)}` };
  }
  const [, whole, cents] = DECIMAL_2.exec(v)!;
  return { ok: true, money: { minor: BigInt(whole) * 100n + BigInt(cents), currency: 'IDR' } };
}

export interface CallbackAmounts {
  amount: CallbackMoney | null;
  fee: CallbackMoney | null;
  net: CallbackMoney | null;
}

/** `amount`, `feeAmount` and `netAmount` of a payment or transfer callback, with their sanity rules. */
export function readCallbackAmounts(payload: Record<string, unknown>): { ok: true; amounts: CallbackAmounts } | { ok: false; reason: string } {
  const amount = readCallbackMoney(payload.amount, 'amount');
  if (!amount.ok) return amount;
  const fee = readCallbackMoney(payload.feeAmount, 'feeAmount');
  if (!fee.ok) return fee;
  const net = readCallbackMoney(payload.netAmount, 'netAmount');
  if (!net.ok) return net;
  if (amount.money && fee.money && fee.money.minor > amount.money.minor) {
    return { ok: false, reason: `feeAmount ${fee.money.minor} sen is larger than amount ${amount.money.minor} sen` };
  }
  if (amount.money && net.money && net.money.minor > amount.money.minor) {
    return { ok: false, reason: `netAmount ${net.money.minor} sen is larger than amount ${amount.money.minor} sen` };
  }
  return { ok: true, amounts: { amount: amount.money, fee: fee.money, net: net.money } };
}

function describe(value: unknown): string {
  if (value === undefined) return '(missing)';
  // JSON.stringify answers undefined only for functions and symbols, which JSON.parse never yields.
  const text = JSON.stringify(value) ?? `(${typeof value})`;
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
