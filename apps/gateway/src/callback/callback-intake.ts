/**
 * Defensive reading of what an outsider sent us. Netzme's callbacks are small, flat JSON (4 levels
 * at most in the doc examples); anything the rest of the gateway would choke on is caught here,
 * before it reaches Postgres or a serialiser, and kept as an anomaly in a safe form. The scans
 * themselves (jsonDepth, findNul) are the gateway-wide ones of http/input-limits.ts.
 */
import { jsonDepth } from '../http/input-limits';

/**
 * Deepest nesting we parse, store as JSON or render. Netzme's bodies are 4 levels deep; 32 leaves
 * room for extensions and stays far below what overflows the stack in JSON.stringify or
 * class-transformer.
 */
export const MAX_CALLBACK_JSON_DEPTH = 32;

/** How much of a body that cannot be shown as JSON the admin view shows as text. */
export const MAX_TEXT_PREVIEW = 4000;

/**
 * Text made safe for a Postgres text column: every NUL becomes the six characters `\u0000`
 * (visible to a person, and what the JSON escape was).
 */
export function pgSafeText(value: string): string;
export function pgSafeText(value: string | null): string | null;
export function pgSafeText(value: string | null): string | null {
  return value === null ? null : value.replace(/\u0000/g, '\\u0000');
}

/**
 * The stored body as the admin views show it: parsed JSON when that is safe to serialise again,
 * otherwise (too deep, not JSON) the beginning of the text.
 */
export function viewableBody(raw: string): unknown {
  if (jsonDepth(raw) > MAX_CALLBACK_JSON_DEPTH) {
    return raw.length > MAX_TEXT_PREVIEW ? `${raw.slice(0, MAX_TEXT_PREVIEW)}… (${raw.length} characters, nested too deeply to show as JSON)` : raw;
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw.length > MAX_TEXT_PREVIEW ? `${raw.slice(0, MAX_TEXT_PREVIEW)}… (${raw.length} characters)` : raw;
  }
}
