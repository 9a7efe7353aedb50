import { containsJsonNumber, endpointPath, minifyJson, type NetzmeEndpointSpec } from '@app/snap';
import { NetzmeError } from './errors';

/**
 * What is signed is what is sent: the body string, the path and its query are each produced once
 * here, then both hashed into the signature and put on the wire.
 */

/**
 * Serialise a request body exactly once. The string returned is both hashed and sent, so the
 * signature covers the exact bytes on the wire. Refuses JSON numbers (Netzme re-minifies numbers
 * before hashing: `10000` becomes `1e4` on their side and the signature no longer matches).
 */
export function serializeBody(endpoint: string, body: unknown): string {
  if (body === undefined) {
    return '';
  }
  if (containsJsonNumber(body)) {
    throw new NetzmeError({
      category: 'INVALID_REQUEST',
      outcome: 'definite',
      endpoint,
      sent: false,
      message: `${endpoint}: refusing to send a body containing a JSON number; send numeric values as strings (docs/netzme-protocol.md 1.7)`,
    });
  }
  const text = JSON.stringify(body);
  // Belt and braces: what Netzme hashes (its minified form) must be byte-identical to what we send.
  if (minifyJson(text) !== text) {
    throw new NetzmeError({
      category: 'INVALID_REQUEST',
      outcome: 'definite',
      endpoint,
      sent: false,
      message: `${endpoint}: body would be canonicalised differently by Netzme; refusing to send`,
    });
  }
  return text;
}

/** `?a=1&b=2` with every value percent-encoded (stable order = the signed order). */
export function buildQuery(query: Record<string, string> | undefined): string {
  if (!query) {
    return '';
  }
  const parts = Object.entries(query).map(
    ([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
  );
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Path of a spec for a configured version, honouring overrides. */
export function resolvePath(spec: NetzmeEndpointSpec, version: string | undefined, override: string | undefined): string {
  if (override) {
    return override;
  }
  if (version && spec.versions.includes(version)) {
    return endpointPath(spec, version);
  }
  return endpointPath(spec);
}
