/** Error codes of the background jobs' admin routes (values are wire codes: never change one). */
export enum JobsErrorCode {
  /** 404: POST /jobs/:name/run for a job this replica has not registered. */
  JOB_NOT_FOUND = 'JOB_NOT_FOUND',
}
