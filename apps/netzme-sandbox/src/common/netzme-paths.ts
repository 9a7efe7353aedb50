/**
 * Netzme paths: `/api/{version}/…`, `/api-invoice/{version}/…`, `/api-qris/{version}/…`
 * (docs/netzme-protocol.md §1.2). Toko pages exist as v1.0 and v2.0; the consumer pages print v1.0 only.
 */
export const TOKO_VERSIONS = ['v1.0', 'v2.0'] as const;
export const CONSUMER_VERSIONS = ['v1.0'] as const;

/** Every concrete path of a template such as `/api/{version}/invoice/create-transaction`. */
export function versioned(template: string, versions: readonly string[] = TOKO_VERSIONS): string[] {
  return versions.map((v) => template.replace('{version}', v));
}

export function isNetzmePath(path: string): boolean {
  return /^\/api(-invoice|-qris)?\//.test(path);
}

const VERSION_SEGMENT = /^(\/api(?:-invoice|-qris)?)\/v\d+(?:\.\d+)?(?=\/|$)/;

/**
 * The form fault targets and request paths are compared in: no query string, no trailing slash,
 * and the version segment replaced by `{version}` so a fault on `/api/v1.0/x` also hits `/api/v2.0/x`.
 */
export function normalizePath(path: string): string {
  let p = path.split('?')[0];
  if (p.length > 1 && p.endsWith('/')) {
    p = p.slice(0, -1);
  }
  return p.replace(VERSION_SEGMENT, '$1/{version}');
}
