import { Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { GATEWAY_CONFIG } from '../config/config.module';
import { ConfigurationError } from '../config/env-validation';
import type { GatewayConfig } from '../config/gateway.config';
import { buildDataSourceOptions } from './database.options';
import { runMigrationsLocked } from './migrator';

/** Postgres through TypeORM; pending migrations are applied at start-up under an advisory lock. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig) => {
        if (!config.databaseUrl) {
          throw new ConfigurationError(['DATABASE_URL: not set (npm start provides an embedded PostgreSQL; set DATABASE_URL to use your own)']);
        }
        return { ...buildDataSourceOptions(config.databaseUrl, config.databasePoolSize), autoLoadEntities: false, skipMigrations: config.skipMigrations };
      },
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        const skip = (options as { skipMigrations?: boolean }).skipMigrations;
        if (!skip) {
          const applied = await runMigrationsLocked(dataSource);
          if (applied.length > 0) {
            new Logger('Database').log(`applied migrations: ${applied.join(', ')}`);
          }
        }
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
