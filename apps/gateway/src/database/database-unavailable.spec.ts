import { isDatabaseUnavailable } from './database-errors';

/** Errors as node-postgres and TypeORM raise them (shapes copied from a soak run's logs). */
describe('isDatabaseUnavailable', () => {
  const pgError = (message: string, code: string) => Object.assign(new Error(message), { code, severity: 'FATAL' });

  it.each([
    ['server shutting down (57P01)', pgError('terminating connection due to administrator command', '57P01')],
    ['server starting (57P03)', pgError('the database system is starting up', '57P03')],
    ['shutting down, by message', new Error('the database system is shutting down')],
    [
      'connection refused',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:44301'), {
        code: 'ECONNREFUSED',
        errno: -111,
        syscall: 'connect',
        address: '127.0.0.1',
        port: 44301,
      }),
    ],
    ['connection ended', new Error('Connection terminated unexpectedly')],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect')],
    [
      'transaction whose connection died',
      Object.assign(new Error('Query runner already released. Cannot run queries anymore.'), { name: 'QueryRunnerAlreadyReleasedError' }),
    ],
    [
      'wrapped by TypeORM',
      Object.assign(new Error('QueryFailedError'), { driverError: pgError('terminating connection due to administrator command', '57P01') }),
    ],
  ])('%s -> unavailable', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['unique violation', pgError('duplicate key value violates unique constraint "orders_pkey"', '23505')],
    ['syntax error', pgError('syntax error at or near "SELEC"', '42601')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['ECONNREFUSED without a socket call', Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })],
    ['not an error', 'ECONNREFUSED'],
  ])('%s -> not unavailable', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
