/**
 * Error codes of the deposit's routes (top-ups and split fees; deposit withdrawals answer the payout
 * module's PayoutErrorCode). The values are part of the public contract: clients branch on them, so
 * they never change. (A reused Idempotency-Key: 409 IDEMPOTENCY_KEY_REUSED from assertSameRequest.)
 */
export enum DepositErrorCode {
  /** 400: the id in the path is not a UUID. */
  INVALID_ID = 'INVALID_ID',
  /** 400: amount not above 0. */
  INVALID_AMOUNT = 'INVALID_AMOUNT',
  /** 400: a top-up amount above DEPOSIT_TOPUP_MAX_AMOUNT. */
  AMOUNT_OUT_OF_RANGE = 'AMOUNT_OUT_OF_RANGE',
  /** 400: feeAmount not above 0, or above amount. */
  INVALID_FEE = 'INVALID_FEE',
  /** 409: the sale's partnerReferenceNo was already reported under another Idempotency-Key. */
  SPLIT_FEE_REFERENCE_USED = 'SPLIT_FEE_REFERENCE_USED',
  /** 404. */
  SPLIT_FEE_NOT_FOUND = 'SPLIT_FEE_NOT_FOUND',
  /** 404: no deposit top-up with that id. */
  TOPUP_NOT_FOUND = 'TOPUP_NOT_FOUND',
}
