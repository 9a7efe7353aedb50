import { Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { GATEWAY_CONFIG } from '../config/config.module';
import { ConfigurationError } from '../config/env-validation';
import type { GatewayConfig } from '../config/gateway.settings';
import { buildDataSourceOptions } from './database.options';
import { runMigrationsLocked } from './migrator';

const poolSizeOf = (options: unknown): number => Number((options as { extra?: { max?: number } }).extra?.max ?? 1);

interface GatewayDataSourceOptions {
  skipMigrations: boolean;
  /** The same database without a statement timeout: a migration may rightly take longer than any request. */
  migrationOptions: DataSourceOptions;
}

/**
 * Postgres through TypeORM; pending migrations are applied at start-up under an advisory lock, on a
 * short-lived connection of their own (no statement timeout), before the request pool opens.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig) => {
        if (!config.databaseUrl) {
          throw new ConfigurationError(['DATABASE_URL: not set (npm start provides an embedded PostgreSQL; set DATABASE_URL to use your own)']);
        }
        const extra: GatewayDataSourceOptions = {
          skipMigrations: config.skipMigrations,
          migrationOptions: buildDataSourceOptions(config.databaseUrl, 2, { connectMs: config.databaseTimeouts.connectMs, statementMs: 0 }),
        };
        return { ...buildDataSourceOptions(config.databaseUrl, config.databasePoolSize, config.databaseTimeouts), autoLoadEntities: false, ...extra };
      },
      dataSourceFactory: async (options) => {
        const { skipMigrations, migrationOptions } = options as unknown as GatewayDataSourceOptions;
        if (!skipMigrations) {
          const migrator = await new DataSource({ ...migrationOptions, extra: { ...(migrationOptions.extra as object), min: 0 } }).initialize();
          try {
            const applied = await runMigrationsLocked(migrator);
            if (applied.length > 0) {
              new Logger('Database').log(`applied migrations: ${applied.join(', ')}`);
            }
          } finally {
            await migrator.destroy();
          }
        }
        const dataSource = await new DataSource(options!).initialize();
        // Open a few pooled connections now (they are kept: min = max), so that the first requests
        // do not each wait for a new backend while a checkout or Netzme's token refresh waits on them.
        const warm = Math.min(poolSizeOf(options), 4);
        await Promise.all(Array.from({ length: warm }, () => dataSource.query('SELECT 1')));
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
