/**
 * Every error code the payout routes answer (merchant and deposit withdrawals alike). The values are
 * part of the public contract: clients branch on them, so they never change.
 */
export enum PayoutErrorCode {
  /** 400: the id in the path is not a UUID. */
  INVALID_ID = 'INVALID_ID',
  /** 400: `from` is not before `to` in a list query. */
  INVALID_DATE_RANGE = 'INVALID_DATE_RANGE',
  /** 400: `cursor` is not a nextCursor of ours, or it was mixed with page/pageSize. */
  INVALID_CURSOR = 'INVALID_CURSOR',
  /** 400: amount not a positive decimal with at most two decimals. */
  INVALID_AMOUNT = 'INVALID_AMOUNT',
  /** 422: Netzme does not allow a withdrawal right now. */
  WITHDRAWAL_NOT_ALLOWED = 'WITHDRAWAL_NOT_ALLOWED',
  /** 422: below Netzme's stated minimum or WITHDRAWAL_MIN_AMOUNT. */
  AMOUNT_BELOW_MINIMUM = 'AMOUNT_BELOW_MINIMUM',
  /** 422: above what Netzme says can be withdrawn. */
  AMOUNT_ABOVE_WITHDRAWABLE = 'AMOUNT_ABOVE_WITHDRAWABLE',
  /** 409: another withdrawal of this kind is still in flight. */
  WITHDRAWAL_IN_FLIGHT = 'WITHDRAWAL_IN_FLIGHT',
  /** 404. */
  WITHDRAWAL_NOT_FOUND = 'WITHDRAWAL_NOT_FOUND',
  /** 409: a final status never changes. */
  WITHDRAWAL_ALREADY_FINAL = 'WITHDRAWAL_ALREADY_FINAL',
  /** 409: still resolved automatically; not yet in the review queue. */
  WITHDRAWAL_NOT_IN_REVIEW = 'WITHDRAWAL_NOT_IN_REVIEW',
  /** 409: only an UNKNOWN (or abandoned PENDING_SUBMIT) withdrawal can be resubmitted. */
  WITHDRAWAL_NOT_RESUBMITTABLE = 'WITHDRAWAL_NOT_RESUBMITTABLE',
  /** 409: its own request is still submitting it. */
  WITHDRAWAL_BEING_SUBMITTED = 'WITHDRAWAL_BEING_SUBMITTED',
  /** 409: Netzme has it: resolved by its status, never resubmitted. */
  WITHDRAWAL_KNOWN_TO_NETZME = 'WITHDRAWAL_KNOWN_TO_NETZME',
  /** 502: Netzme answered something we cannot read as exact money. */
  NETZME_BAD_ANSWER = 'NETZME_BAD_ANSWER',
  /** 504. */
  NETZME_TIMEOUT = 'NETZME_TIMEOUT',
  /** 502: Netzme down, 5xx, network. */
  NETZME_UNAVAILABLE = 'NETZME_UNAVAILABLE',
  /** 502: Netzme refused the gateway's credentials (an operator problem). */
  NETZME_AUTH_FAILED = 'NETZME_AUTH_FAILED',
  /** 429. */
  NETZME_RATE_LIMITED = 'NETZME_RATE_LIMITED',
  /** 422: Netzme refused the request (its message and code say why). */
  NETZME_REJECTED = 'NETZME_REJECTED',
}
