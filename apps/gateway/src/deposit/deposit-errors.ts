/**
 * Error codes of the deposit's split-fee routes. The values are part of the public contract:
 * clients branch on them, so they never change.
 */
export enum DepositErrorCode {
  /** 400: the id in the path is not a UUID. */
  INVALID_ID = 'INVALID_ID',
  /** 400: amount not above 0. */
  INVALID_AMOUNT = 'INVALID_AMOUNT',
  /** 400: feeAmount not above 0, or above amount. */
  INVALID_FEE = 'INVALID_FEE',
  /** 409: the sale's partnerReferenceNo was already reported under another Idempotency-Key. */
  SPLIT_FEE_REFERENCE_USED = 'SPLIT_FEE_REFERENCE_USED',
  /** 404. */
  SPLIT_FEE_NOT_FOUND = 'SPLIT_FEE_NOT_FOUND',
}
