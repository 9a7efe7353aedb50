import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { constantTimeEquals } from '@app/snap';
import { SANDBOX_OPTIONS, type ResolvedSandboxOptions } from '../config/sandbox-options';

interface LiveToken {
  token: string;
  expiresAtMs: number;
}

function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

/**
 * Access tokens the way Netzme's gateway keeps them (docs/netzme-protocol.md §1.5): an HS512 JWT
 * (`exp`, `iat`, `iss` = client id) cached per client; while it lives, every token request returns
 * the same token with `expiresIn` counting down, and only that token is accepted.
 */
@Injectable()
export class TokensService {
  private readonly live = new Map<string, LiveToken>();
  /** Netzme signs its JWTs with its own secret; the partner never sees it. */
  private jwtSecret = randomBytes(32);
  private issuedCount = 0;
  private lastVerified?: { token: string; expMs: number };

  constructor(@Inject(SANDBOX_OPTIONS) private readonly options: ResolvedSandboxOptions) {}

  /** The client's live token (issuing one if none lives) and its remaining lifetime in whole seconds. */
  issue(clientId: string, now = Date.now()): { token: string; expiresIn: number } {
    let current = this.current(clientId, now);
    if (!current) {
      const iat = Math.floor(now / 1000);
      const exp = iat + this.options.tokenTtlSeconds;
      // jti keeps two tokens issued within the same second distinct (Netzme treats tokens as opaque).
      const token = this.sign({ exp, iat, iss: clientId, jti: randomUUID() });
      current = { token, expiresAtMs: now + this.options.tokenTtlSeconds * 1000 };
      this.live.set(clientId, current);
      this.issuedCount++;
    }
    return { token: current.token, expiresIn: Math.max(0, Math.floor((current.expiresAtMs - now) / 1000)) };
  }

  /** True when `token` is exactly the client's live token (§1.4 "token equals the cached token"). */
  isLive(clientId: string, token: string, now = Date.now()): boolean {
    const current = this.current(clientId, now);
    return current !== undefined && constantTimeEquals(current.token, token);
  }

  /** Second check of §1.4: the token is a JWT signed by us and not expired. */
  verifyJwt(token: string, now = Date.now()): boolean {
    // Hot path: every call presents the same token; remember the last one that verified.
    if (this.lastVerified?.token === token) {
      return this.lastVerified.expMs > now;
    }
    const parts = token.split('.');
    if (parts.length !== 3) {
      return false;
    }
    const expected = createHmac('sha512', this.jwtSecret).update(`${parts[0]}.${parts[1]}`).digest('base64url');
    if (!constantTimeEquals(expected, parts[2])) {
      return false;
    }
    try {
      const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { exp?: number };
      if (typeof claims.exp !== 'number') {
        return false;
      }
      this.lastVerified = { token, expMs: claims.exp * 1000 };
      return claims.exp * 1000 > now;
    } catch {
      return false;
    }
  }

  /** Control route: the live token of one client (or every client) expires now. */
  expire(clientId?: string): string[] {
    const ids = clientId ? [clientId] : [...this.live.keys()];
    return ids.filter((id) => this.live.delete(id));
  }

  reset(): void {
    this.live.clear();
  }

  snapshot(now = Date.now()): { clientId: string; expiresIn: number; expiresAt: string }[] {
    return [...this.live.entries()]
      .filter(([, t]) => t.expiresAtMs > now)
      .map(([clientId, t]) => ({ clientId, expiresIn: Math.floor((t.expiresAtMs - now) / 1000), expiresAt: new Date(t.expiresAtMs).toISOString() }));
  }

  /** The live tokens and the JWT secret, so a restarted sandbox keeps accepting the partner's token. */
  exportState(): { jwtSecret: string; live: [string, LiveToken][]; issued: number } {
    return { jwtSecret: this.jwtSecret.toString('base64'), live: [...this.live], issued: this.issuedCount };
  }

  importState(state: { jwtSecret: string; live: [string, LiveToken][]; issued: number }): void {
    this.jwtSecret = Buffer.from(state.jwtSecret, 'base64');
    this.lastVerified = undefined;
    this.live.clear();
    state.live.forEach(([clientId, token]) => this.live.set(clientId, token));
    this.issuedCount = state.issued;
  }

  get issued(): number {
    return this.issuedCount;
  }

  private current(clientId: string, now: number): LiveToken | undefined {
    const current = this.live.get(clientId);
    if (current && current.expiresAtMs <= now) {
      this.live.delete(clientId);
      return undefined;
    }
    return current;
  }

  private sign(claims: Record<string, unknown>): string {
    const header = base64url(JSON.stringify({ alg: 'HS512', typ: 'JWT' }));
    const payload = base64url(JSON.stringify(claims));
    const signature = createHmac('sha512', this.jwtSecret).update(`${header}.${payload}`).digest('base64url');
    return `${header}.${payload}.${signature}`;
  }
}
