import type { StoredToken, TokenStore } from './token-store';

export interface TokenManagerOptions {
  clientId: string;
  store: TokenStore;
  /** Fetch a new token from Netzme (the B2B token call). */
  fetchToken: () => Promise<{ accessToken: string; expiresInMs: number }>;
  /** Refresh this long before expiry (capped at half the token's lifetime). */
  refreshMarginMs: number;
  now: () => number;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Netzme issues a new token only once the live one has died, and its JWT `exp` (whole seconds)
 * can run out up to a second before the cached token does. So a token handed back with less than
 * this much life left is not used: the refresh waits for it to die and fetches the successor.
 */
const DYING_MS = 2_000;
/** Stop using a token this long before our computed expiry (JWT exp rounding, clock drift). */
const EXPIRY_SKEW_MS = 1_000;

/**
 * Access-token cache with single-flight refresh.
 *
 * In-process: one promise per client id, so any number of concurrent callers share one fetch.
 * Across processes: the fetch runs inside `store.withRefreshLock`, and re-reads the store first,
 * so a replica that waited for the lock picks up the token another replica just stored.
 */
export class TokenManager {
  private inflight: Promise<StoredToken> | null = null;
  /** Counts real token fetches (tests and the benchmark assert on it). */
  fetchCount = 0;

  constructor(private readonly opts: TokenManagerOptions) {}

  /** A token that is valid now; refreshes first when it is expired or due. */
  async getToken(): Promise<string> {
    const now = this.opts.now();
    const cached = await this.opts.store.get(this.opts.clientId);
    if (cached && now < this.refreshAt(cached)) {
      return cached.accessToken;
    }
    if (cached && now < cached.expiresAt - EXPIRY_SKEW_MS) {
      // Due for refresh but still valid: if the refresh fails, keep using the current token.
      try {
        return (await this.refresh(null)).accessToken;
      } catch {
        return cached.accessToken;
      }
    }
    return (await this.refresh(cached?.accessToken ?? null)).accessToken;
  }

  /**
   * Netzme refused `staleToken` ("Access Token Invalid"): forget it (only if still current) and get
   * another one. Concurrent callers with the same stale token share one fetch.
   */
  async replaceToken(staleToken: string): Promise<string> {
    await this.opts.store.invalidate(this.opts.clientId, staleToken);
    return (await this.refresh(staleToken)).accessToken;
  }

  private refreshAt(token: StoredToken): number {
    return token.refreshAt ?? token.expiresAt - this.opts.refreshMarginMs;
  }

  private refresh(staleToken: string | null): Promise<StoredToken> {
    if (!this.inflight) {
      this.inflight = this.opts.store
        .withRefreshLock(this.opts.clientId, () => this.refreshLocked(staleToken))
        .finally(() => {
          this.inflight = null;
        });
    }
    return this.inflight;
  }

  private async refreshLocked(staleToken: string | null): Promise<StoredToken> {
    // Someone (another replica, or a refresh that finished while we queued) may have done it already.
    const current = await this.opts.store.get(this.opts.clientId);
    const now = this.opts.now();
    if (current && current.accessToken !== staleToken && now < this.refreshAt(current)) {
      return current;
    }
    let fetched = await this.fetch();
    if (fetched.expiresInMs < DYING_MS && (fetched.accessToken === current?.accessToken || fetched.accessToken === staleToken)) {
      // The same, nearly dead token again: wait until it has certainly expired (expiresIn is
      // rounded down to whole seconds), then Netzme issues the next one.
      await (this.opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))))(fetched.expiresInMs + 1_100);
      fetched = await this.fetch();
    }
    const obtainedAt = this.opts.now();
    const expiresAt = obtainedAt + fetched.expiresInMs;
    // Netzme answers with the SAME token (and the remaining lifetime) while its token lives, so an
    // early refresh can return the token we already had: then use it until it really expires
    // instead of asking again on every call.
    const sameAsBefore = current?.accessToken === fetched.accessToken;
    const margin = Math.min(this.opts.refreshMarginMs, fetched.expiresInMs / 2);
    const token: StoredToken = {
      accessToken: fetched.accessToken,
      expiresAt,
      refreshAt: sameAsBefore ? expiresAt - Math.min(EXPIRY_SKEW_MS, fetched.expiresInMs / 2) : expiresAt - margin,
    };
    await this.opts.store.set(this.opts.clientId, token);
    return token;
  }

  private fetch(): Promise<{ accessToken: string; expiresInMs: number }> {
    this.fetchCount++;
    return this.opts.fetchToken();
  }
}
