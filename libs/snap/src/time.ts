const JAKARTA_OFFSET_MS = 7 * 60 * 60 * 1000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `yyyy-MM-ddTHH:mm:ss+07:00`: the X-TIMESTAMP format Netzme's examples use (≤ 25 chars). */
export function jakartaTimestamp(date: Date = new Date()): string {
  const d = new Date(date.getTime() + JAKARTA_OFFSET_MS);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+07:00`
  );
}

/** Jakarta time with milliseconds, as Netzme prints in bodies: `2023-11-15T05:13:21.000+07:00`. */
export function jakartaTimestampMillis(date: Date = new Date()): string {
  const base = jakartaTimestamp(date);
  return `${base.slice(0, 19)}.${pad(date.getUTCMilliseconds(), 3)}${base.slice(19)}`;
}

/** `yyyyMMdd` of the Jakarta calendar day. */
export function jakartaDate(date: Date = new Date()): string {
  return jakartaTimestamp(date).slice(0, 10).replace(/-/g, '');
}

/** RFC 3339 check as Netzme's gateway applies it to X-TIMESTAMP. */
export function isRfc3339(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value));
}

/**
 * A time as Netzme writes it in bodies: ISO-8601 with or without milliseconds and offset, or epoch
 * milliseconds (a number, or a string of 12-14 digits: `"ts":"1663940662217"`). Anything else is null.
 */
export function parseNetzmeTime(value: unknown): Date | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return new Date(value);
  }
  if (typeof value !== 'string' || value.trim() === '') {
    return null;
  }
  const text = value.trim();
  if (/^\d{12,14}$/.test(text)) {
    return new Date(Number(text));
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms);
}
