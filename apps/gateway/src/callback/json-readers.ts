/** Tolerant readers for fields of an outsider's JSON (Netzme's callbacks). */

type Json = Record<string, unknown>;

/** A non-empty string (trimmed), or a finite number as text (Netzme sends some ids as numbers). */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

/** The object at `value`, or an empty one (absent, null, an array or a scalar). */
export function jsonObject(value: unknown): Json {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}
