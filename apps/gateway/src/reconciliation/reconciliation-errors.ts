/** Error codes of the reconciliation reports (values are wire codes clients match on: never change one). */
export enum ReconciliationErrorCode {
  /** 400: a date that is not a real calendar day. */
  DATE_INVALID = 'RECONCILIATION_DATE_INVALID',
  /** 400: a Jakarta day that has not started yet. */
  DATE_IN_FUTURE = 'RECONCILIATION_DATE_IN_FUTURE',
  /** 409: a report for that day is being made right now. */
  RUNNING = 'RECONCILIATION_RUNNING',
  /** 400: a report list cursor that names no report. */
  CURSOR_INVALID = 'RECONCILIATION_CURSOR_INVALID',
  /** 404: no report with that id. */
  REPORT_NOT_FOUND = 'RECONCILIATION_REPORT_NOT_FOUND',
}
