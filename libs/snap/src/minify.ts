/**
 * JSON canonicalisation exactly as Netzme's gateway does it before hashing a body.
 *
 * Netzme runs `tdewolff/minify` v2.12.4 `json.Minify` (default options) over the received bytes
 * (docs/netzme-protocol.md §1.7): insignificant whitespace goes, key order and string bytes stay untouched,
 * and every JSON number is rewritten to its shortest form (`10000` -> `1e4`, `1.50` -> `1.5`,
 * `0.0001` -> `1e-4`). A body with numbers therefore hashes differently on Netzme's side than the
 * bytes we sent, which is why the client never sends numbers and the sandbox reproduces this.
 */

/** Shortest representation of a JSON number literal, as tdewolff `minify.Number` (precision 0). */
export function minifyNumber(literal: string): string {
  let s = literal;
  let sign = '';
  if (s.startsWith('-')) {
    sign = '-';
    s = s.slice(1);
  } else if (s.startsWith('+')) {
    s = s.slice(1);
  }
  // Split mantissa and exponent.
  let exp = 0;
  const eIndex = s.search(/[eE]/);
  if (eIndex >= 0) {
    exp = parseInt(s.slice(eIndex + 1), 10);
    s = s.slice(0, eIndex);
  }
  let intPart = s;
  let fracPart = '';
  const dot = s.indexOf('.');
  if (dot >= 0) {
    intPart = s.slice(0, dot);
    fracPart = s.slice(dot + 1);
  }
  // All significant digits as one integer string, with the exponent adjusted for the fraction.
  let digits = (intPart + fracPart).replace(/^0+/, '');
  exp -= fracPart.length;
  if (digits === '') {
    return '0';
  }
  const trailing = digits.length - digits.replace(/0+$/, '').length;
  digits = digits.slice(0, digits.length - trailing);
  exp += trailing;

  // Plain decimal form of digits * 10^exp.
  let plain: string;
  if (exp >= 0) {
    plain = digits + '0'.repeat(exp);
  } else if (-exp < digits.length) {
    plain = digits.slice(0, digits.length + exp) + '.' + digits.slice(digits.length + exp);
  } else {
    plain = '.' + '0'.repeat(-exp - digits.length) + digits;
  }
  // Exponent form keeps an integer mantissa: 11000 -> 11e3, 0.00012 -> 12e-5.
  const scientific = exp === 0 ? plain : `${digits}e${exp}`;
  let best = scientific.length < plain.length ? scientific : plain;
  // The JSON minifier restores a leading zero so the output stays valid JSON.
  if (best.startsWith('.')) {
    best = '0' + best;
  }
  return sign + best;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/** Minify a JSON text the way Netzme does before hashing. Strings are copied byte for byte. */
export function minifyJson(text: string): string {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i];
    if (ch === '"') {
      // Copy the string literal verbatim, honouring escapes.
      let j = i + 1;
      while (j < n && text[j] !== '"') {
        j += text[j] === '\\' ? 2 : 1;
      }
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (WHITESPACE.has(ch)) {
      i++;
    } else if (ch === '-' || ch === '+' || (ch >= '0' && ch <= '9') || ch === '.') {
      let j = i + 1;
      while (j < n && /[0-9eE+\-.]/.test(text[j])) {
        j++;
      }
      out += minifyNumber(text.slice(i, j));
      i = j;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** True when a JSON value (parsed) contains a number anywhere: such a body must never be sent. */
export function containsJsonNumber(value: unknown): boolean {
  if (typeof value === 'number' || typeof value === 'bigint') {
    return true;
  }
  if (Array.isArray(value)) {
    return value.some(containsJsonNumber);
  }
  if (value !== null && typeof value === 'object') {
    return Object.values(value as Record<string, unknown>).some(containsJsonNumber);
  }
  return false;
}
