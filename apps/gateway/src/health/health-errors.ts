/** Error codes of the health routes (values are wire codes: never change one). */
export enum HealthErrorCode {
  /** 503 from GET /health: PostgreSQL did not answer `SELECT 1` in time. */
  DATABASE_DOWN = 'DATABASE_DOWN',
}
