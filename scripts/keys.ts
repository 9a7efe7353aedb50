/**
 * `npm run keys -- <command>`: managed API keys from the command line (docs/access.md).
 *
 *   create --name shop --scope checkout|admin|viewer [--expires-at 2027-12-31T23:59:59Z]
 *   list
 *   rotate <id>
 *   revoke <id>
 *
 * Talks to Postgres directly: DATABASE_URL, or the embedded server `npm start` runs (port
 * EMBEDDED_POSTGRES_PORT, 54329 by default). The secret is printed once, on create and rotate.
 */
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { ApiKeysRepository, KEY_SCOPES, type KeyScope } from '../apps/gateway/src/auth/api-keys.repository';
import { buildDataSourceOptions } from '../apps/gateway/src/database/database.options';
import { runMigrationsLocked } from '../apps/gateway/src/database/migrator';

const ROOT = resolve(__dirname, '..', '..');
const USAGE = 'usage: npm run keys -- create --name <name> --scope checkout|admin|viewer [--expires-at <ISO date-time>] | list | rotate <id> | revoke <id>';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class UsageError extends Error {}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

function databaseUrl(): string {
  if (existsSync(join(ROOT, '.env'))) process.loadEnvFile(join(ROOT, '.env'));
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  return `postgres://postgres:postgres@127.0.0.1:${process.env.EMBEDDED_POSTGRES_PORT ?? 54329}/netzme_gateway`;
}

async function run(args: string[], store: ApiKeysRepository): Promise<unknown> {
  const [command, id] = args;
  switch (command) {
    case 'create': {
      const name = option(args, 'name');
      const scope = option(args, 'scope') as KeyScope | undefined;
      const expires = option(args, 'expires-at');
      if (!name || !/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/.test(name))
        throw new UsageError('--name: 1 to 64 letters, digits, spaces, dots, underscores or dashes');
      if (!scope || !KEY_SCOPES.includes(scope)) throw new UsageError('--scope: checkout, admin or viewer');
      const expiresAt = expires ? new Date(expires) : null;
      if (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= Date.now()))
        throw new UsageError('--expires-at: an ISO 8601 date-time in the future');
      return store.create({ name, scope, expiresAt, createdBy: 'cli' });
    }
    case 'list':
      return store.list();
    case 'rotate':
    case 'revoke': {
      if (!id || !UUID.test(id)) throw new UsageError(`${command} <id>: the key id (a UUID) from "list"`);
      const result = command === 'rotate' ? await store.rotate(id) : await store.revoke(id);
      if (!result) throw new UsageError(`no ${command === 'rotate' ? 'live ' : ''}key with id ${id}`);
      return result;
    }
    default:
      throw new UsageError(USAGE);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (!['create', 'list', 'rotate', 'revoke'].includes(args[0] ?? '')) throw new UsageError(USAGE);
  const dataSource = await new DataSource({ ...buildDataSourceOptions(databaseUrl(), 2), entities: [] }).initialize();
  try {
    await runMigrationsLocked(dataSource);
    const result = await run(args, new ApiKeysRepository(dataSource));
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    if (result && typeof result === 'object' && 'secret' in result) {
      process.stderr.write('The secret above is shown this once: store it now.\n');
    }
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`keys: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
