/**
 * Error codes of /deposit/topups (the `code` of the error body). The values are what clients have
 * always received. (The lead may fold these into the deposit module's own enum.)
 */
export enum DepositTopupErrorCode {
  /** amount is 0 (400). */
  INVALID_AMOUNT = 'INVALID_AMOUNT',
  /** amount above DEPOSIT_TOPUP_MAX_AMOUNT (400). */
  AMOUNT_OUT_OF_RANGE = 'AMOUNT_OUT_OF_RANGE',
  /** No deposit top-up with that id (404). */
  TOPUP_NOT_FOUND = 'TOPUP_NOT_FOUND',
  /** The path id is not a UUID (400). (A reused Idempotency-Key: 409 IDEMPOTENCY_KEY_REUSED from assertSameRequest.) */
  INVALID_ID = 'INVALID_ID',
}
