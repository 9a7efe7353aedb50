import { NetzmeError, Errors } from './netzme-error';

/** Netzme reports fields by their Go struct name: `partnerReferenceNo` -> `PartnerReferenceNo`. */
export function goFieldName(jsonName: string): string {
  return jsonName.charAt(0).toUpperCase() + jsonName.slice(1);
}

export interface WireMoney {
  /** Amount in sen (1/100 IDR). */
  minor: bigint;
  currency: string;
}

const AMOUNT = /^(0|[1-9]\d*)(\.\d{1,2})?$/;

/**
 * A request body read the way Netzme's Go gateway binds it (docs/netzme-protocol.md §1.4):
 * - field names match case-insensitively (`AccountNo` fills `accountNo`, as Netzme's QA tool relies on);
 * - a missing or empty mandatory field is `400xx02 Invalid Mandatory Field <GoName>`;
 * - a value of the wrong JSON type cannot be unmarshalled: `400xx00 Invalid Request body`;
 * - a value of the right type but wrong shape is `400xx01 Invalid Field Format <GoName>`.
 */
export class WireBody {
  private constructor(private readonly data: Record<string, unknown>) {}

  static parse(raw: string): WireBody {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw Errors.invalidBody();
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw Errors.invalidBody();
    }
    return new WireBody(value as Record<string, unknown>);
  }

  static of(data: Record<string, unknown>): WireBody {
    return new WireBody(data);
  }

  /** The parsed JSON as received. */
  get json(): Record<string, unknown> {
    return this.data;
  }

  has(name: string): boolean {
    const value = this.get(name);
    return value !== undefined && value !== null && value !== '';
  }

  get(name: string): unknown {
    if (name in this.data) {
      return this.data[name];
    }
    const lower = name.toLowerCase();
    for (const key of Object.keys(this.data)) {
      if (key.toLowerCase() === lower) {
        return this.data[key];
      }
    }
    return undefined;
  }

  optString(name: string): string | undefined {
    const value = this.get(name);
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'string') {
      throw Errors.invalidBody();
    }
    return value;
  }

  string(name: string): string {
    const value = this.optString(name);
    if (value === undefined || value === '') {
      throw Errors.mandatoryField(goFieldName(name));
    }
    return value;
  }

  /** A field Netzme documents as "String/Int" (e.g. commissionPercentage, pageSize). */
  optIntegerish(name: string): number | undefined {
    const value = this.get(name);
    if (value === undefined || value === null || value === '') {
      return undefined;
    }
    if (typeof value === 'number' && Number.isInteger(value)) {
      return value;
    }
    if (typeof value === 'string' && /^-?\d{1,15}$/.test(value)) {
      return Number(value);
    }
    if (typeof value === 'string') {
      throw Errors.fieldFormat(goFieldName(name));
    }
    throw Errors.invalidBody();
  }

  /**
   * A decimal field Netzme takes as a string or a number: `commissionPercentage` is "0" in the docs,
   * while Netzme's own WooCommerce plugin sends "0.0" by default and documents "0.7". Returns the
   * decimal text (never a float), e.g. "0.7"; a string that is not a decimal is `400xx01`.
   */
  optDecimalish(name: string): string | undefined {
    const value = this.get(name);
    if (value === undefined || value === null || value === '') {
      return undefined;
    }
    if (typeof value === 'number' && Number.isFinite(value)) {
      return String(value);
    }
    if (typeof value === 'string' && /^-?\d{1,15}(\.\d{1,15})?$/.test(value)) {
      return value;
    }
    if (typeof value === 'string') {
      throw Errors.fieldFormat(goFieldName(name));
    }
    throw Errors.invalidBody();
  }

  optObject(name: string): WireBody | undefined {
    const value = this.get(name);
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw Errors.invalidBody();
    }
    return new WireBody(value as Record<string, unknown>);
  }

  object(name: string): WireBody {
    const value = this.optObject(name);
    if (value === undefined) {
      throw Errors.mandatoryField(goFieldName(name));
    }
    return value;
  }

  /** `additionalInfo` or an empty body when absent (most endpoints make it optional). */
  additionalInfo(): WireBody {
    return this.optObject('additionalInfo') ?? new WireBody({});
  }

  /** A Money object `{value: "10000.00", currency: "IDR"}`; value a decimal string, at most 2 decimals. */
  money(name: string): WireMoney {
    const value = this.optMoney(name);
    if (value === undefined) {
      throw Errors.mandatoryField(goFieldName(name));
    }
    return value;
  }

  optMoney(name: string): WireMoney | undefined {
    const obj = this.optObject(name);
    if (obj === undefined) {
      return undefined;
    }
    const value = obj.string('value');
    const currency = obj.string('currency');
    if (!AMOUNT.test(value)) {
      throw Errors.fieldFormat('Value');
    }
    const [int, frac = ''] = value.split('.');
    return { minor: BigInt(int) * 100n + BigInt(frac.padEnd(2, '0')), currency };
  }

  /** `additionalInfo.type` must be exactly what Netzme expects: else `400xx01 Invalid Field Format type`. */
  requireType(expected: string | readonly string[]): string {
    const type = this.string('type');
    const allowed = typeof expected === 'string' ? [expected] : expected;
    if (!allowed.includes(type)) {
      throw new NetzmeError(400, '01', 'Invalid Field Format type');
    }
    return type;
  }
}
