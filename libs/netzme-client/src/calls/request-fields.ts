import { createHash } from 'node:crypto';
import { fromMinor, hashPin, InvalidAmountError, jakartaTimestamp, NETZME_CURRENCY, newExternalId, toMinor, type Amount, type Beneficiary } from '@app/snap';
import { NetzmeError } from '../errors';
import type { AmountInput, IntegerInput, InvoiceCommonParams, PercentageInput } from '../params';

/**
 * The checks and conversions every request body goes through before it is signed: what a caller
 * hands in (decimal strings, bigint sen, numbers for integers, Dates) becomes the strings Netzme
 * takes, or the call is refused before anything is sent (INVALID_REQUEST, `sent: false`).
 */

/** The refusal of a bad input: definite (nothing was sent), names the field, never echoes a secret. */
export function invalidRequest(field: string, reason: string): NetzmeError {
  return new NetzmeError({
    category: 'INVALID_REQUEST',
    outcome: 'definite',
    endpoint: 'client',
    sent: false,
    message: `${field}: ${reason}`,
  });
}

export function required(field: string, value: string | undefined): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidRequest(field, 'is required');
  }
  return value;
}

/** Any accepted amount form -> `{ value: "15000.00", currency: "IDR" }`; refuses floats and other currencies. */
export function amount(field: string, input: AmountInput): Amount {
  let minor: bigint;
  let currency: string = NETZME_CURRENCY;
  try {
    if (typeof input === 'bigint') {
      minor = input;
    } else if (typeof input === 'string') {
      minor = toMinor(input.trim());
    } else if (input && typeof input === 'object' && typeof input.value === 'string') {
      minor = toMinor(input.value.trim());
      currency = input.currency;
    } else {
      throw new InvalidAmountError(`${typeof input} is not an amount (use a decimal string or bigint sen)`);
    }
  } catch (err) {
    throw invalidRequest(field, err instanceof Error ? err.message : String(err));
  }
  if (minor < 0n) {
    throw invalidRequest(field, 'must not be negative');
  }
  if (currency !== NETZME_CURRENCY) {
    throw invalidRequest(field, `currency ${currency} is not accepted by Netzme (only ${NETZME_CURRENCY})`);
  }
  return { value: fromMinor(minor), currency };
}

/** The goods/shipping split of an invoice: goods default to the whole amount, shipping to 0.00. */
export function amountDetail(params: InvoiceCommonParams): { basicAmount: Amount; shippingAmount: Amount } {
  const total = amount('amount', params.amount);
  return {
    basicAmount: params.basicAmount !== undefined ? amount('basicAmount', params.basicAmount) : total,
    shippingAmount: params.shippingAmount !== undefined ? amount('shippingAmount', params.shippingAmount) : { value: '0.00', currency: NETZME_CURRENCY },
  };
}

/** A 0–100 percentage as a plain decimal string ("0", "0.0", "0.7"); no exponent, no sign. */
export function percentage(field: string, input: PercentageInput): string {
  const text = typeof input === 'number' && Number.isFinite(input) ? String(input) : input;
  if (typeof text !== 'string' || !/^\d{1,3}(\.\d{1,6})?$/.test(text) || Number(text) > 100) {
    throw invalidRequest(field, `"${String(input)}" is not a percentage from 0 to 100 (e.g. "0.7")`);
  }
  return text;
}

/** Integers go out as decimal strings; refuses fractions, NaN and anything that is not an integer. */
export function integer(field: string, input: IntegerInput): string {
  if (typeof input === 'number') {
    if (!Number.isSafeInteger(input) || input < 0) {
      throw invalidRequest(field, `${input} is not a non-negative integer`);
    }
    return String(input);
  }
  if (typeof input !== 'string' || !/^\d+$/.test(input)) {
    throw invalidRequest(field, `"${String(input)}" is not a non-negative integer`);
  }
  return input;
}

/** A Date goes out as Jakarta time; a string is sent as given. */
export function dateTime(input: string | Date): string {
  if (input instanceof Date) {
    if (Number.isNaN(input.getTime())) {
      throw invalidRequest('dateTime', 'invalid Date');
    }
    return jakartaTimestamp(input);
  }
  return required('dateTime', input);
}

/** The four bank-account fields of a withdraw, each required (they come from the withdraw inquiry). */
export function beneficiary(b: Beneficiary): Beneficiary {
  if (!b) {
    throw invalidRequest('beneficiary', 'is required (take it from the withdraw inquiry)');
  }
  return {
    beneficiaryAccountName: required('beneficiaryAccountName', b.beneficiaryAccountName),
    beneficiaryAccountNumber: required('beneficiaryAccountNumber', b.beneficiaryAccountNumber),
    beneficiaryBankName: required('beneficiaryBankName', b.beneficiaryBankName),
    beneficiaryBankCode: required('beneficiaryBankCode', b.beneficiaryBankCode),
  };
}

/** PIN hash: Toko hashes with clientId + custIdMerchant, the consumer side with its clientId + custId. */
export function pinHash(pin: string, clientId: string, ownerId: string): string {
  if (typeof pin !== 'string' || !/^\d{4,12}$/.test(pin)) {
    // The message never contains the PIN itself.
    throw invalidRequest('pin', 'must be a string of digits');
  }
  return hashPin(clientId, ownerId, pin);
}

/** A read call's request id: Jakarta date + 14 random digits, like Netzme's own examples. */
export function newReference(now: number): string {
  return jakartaTimestamp(new Date(now)).slice(0, 10).replace(/-/g, '') + newExternalId().slice(0, 14);
}

/** A GUID derived from the partner reference, so a re-sent money call has the same body. */
export function derivedGuid(clientId: string, purpose: string, partnerReferenceNo: string): string {
  const h = createHash('sha256').update(`${clientId}:${purpose}:${partnerReferenceNo}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
