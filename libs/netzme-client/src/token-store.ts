/**
 * Where access tokens live. Netzme keeps exactly one live token per client id and answers a token
 * request with that same token while it lives (docs/netzme-protocol.md §1.5), so replicas must share the token
 * and refresh it one at a time; the gateway implements this interface on Postgres (advisory lock).
 */
export interface StoredToken {
  accessToken: string;
  /** Epoch ms at which Netzme stops accepting the token (from `expiresIn`). */
  expiresAt: number;
  /**
   * Epoch ms after which the client fetches a new token ahead of expiry. Optional: a store may drop
   * it, the client then falls back to `expiresAt - refreshMargin`.
   */
  refreshAt?: number;
}

export interface TokenStore {
  get(clientId: string): Promise<StoredToken | null>;
  set(clientId: string, token: StoredToken): Promise<void>;
  /** Forget the token, but only if it is still `accessToken` (another replica may have refreshed it). */
  invalidate(clientId: string, accessToken: string): Promise<void>;
  /** Run `fn` while no other holder (in any process sharing the store) runs it for this client id. */
  withRefreshLock<T>(clientId: string, fn: () => Promise<T>): Promise<T>;
}

/** Default store: one process. Single-flight inside the process is done by the client on top of it. */
export class InMemoryTokenStore implements TokenStore {
  readonly #tokens = new Map<string, StoredToken>();
  private readonly locks = new Map<string, Promise<unknown>>();

  async get(clientId: string): Promise<StoredToken | null> {
    const token = this.#tokens.get(clientId);
    return token ? { ...token } : null;
  }

  async set(clientId: string, token: StoredToken): Promise<void> {
    this.#tokens.set(clientId, { ...token });
  }

  async invalidate(clientId: string, accessToken: string): Promise<void> {
    if (this.#tokens.get(clientId)?.accessToken === accessToken) {
      this.#tokens.delete(clientId);
    }
  }

  /** A promise chain per client id: each holder starts when the previous one has settled. */
  async withRefreshLock<T>(clientId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(clientId) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(clientId, tail);
    try {
      return await run;
    } finally {
      // Drop the chain when nobody queued behind us, so the map does not grow.
      if (this.locks.get(clientId) === tail) {
        this.locks.delete(clientId);
      }
    }
  }
}
