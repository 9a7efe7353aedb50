/**
 * Is this error PostgreSQL being unreachable (restarting, shutting down, not accepting connections)
 * rather than a fault in the request or in our code? Such a request may succeed when retried, so
 * the caller gets 503 SERVICE_UNAVAILABLE instead of 500 (found by the money-safety soak: a
 * Postgres restart answered well-formed requests with 500 INTERNAL_ERROR).
 */

/** SQLSTATE class 08 (connection exception) and the 57P0x "server is going away / not up yet" codes. */
const UNAVAILABLE_SQLSTATES = new Set(['08000', '08001', '08003', '08004', '08006', '57P01', '57P02', '57P03']);
/** Socket errors node-postgres passes through when the server is not there. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
/** node-postgres / pg-pool messages for a connection that ended or could not be made in time. */
const CONNECTION_MESSAGES = [/^Connection terminated/i, /timeout exceeded when trying to connect/i, /^Client has encountered a connection error/i, /database system is (shutting down|starting up|in recovery mode)/i];

function looksUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, message, syscall, name } = error as { code?: unknown; message?: unknown; syscall?: unknown; name?: unknown };
  // TypeORM releases a transaction's query runner when its connection dies (Postgres shutting down
  // mid-transaction); the transaction's next query then fails with this instead of the socket error.
  if (name === 'QueryRunnerAlreadyReleasedError') return true;
  if (typeof code === 'string' && UNAVAILABLE_SQLSTATES.has(code)) return true;
  // Socket codes only from a connect/read on the database socket (node-postgres sets syscall).
  if (typeof code === 'string' && SOCKET_CODES.has(code) && typeof syscall === 'string') return true;
  return typeof message === 'string' && CONNECTION_MESSAGES.some((pattern) => pattern.test(message));
}

/** True for the error itself or what it wraps (TypeORM's driverError, an Error's cause). */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    if (looksUnavailable(current)) return true;
    const wrapper = current as { driverError?: unknown; cause?: unknown };
    current = wrapper.driverError ?? wrapper.cause;
  }
  return false;
}
