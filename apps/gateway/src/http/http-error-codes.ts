/**
 * The gateway-wide error codes (the `code` of every error body) that belong to no feature module:
 * request validation and input limits, the database being away, and the default code of each HTTP
 * status. Values are the wire codes clients match on: never change one, only add.
 * Feature modules keep theirs in `<module>-errors.ts` (AuthErrorCode, ReconciliationErrorCode, ...).
 */
export enum HttpErrorCode {
  /** class-validator refused the body, query or path (message: every problem, one per line). */
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  /** A JSON body nested deeper than MAX_JSON_DEPTH. */
  BODY_TOO_DEEP = 'BODY_TOO_DEEP',
  /** A NUL character in a body, query or path value (Postgres cannot store it). */
  NUL_CHARACTER = 'NUL_CHARACTER',
  /** A list's `cursor` that is not a nextCursor this list handed out. */
  INVALID_CURSOR = 'INVALID_CURSOR',
  /** PostgreSQL does not answer: 503 with Retry-After, the request is safe to repeat. */
  DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE',
  /** Anything unexpected: a bare 500 with the request id, details only in the log. */
  INTERNAL_ERROR = 'INTERNAL_ERROR',

  // The default code of an HttpException that names none, by status.
  BAD_REQUEST = 'BAD_REQUEST',
  UNAUTHORIZED = 'UNAUTHORIZED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  CONFLICT = 'CONFLICT',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  UNPROCESSABLE_ENTITY = 'UNPROCESSABLE_ENTITY',
  TOO_MANY_REQUESTS = 'TOO_MANY_REQUESTS',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
}
