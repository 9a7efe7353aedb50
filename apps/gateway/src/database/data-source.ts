import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './database.options';

/**
 * DataSource for the TypeORM CLI (`npm run migration:generate|run|revert`); the app builds the same
 * options in DatabaseModule. Needs DATABASE_URL (`npm start` prints the embedded one).
 */
const url = process.env.DATABASE_URL;
if (!url) {
  throw new Error('DATABASE_URL is not set: point it at the Postgres to migrate (npm start prints the embedded one)');
}
// No statement timeout: a migration may rightly take longer than any request.
export default new DataSource(buildDataSourceOptions(url, 2, { connectMs: 10_000, statementMs: 0 }));
