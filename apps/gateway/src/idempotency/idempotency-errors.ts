/** Error codes of the Idempotency-Key checks every idempotent create shares (wire codes: never change one). */
export enum IdempotencyErrorCode {
  /** 400: the route needs an Idempotency-Key header and none was sent. */
  IDEMPOTENCY_KEY_REQUIRED = 'IDEMPOTENCY_KEY_REQUIRED',
  /** 400: the header is not 1-255 visible ASCII characters. */
  IDEMPOTENCY_KEY_INVALID = 'IDEMPOTENCY_KEY_INVALID',
  /** 409: the key was already used for a different request. */
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
}
