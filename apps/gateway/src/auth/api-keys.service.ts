import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { hash, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway.settings';
import { ApiKeysRepository, looksManaged } from './api-keys.repository';
import type { ApiRole } from './auth.decorators';

interface KnownKey {
  digest: Buffer;
  role: ApiRole;
  name: string;
}

/** Who called: the key's role, and a name for the audit trail and rate limits (never the secret). */
export interface ApiCaller {
  role: ApiRole;
  name: string;
  /** The managed key's id; null for keys from settings. */
  keyId: string | null;
}

/** Last-used times are written at most this often per key and replica (the SQL condition does the rest). */
const TOUCH_EVERY_MS = 60_000;

/**
 * Resolves an API key to its caller. Keys from settings (CHECKOUT_API_KEYS, ADMIN_API_KEYS,
 * VIEWER_API_KEYS) are kept only as SHA-256 digests in memory and compared in constant time against
 * every known key. Managed keys (`ngw_...`) are looked up in Postgres on every request, so a
 * revocation or expiry is effective at once on every replica.
 */
@Injectable()
export class ApiKeysService {
  private readonly keys: KnownKey[];
  readonly store: ApiKeysRepository | null;
  private readonly touched = new Map<string, number>();
  private readonly logger = new Logger('ApiKeys');

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig, @InjectDataSource() dataSource?: DataSource) {
    const named = (list: string[] | undefined, role: ApiRole, setting: string) =>
      (list ?? []).map((key, i) => ({ digest: digest(key), role, name: `${setting}#${i + 1}` }));
    this.keys = [
      ...named(config.apiKeys.admin, 'admin', 'ADMIN_API_KEYS'),
      ...named(config.apiKeys.checkout, 'checkout', 'CHECKOUT_API_KEYS'),
      ...named(config.apiKeys.viewer, 'viewer', 'VIEWER_API_KEYS'),
    ];
    this.store = dataSource ? new ApiKeysRepository(dataSource) : null;
  }

  async resolve(presented: string): Promise<ApiCaller | null> {
    const known = this.fromSettings(presented);
    if (known) {
      return { role: known.role, name: known.name, keyId: null };
    }
    if (!this.store || !looksManaged(presented)) {
      return null;
    }
    const key = await this.store.findLive(presented);
    if (!key) {
      return null;
    }
    this.noteUse(key.id, key.lastUsedAt);
    return { role: key.scope, name: key.name, keyId: key.id };
  }

  private fromSettings(presented: string): KnownKey | null {
    const candidate = digest(presented);
    let found: KnownKey | null = null;
    for (const key of this.keys) {
      if (timingSafeEqual(key.digest, candidate) && found === null) {
        found = key;
      }
    }
    return found;
  }

  /** Fire-and-forget, throttled: the request never waits for it. */
  private noteUse(id: string, lastUsedAt: Date | null): void {
    const now = Date.now();
    const last = Math.max(this.touched.get(id) ?? 0, lastUsedAt?.getTime() ?? 0);
    if (now - last < TOUCH_EVERY_MS) {
      return;
    }
    this.touched.set(id, now);
    this.store
      ?.touch(id)
      .catch((error: unknown) => this.logger.warn(`could not record the last use of key ${id}: ${error instanceof Error ? error.message : String(error)}`));
  }
}

function digest(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}
