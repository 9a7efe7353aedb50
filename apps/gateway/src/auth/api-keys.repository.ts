import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { decodeIdCursor, encodeIdCursor, pageOf, type Page } from '../http/pagination';

export const KEY_SCOPES = ['checkout', 'admin', 'viewer'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

/** Every managed secret starts with this, so a leaked one is recognisable (e.g. by secret scanners). */
export const MANAGED_KEY_PREFIX = 'ngw_';
const SECRET_PATTERN = /^ngw_(checkout|admin|viewer)_[A-Za-z0-9_-]{43}$/;

export interface ApiKeyRecord {
  id: string;
  name: string;
  scope: KeyScope;
  /** The first characters of the secret, enough to tell keys apart; never the secret. */
  prefix: string;
  createdAt: string;
  createdBy: string | null;
  expiresAt: string | null;
  rotatedAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface IssuedKey extends ApiKeyRecord {
  secret: string;
}

interface Row {
  id: string;
  name: string;
  scope: KeyScope;
  prefix: string;
  created_at: Date;
  created_by: string | null;
  expires_at: Date | null;
  rotated_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const COLUMNS = 'id, name, scope, prefix, created_at, created_by, expires_at, rotated_at, revoked_at, last_used_at';

/** SHA-256 is enough here: the secret has 256 bits of randomness, so there is nothing to brute-force. */
export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export function looksManaged(presented: string): boolean {
  return SECRET_PATTERN.test(presented);
}

function newSecret(scope: KeyScope): { secret: string; prefix: string; hash: Buffer } {
  const secret = `${MANAGED_KEY_PREFIX}${scope}_${randomBytes(32).toString('base64url')}`;
  return { secret, prefix: secret.slice(0, MANAGED_KEY_PREFIX.length + scope.length + 1 + 6), hash: hashSecret(secret) };
}

function toRecord(row: Row): ApiKeyRecord {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    prefix: row.prefix,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    expiresAt: iso(row.expires_at),
    rotatedAt: iso(row.rotated_at),
    revokedAt: iso(row.revoked_at),
    lastUsedAt: iso(row.last_used_at),
  };
}

/**
 * Managed API keys in Postgres, in plain SQL so that the gateway and the `npm run keys` CLI share it.
 * Validity (revoked, expired) is decided by the database's clock on every lookup, so every replica
 * agrees at once.
 */
export class ApiKeysRepository {
  constructor(private readonly db: DataSource) {}

  async create(input: { name: string; scope: KeyScope; expiresAt?: Date | null; createdBy?: string | null }): Promise<IssuedKey> {
    const { secret, prefix, hash } = newSecret(input.scope);
    const rows = await this.db.query<Row[]>(
      `INSERT INTO api_keys (name, scope, prefix, secret_hash, expires_at, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [input.name, input.scope, prefix, hash, input.expiresAt ?? null, input.createdBy ?? null],
    );
    return { ...toRecord(rows[0]), secret };
  }

  async list(): Promise<ApiKeyRecord[]> {
    const rows = await this.db.query<Row[]>(`SELECT ${COLUMNS} FROM api_keys ORDER BY created_at DESC, id DESC`);
    return rows.map(toRecord);
  }

  /** Newest first, a page at a time (keyset on created_at, id; the cursor names the last key of the previous page). */
  async listPage(filter: { limit: number; cursor?: string }): Promise<Page<ApiKeyRecord>> {
    const params: unknown[] = [filter.limit + 1];
    let after = '';
    if (filter.cursor !== undefined) {
      params.push(decodeIdCursor(filter.cursor));
      // Read from the row itself so that no timestamp precision is lost on the way through the cursor.
      after = 'WHERE (created_at, id) < (SELECT created_at, id FROM api_keys WHERE id = $2::uuid)';
    }
    const rows = await this.db.query<Row[]>(`SELECT ${COLUMNS} FROM api_keys ${after} ORDER BY created_at DESC, id DESC LIMIT $1`, params);
    return pageOf(rows.map(toRecord), filter.limit, (last) => encodeIdCursor(last.id));
  }

  async get(id: string): Promise<ApiKeyRecord | null> {
    const rows = await this.db.query<Row[]>(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** A new secret for a live key; the old one stops working at once. Null if unknown, revoked or expired. */
  async rotate(id: string): Promise<IssuedKey | null> {
    const current = await this.get(id);
    if (!current) return null;
    const { secret, prefix, hash } = newSecret(current.scope);
    const rows = await this.db.query<[Row[], number]>(
      `UPDATE api_keys SET secret_hash = $2, prefix = $3, rotated_at = now() WHERE id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) RETURNING ${COLUMNS}`,
      [id, hash, prefix],
    );
    const row = rows[0]?.[0];
    return row ? { ...toRecord(row), secret } : null;
  }

  /** Revoke (idempotent: revoking a revoked key keeps its first revocation time). */
  async revoke(id: string): Promise<ApiKeyRecord | null> {
    await this.db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
    return this.get(id);
  }

  /** The live key with this secret, if any: one indexed lookup. */
  async findLive(secret: string): Promise<{ id: string; name: string; scope: KeyScope; lastUsedAt: Date | null } | null> {
    const rows = await this.db.query<Array<{ id: string; name: string; scope: KeyScope; last_used_at: Date | null }>>(
      'SELECT id, name, scope, last_used_at FROM api_keys WHERE secret_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())',
      [hashSecret(secret)],
    );
    const row = rows[0];
    return row ? { id: row.id, name: row.name, scope: row.scope, lastUsedAt: row.last_used_at } : null;
  }

  /** Record use, at most once a minute per key (the condition makes concurrent replicas write once). */
  async touch(id: string): Promise<void> {
    await this.db.query("UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')", [
      id,
    ]);
  }
}
