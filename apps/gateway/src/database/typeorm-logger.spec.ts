import { Logger } from '@nestjs/common';
import { SafeTypeOrmLogger } from './typeorm-logger';

describe('SafeTypeOrmLogger', () => {
  it('logs a failed query without its parameters', () => {
    const spy = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const logger = new SafeTypeOrmLogger();
      // TypeORM passes the parameters as a third argument; they must not be logged.
      (logger.logQueryError as (e: Error, q: string, p: unknown[]) => void)(new Error('duplicate key'), 'INSERT INTO orders (email) VALUES ($1)', [
        'buyer@example.com',
      ]);
      expect(spy).toHaveBeenCalledTimes(1);
      const logged = JSON.stringify(spy.mock.calls[0]);
      expect(logged).toContain('duplicate key');
      expect(logged).toContain('INSERT INTO orders');
      expect(logged).not.toContain('buyer@example.com');
    } finally {
      spy.mockRestore();
    }
  });
});
