import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedDatabase } from '../../scripts/lib/embedded-db';

/**
 * One real PostgreSQL for the whole run: `DATABASE_URL` when given (CI with a service), otherwise an
 * embedded server in a temporary directory. Every suite then creates its own database in it
 * (test/support/database.ts), so suites run in parallel without seeing each other's rows.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) {
    return;
  }
  if (process.env.DATABASE_URL) {
    process.env.TEST_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  const db = await startEmbeddedDatabase({ dataDir: join(tmpdir(), `netzme-gw-test-${process.pid}-${Date.now()}`), ephemeral: true });
  process.env.TEST_DATABASE_URL = db.url;
  (globalThis as { __EMBEDDED_DB__?: typeof db }).__EMBEDDED_DB__ = db;
}
