import { TokenManager } from './token-manager';
import { InMemoryTokenStore, type TokenStore } from './token-store';

function setup(opts: { lifetimeMs?: number; store?: TokenStore; marginMs?: number; fetchDelayMs?: number; sameToken?: boolean } = {}) {
  let clock = 1_700_000_000_000;
  let issued = 0;
  const fetches: number[] = [];
  const store = opts.store ?? new InMemoryTokenStore();
  let failNext = false;
  const sleeps: number[] = [];
  const manager = new TokenManager({
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    clientId: 'client',
    store,
    refreshMarginMs: opts.marginMs ?? 120_000,
    now: () => clock,
    fetchToken: async () => {
      fetches.push(clock);
      await new Promise((r) => setTimeout(r, opts.fetchDelayMs ?? 5));
      if (failNext) {
        failNext = false;
        throw new Error('token endpoint down');
      }
      if (!opts.sameToken || issued === 0) {
        issued++;
      }
      return { accessToken: `T${issued}`, expiresInMs: opts.lifetimeMs ?? 900_000 };
    },
  });
  return {
    manager,
    store,
    fetches,
    sleeps,
    advance: (ms: number) => {
      clock += ms;
    },
    failNextFetch: () => {
      failNext = true;
    },
  };
}

describe('TokenManager', () => {
  it('fetches once for any number of concurrent callers (single-flight)', async () => {
    const { manager, fetches } = setup({ fetchDelayMs: 30 });
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => manager.getToken()));
    expect(new Set(tokens)).toEqual(new Set(['T1']));
    expect(fetches).toHaveLength(1);
    expect(manager.fetchCount).toBe(1);
  });

  it('caches the token and refreshes it before expiry, from expiresIn', async () => {
    const { manager, fetches, advance } = setup({ lifetimeMs: 900_000 });
    expect(await manager.getToken()).toBe('T1');
    advance(900_000 - 120_001); // just before the refresh margin
    expect(await manager.getToken()).toBe('T1');
    expect(fetches).toHaveLength(1);
    advance(2); // inside the margin, token still valid
    expect(await manager.getToken()).toBe('T2');
    expect(fetches).toHaveLength(2);
  });

  it('caps the margin at half the lifetime, so short tokens are not refreshed on every call', async () => {
    const { manager, fetches, advance } = setup({ lifetimeMs: 10_000 });
    await manager.getToken();
    advance(4_000);
    await manager.getToken();
    expect(fetches).toHaveLength(1);
    advance(1_001);
    expect(await manager.getToken()).toBe('T2');
  });

  it('keeps using a token Netzme hands back unchanged until it really expires (no refresh storm)', async () => {
    // Netzme returns the live token while it lives: an early refresh yields the same token.
    const { manager, fetches, advance } = setup({ lifetimeMs: 900_000, sameToken: true });
    await manager.getToken();
    advance(850_000); // inside the margin
    expect(await manager.getToken()).toBe('T1');
    expect(fetches).toHaveLength(2);
    for (let i = 0; i < 10; i++) {
      advance(1_000);
      await manager.getToken();
    }
    expect(fetches).toHaveLength(2);
  });

  it('waits for a dying token to expire instead of using it, then takes its successor', async () => {
    // Netzme hands back the live token with expiresIn 1 s: the next token only exists after it dies.
    let clock = 0;
    const sleeps: number[] = [];
    const answers: Array<[string, number]> = [
      ['T1', 900_000],
      ['T1', 1_000],
      ['T2', 900_000],
    ];
    const manager = new TokenManager({
      clientId: 'c',
      store: new InMemoryTokenStore(),
      refreshMarginMs: 120_000,
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
      fetchToken: async () => {
        const [accessToken, expiresInMs] = answers.shift()!;
        return { accessToken, expiresInMs };
      },
    });
    expect(await manager.getToken()).toBe('T1');
    clock = 898_500; // due for refresh, 1.5 s left
    expect(await manager.getToken()).toBe('T2');
    expect(sleeps).toEqual([2_100]);
    expect(answers).toHaveLength(0);
    expect(manager.fetchCount).toBe(3);
  });

  it('a replacement that returns the refused token alive for long is used as is (no waiting)', async () => {
    const t = setup({ sameToken: true });
    const stale = await t.manager.getToken();
    expect(await t.manager.replaceToken(stale)).toBe('T1');
    expect(t.sleeps).toEqual([]);
  });

  it('falls back to the still-valid token when an early refresh fails', async () => {
    const { manager, advance, failNextFetch } = setup({ lifetimeMs: 900_000 });
    await manager.getToken();
    advance(850_000);
    failNextFetch();
    expect(await manager.getToken()).toBe('T1');
  });

  it('propagates a fetch failure when there is no valid token', async () => {
    const { manager, failNextFetch } = setup();
    failNextFetch();
    await expect(manager.getToken()).rejects.toThrow('token endpoint down');
    expect(await manager.getToken()).toBe('T1');
  });

  it('replaces a rejected token once for all concurrent callers holding it', async () => {
    const { manager, fetches } = setup({ fetchDelayMs: 20 });
    const stale = await manager.getToken();
    const replaced = await Promise.all(Array.from({ length: 500 }, () => manager.replaceToken(stale)));
    expect(new Set(replaced)).toEqual(new Set(['T2']));
    expect(fetches).toHaveLength(2);
    // A late caller that still holds the stale token gets the new one without a fetch.
    expect(await manager.replaceToken(stale)).toBe('T2');
    expect(fetches).toHaveLength(2);
  });

  it('shares the token between two replicas through the store: the second one does not fetch', async () => {
    const store = new InMemoryTokenStore();
    const a = setup({ store, fetchDelayMs: 30 });
    const b = setup({ store, fetchDelayMs: 30 });
    const [ta, tb] = await Promise.all([a.manager.getToken(), b.manager.getToken()]);
    expect(ta).toBe('T1');
    expect(tb).toBe('T1');
    expect(a.fetches.length + b.fetches.length).toBe(1);
  });
});
