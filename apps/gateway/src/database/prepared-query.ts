import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { timed } from '../observability/server-timing';

/** pg returns `[rows, count]` for UPDATE/DELETE through TypeORM and plain rows otherwise. */
export function rowsOf(result: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as Array<Record<string, unknown>>;
  }
  return result as Array<Record<string, unknown>>;
}

/** One statement name per SQL text: Postgres parses and plans a named statement once per connection. */
const names = new Map<string, string>();

function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `gw_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Run a hot-path statement as a named prepared statement, so that Postgres parses and plans it once
 * per connection instead of on every checkout or callback. The connection comes from TypeORM's own
 * pool through its public QueryRunner API (`connect()` returns the pg client, `release()` gives it
 * back; exactly what DataSource.query does around each statement), so it shares the pool, its
 * limits, its type parsing and its broken-connection handling, without touching driver internals.
 */
export async function preparedQuery(db: DataSource, text: string, values: unknown[]): Promise<Array<Record<string, unknown>>> {
  const runner = db.createQueryRunner();
  try {
    return await timed('db', async () => {
      const client = (await runner.connect()) as PoolClient;
      return (await client.query({ name: statementName(text), text, values })).rows as Array<Record<string, unknown>>;
    });
  } finally {
    await runner.release();
  }
}
