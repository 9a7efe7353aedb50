import { Inject, Injectable } from '@nestjs/common';
import { hash, timingSafeEqual } from 'node:crypto';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway.config';
import type { ApiRole } from './auth.decorators';

interface KnownKey {
  digest: Buffer;
  role: ApiRole;
}

/**
 * Resolves an API key to its role. Keys are kept only as SHA-256 digests in memory and compared in
 * constant time against every known key, so neither timing nor position leaks which key matched.
 */
@Injectable()
export class ApiKeysService {
  private readonly keys: KnownKey[];

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.keys = [
      ...config.apiKeys.admin.map((key) => ({ digest: digest(key), role: 'admin' as const })),
      ...config.apiKeys.checkout.map((key) => ({ digest: digest(key), role: 'checkout' as const })),
    ];
  }

  roleOf(presented: string): ApiRole | null {
    const candidate = digest(presented);
    let role: ApiRole | null = null;
    for (const key of this.keys) {
      if (timingSafeEqual(key.digest, candidate) && role === null) {
        role = key.role;
      }
    }
    return role;
  }
}

function digest(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}
