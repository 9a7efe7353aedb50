import type { StoredToken, TokenStore } from '@app/netzme-client';
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** Advisory-lock key per client id (stable 63-bit hash), so replicas refresh one at a time. */
function lockKey(clientId: string): string {
  return BigInt.asIntN(64, BigInt(`0x${createHash('sha256').update(`netzme-token:${clientId}`).digest('hex').slice(0, 16)}`)).toString();
}

/**
 * TokenStore on Postgres: the token row is shared by all replicas, and a refresh runs under a
 * transaction-scoped advisory lock so that exactly one replica asks Netzme for a new token while
 * the others wait and then read the fresh row.
 */
export class PostgresTokenStore implements TokenStore {
  constructor(private readonly dataSource: DataSource) {}

  async get(clientId: string): Promise<StoredToken | null> {
    const rows: Array<{ access_token: string; expires_at: string; refresh_at: string | null }> = await this.dataSource.query(
      'SELECT access_token, expires_at, refresh_at FROM netzme_access_tokens WHERE client_id = $1',
      [clientId],
    );
    if (rows.length === 0) {
      return null;
    }
    const [row] = rows;
    return { accessToken: row.access_token, expiresAt: Number(row.expires_at), refreshAt: row.refresh_at === null ? undefined : Number(row.refresh_at) };
  }

  async set(clientId: string, token: StoredToken): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO netzme_access_tokens (client_id, access_token, expires_at, refresh_at, updated_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (client_id) DO UPDATE SET access_token = EXCLUDED.access_token, expires_at = EXCLUDED.expires_at,
         refresh_at = EXCLUDED.refresh_at, updated_at = now()`,
      [clientId, token.accessToken, String(token.expiresAt), token.refreshAt === undefined ? null : String(token.refreshAt)],
    );
  }

  async invalidate(clientId: string, accessToken: string): Promise<void> {
    await this.dataSource.query('DELETE FROM netzme_access_tokens WHERE client_id = $1 AND access_token = $2', [clientId, accessToken]);
  }

  async withRefreshLock<T>(clientId: string, fn: () => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // A session lock on a dedicated connection: held while fn() talks to Netzme, released after.
      await runner.query('SELECT pg_advisory_lock($1::bigint)', [lockKey(clientId)]);
      try {
        return await fn();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey(clientId)]);
      }
    } finally {
      await runner.release();
    }
  }
}
