import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLoggerContract } from 'typeorm';

/**
 * TypeORM's own loggers print a failing query WITH its parameters, which can hold customer e-mails,
 * phone numbers and callback bodies. This one logs the statement and the database's error only.
 */
export class SafeTypeOrmLogger implements TypeOrmLoggerContract {
  private readonly logger = new NestLogger('Database');

  logQuery(): void {
    // Queries are not logged (volume, and their parameters may hold personal data).
  }

  logQueryError(error: string | Error, query: string): void {
    const message = error instanceof Error ? error.message : error;
    this.logger.error({ message: 'query failed', error: message, query: query.replace(/\s+/g, ' ').slice(0, 500) });
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ message: 'slow query', durationMs: time, query: query.replace(/\s+/g, ' ').slice(0, 500) });
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') {
      this.logger.warn(String(message));
    }
  }
}
