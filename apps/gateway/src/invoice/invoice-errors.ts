/**
 * Every error code the invoice module answers with (the `code` of the error body). The values are
 * what clients have always received; change a value only as a breaking change of the API.
 */
export enum InvoiceErrorCode {
  /** POST /orders: the amount is outside ORDER_MIN_AMOUNT..ORDER_MAX_AMOUNT (400). */
  AMOUNT_OUT_OF_RANGE = 'AMOUNT_OUT_OF_RANGE',
  /** No order with that id (404). */
  ORDER_NOT_FOUND = 'ORDER_NOT_FOUND',
  /** The merchantOrderId or Idempotency-Key was used with another body (409). */
  ORDER_CONFLICT = 'ORDER_CONFLICT',
  /** The Idempotency-Key names another order than the merchantOrderId (409). */
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  /** Another request (or the poller) holds the invoice right now (409). */
  ORDER_BUSY = 'ORDER_BUSY',
  /** Netzme refused the invoice; the order is FAILED (422). */
  ORDER_REJECTED = 'ORDER_REJECTED',
}

/** Failure codes stored on an invoice that Netzme refused (`failure.code`), besides NETZME_<responseCode>. */
export enum InvoiceFailureCode {
  /** Netzme answered 2xx but refused (status false), or a top-up moved from before the merge that Netzme refused. */
  NETZME_REFUSED = 'NETZME_REFUSED',
}
