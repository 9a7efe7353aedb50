/**
 * Is this error "the database cannot be reached right now" rather than a bug or a bad request?
 * Such errors are answered 503 with Retry-After (http/http-exception.filter.ts): the caller
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
  // Postgres' own FATAL while it stops or starts (found by the money-safety soak's restarts).
  'the database system is shutting down',
  'the database system is starting up',
  'the database system is in recovery mode',
];

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  name?: unknown;
  syscall?: unknown;
  driverError?: unknown;
  cause?: unknown;
}

function matches(error: ErrorLike): boolean {
  // TypeORM releases a transaction's query runner when its connection dies (Postgres shutting down
  // mid-transaction); the transaction's next query then fails with this instead of the socket error.
  if (error.name === 'QueryRunnerAlreadyReleasedError') {
    return true;
  }
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (code && (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08'))) {
    return true;
  }
  // Socket codes only from a connect/read on the database socket (node-postgres sets syscall).
  if (code && UNAVAILABLE_SOCKET_CODES.has(code) && typeof error.syscall === 'string') {
    return true;
  }
  const message = typeof error.message === 'string' ? error.message : '';
  return UNAVAILABLE_MESSAGES.some((text) => message.startsWith(text));
}

/** True for the error itself or what it wraps (TypeORM's driverError, an Error's cause). */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== null && typeof current === 'object'; depth++) {
    if (matches(current)) {
      return true;
    }
    const wrapper = current as ErrorLike;
    current = wrapper.driverError ?? wrapper.cause;
  }
  return false;
}

/** Seconds a caller is told to wait before repeating a request the database could not serve. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
