import { BadRequestError } from './app-error';
import { HttpErrorCode } from './http-error-codes';

/**
 * Limits on what a caller may send, checked before anything is parsed into objects or transformed
 * into DTOs (README "Input limits"). class-transformer and class-validator walk objects recursively:
 * a body nested thousands of levels deep overflows the stack there, so depth is refused first.
 */
export const BODY_LIMIT_BYTES = 256 * 1024;

/** Deepest JSON nesting accepted in a request body (our deepest DTO is 2 levels). */
export const MAX_JSON_DEPTH = 32;

/**
 * Netzme's notifications are stored as received and judged by the callback module (a malformed
 * but authentic one becomes an anomaly, acknowledged so Netzme stops resending), so these checks
 * leave the callback receiver alone.
 */
export const CALLBACK_RECEIVER_PREFIX = '/callbacks/netzme/';

export function isCallbackReceiver(url: string): boolean {
  return url.split('?', 1)[0].startsWith(CALLBACK_RECEIVER_PREFIX);
}

/**
 * Deepest nesting of `[` / `{` in JSON text, without parsing it. Strings (and escapes in them) are
 * skipped, so `"[[["` counts nothing. One linear pass, no recursion and no allocation: safe and cheap
 * on any input, even many at once. With `stopAbove`, the scan ends as soon as the depth exceeds it
 * (and returns that depth). Not a validator: garbage still yields a number.
 */
export function jsonDepth(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) {
        i++; // skip the escaped character
      } else if (c === 0x22 /* " */) {
        inString = false;
      }
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) {
        max = depth;
        if (max > stopAbove) {
          return max;
        }
      }
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return max;
}

/** Is the JSON text nested deeper than `limit`? Stops scanning as soon as it is. */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  return jsonDepth(text, limit) > limit;
}

export class TooDeepError extends BadRequestError {
  constructor() {
    super(HttpErrorCode.BODY_TOO_DEEP, `The request body is nested too deeply: at most ${MAX_JSON_DEPTH} levels of objects and arrays are accepted`);
  }
}

/** Where a NUL character was found, e.g. `query.reference`, `body.customer.fullname`; undefined if none. */
export function findNul(value: unknown, path: string): string | undefined {
  // Iterative, with the depth already bounded by MAX_JSON_DEPTH for bodies.
  const stack: Array<[unknown, string]> = [[value, path]];
  while (stack.length > 0) {
    const [current, at] = stack.pop()!;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) {
        return at;
      }
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => stack.push([item, `${at}[${index}]`]));
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) {
        if (key.includes('\u0000')) {
          return at;
        }
        stack.push([item, `${at}.${key}`]);
      }
    }
  }
  return undefined;
}

export class NulCharacterError extends BadRequestError {
  constructor(where: string) {
    super(HttpErrorCode.NUL_CHARACTER, `${where} contains a NUL character (\\u0000), which no field accepts: remove it and send the request again`);
  }
}
