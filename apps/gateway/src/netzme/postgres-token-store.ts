import type { StoredToken, TokenStore } from '@app/netzme-client';
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** Advisory-lock key per client id (stable 64-bit hash), so replicas refresh one at a time. */
function lockKey(clientId: string): string {
  return BigInt.asIntN(64, BigInt(`0x${createHash('sha256').update(`netzme-token:${clientId}`).digest('hex').slice(0, 16)}`)).toString();
}

interface CacheEntry {
  token: StoredToken | null;
  readAt: number;
}

/**
 * TokenStore on Postgres: the token row is shared by all replicas, and a refresh runs under an
 * advisory lock so that exactly one replica asks Netzme for a new token while the others wait and
 * then read the fresh row.
 *
 * Reads are cached in the process for `cacheMs`: every Netzme call needs the token, and a database
 * round trip per call is measurable on the checkout path. A stale read is harmless: Netzme keeps
 * one token per client and returns the same one while it lives, so a replica only meets a newer
 * token around expiry, gets "Access Token Invalid" once, and the client's refresh then reads the
 * database (the lock below drops the cache first).
 */
export class PostgresTokenStore implements TokenStore {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly cacheMs = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(clientId: string): Promise<StoredToken | null> {
    const cached = this.cache.get(clientId);
    if (cached && this.now() - cached.readAt < this.cacheMs) {
      return cached.token && { ...cached.token };
    }
    const rows: Array<{ access_token: string; expires_at: string; refresh_at: string | null }> = await this.dataSource.query(
      'SELECT access_token, expires_at, refresh_at FROM netzme_access_tokens WHERE client_id = $1',
      [clientId],
    );
    const token =
      rows.length === 0
        ? null
        : {
            accessToken: rows[0].access_token,
            expiresAt: Number(rows[0].expires_at),
            refreshAt: rows[0].refresh_at === null ? undefined : Number(rows[0].refresh_at),
          };
    this.cache.set(clientId, { token, readAt: this.now() });
    return token && { ...token };
  }

  async set(clientId: string, token: StoredToken): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO netzme_access_tokens (client_id, access_token, expires_at, refresh_at, updated_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (client_id) DO UPDATE SET access_token = EXCLUDED.access_token, expires_at = EXCLUDED.expires_at,
         refresh_at = EXCLUDED.refresh_at, updated_at = now()`,
      [clientId, token.accessToken, String(token.expiresAt), token.refreshAt === undefined ? null : String(token.refreshAt)],
    );
    this.cache.set(clientId, { token: { ...token }, readAt: this.now() });
  }

  async invalidate(clientId: string, accessToken: string): Promise<void> {
    this.cache.delete(clientId);
    await this.dataSource.query('DELETE FROM netzme_access_tokens WHERE client_id = $1 AND access_token = $2', [clientId, accessToken]);
  }

  async withRefreshLock<T>(clientId: string, fn: () => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // A session lock on a dedicated connection: held while fn() talks to Netzme, released after.
      await runner.query('SELECT pg_advisory_lock($1::bigint)', [lockKey(clientId)]);
      try {
        // Whoever held the lock before us may have stored a new token: read it from the database.
        this.cache.delete(clientId);
        return await fn();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey(clientId)]);
      }
    } finally {
      await runner.release();
    }
  }
}
