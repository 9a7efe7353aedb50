import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { timed } from '../common/server-timing';

/** pg returns `[rows, count]` for UPDATE/DELETE through TypeORM and plain rows otherwise. */
export function rowsOf(result: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as Array<Record<string, unknown>>;
  }
  return result as Array<Record<string, unknown>>;
}

/**
 * Run a hot-path statement as a named prepared statement on TypeORM's own pg pool: Postgres parses
 * and plans it once per connection instead of on every callback. Same pool, same type parsing as
 * DataSource.query (which it falls back to when the pool is not reachable).
 */
const names = new Map<string, string>();

export async function preparedQuery(db: DataSource, text: string, values: unknown[]): Promise<Array<Record<string, unknown>>> {
  const pool = (db.driver as unknown as { master?: Pool }).master;
  if (!pool) {
    return rowsOf(await timed('db', () => db.query(text, values)));
  }
  let name = names.get(text);
  if (!name) {
    name = `gw_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return (await timed('db', () => pool.query({ name, text, values }))).rows as Array<Record<string, unknown>>;
}
