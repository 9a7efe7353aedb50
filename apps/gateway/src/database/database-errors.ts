/**
 * Is this error "the database cannot be reached right now" rather than a bug or a bad request?
 * Such errors are answered 503 with Retry-After (common/http-exception.filter.ts): the caller
 * should repeat the request, which is safe because every money-moving request is idempotent.
 */

/** SQLSTATEs meaning Postgres is unreachable, shutting down, overloaded or cancelled us by timeout. */
const UNAVAILABLE_SQLSTATES = new Set([
  '57014', // query_canceled: statement_timeout
  '57P01', // admin_shutdown: the server is stopping
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up / shutting down
  '55P03', // lock_not_available: lock_timeout
  '53300', // too_many_connections
  '53400', // configuration_limit_exceeded
]);

/** Socket errors from the pg driver (Netzme's HTTP errors are wrapped by its client and never reach here bare). */
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** pg / pg-pool errors without a code, recognised by their (stable) messages. */
const UNAVAILABLE_MESSAGES = [
  'timeout exceeded when trying to connect', // pg-pool: no connection within connectionTimeoutMillis
  'Connection terminated', // pg: the server went away ("unexpectedly", "due to connection timeout")
  'Query read timeout', // pg: query_timeout, the server did not answer at all
  'Client has encountered a connection error and is not queryable',
  'Connection terminated due to connection timeout',
];

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
}

function matches(error: ErrorLike): boolean {
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (code && (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08') || UNAVAILABLE_SOCKET_CODES.has(code))) {
    return true;
  }
  const message = typeof error.message === 'string' ? error.message : '';
  return UNAVAILABLE_MESSAGES.some((text) => message.startsWith(text));
}

export function isDatabaseUnavailable(error: unknown): boolean {
  if (error === null || typeof error !== 'object') {
    return false;
  }
  const e = error as ErrorLike;
  // TypeORM's QueryFailedError keeps pg's error as driverError.
  return matches(e) || (e.driverError !== null && typeof e.driverError === 'object' && matches(e.driverError as ErrorLike));
}

/** Seconds a caller is told to wait before repeating a request the database could not serve. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
