/**
 * One structured line per Netzme call. The entry is built from ids and codes only (never headers or
 * bodies), and every string in it is scrubbed of known secret values on top of that.
 */
export interface NetzmeCallLog {
  event: 'netzme.call';
  family: 'toko' | 'consumer';
  endpoint: string;
  method: string;
  path: string;
  outcome: 'success' | 'definite' | 'unknown';
  httpStatus?: number;
  responseCode?: string;
  responseMessage?: string;
  category?: string;
  durationMs: number;
  attempts: number;
  /** Codes of every attempt, e.g. ["TIMEOUT", "5001100", "2001100"]. */
  attemptResults?: string[];
  tokenRefreshed?: boolean;
  externalId?: string;
  partnerReferenceNo?: string;
  referenceNo?: string;
  clientId: string;
}

export interface NetzmeLogger {
  info(entry: NetzmeCallLog): void;
  warn(entry: NetzmeCallLog): void;
}

/** Default: a JSON line on stdout/stderr. */
export const consoleJsonLogger: NetzmeLogger = {
  info: (entry) => process.stdout.write(`${JSON.stringify(entry)}\n`),
  warn: (entry) => console.warn(JSON.stringify(entry)),
};

export const silentLogger: NetzmeLogger = { info: () => undefined, warn: () => undefined };

export const REDACTED = '[REDACTED]';

/** Keys whose values are never shown, wherever they appear in a logged or attached object. */
// `pin` only as a whole word or suffix (pin, clearPin), so `shippingAmount` is not masked.
const SENSITIVE_KEY = /^(.*pin|pinhash)$|secret|password|passwd|private|token|signature|authorization|credential/i;

/** Masks sensitive keys and scrubs known secret values out of any string. */
export class Redactor {
  readonly #secrets = new Set<string>();

  /** Register a value that must never appear in output (ignores short strings that would over-match). */
  addSecret(value: string | undefined | null): void {
    if (value && value.length >= 6) {
      this.#secrets.add(value);
    }
  }

  removeSecret(value: string | undefined | null): void {
    if (value) {
      this.#secrets.delete(value);
    }
  }

  scrub(text: string): string {
    let out = text;
    for (const secret of this.#secrets) {
      if (out.includes(secret)) {
        out = out.split(secret).join(REDACTED);
      }
    }
    return out;
  }

  redact<T>(value: T, extraSecrets: readonly string[] = []): T {
    return this.walk(value, extraSecrets, 0) as T;
  }

  private walk(value: unknown, extra: readonly string[], depth: number): unknown {
    if (typeof value === 'string') {
      let out = this.scrub(value);
      for (const secret of extra) {
        if (secret && out.includes(secret)) {
          out = out.split(secret).join(REDACTED);
        }
      }
      return out;
    }
    if (depth > 20 || value === null || typeof value !== 'object') {
      return value;
    }
    if (Array.isArray(value)) {
      return value.map((item) => this.walk(item, extra, depth + 1));
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      out[key] = SENSITIVE_KEY.test(key) && item !== undefined && item !== null && item !== '' ? REDACTED : this.walk(item, extra, depth + 1);
    }
    return out;
  }
}
