import { InMemoryTokenStore } from './token-store';

describe('InMemoryTokenStore', () => {
  it('invalidates only when the stored token is still the given one', async () => {
    const store = new InMemoryTokenStore();
    await store.set('c', { accessToken: 'B', expiresAt: 1 });
    await store.invalidate('c', 'A');
    expect(await store.get('c')).toEqual({ accessToken: 'B', expiresAt: 1 });
    await store.invalidate('c', 'B');
    expect(await store.get('c')).toBeNull();
  });

  it('runs lock holders one after another per client id, and keeps going after a failure', async () => {
    const store = new InMemoryTokenStore();
    const events: string[] = [];
    const holder = (name: string, ms: number, fail = false) =>
      store.withRefreshLock('c', async () => {
        events.push(`${name}:start`);
        await new Promise((r) => setTimeout(r, ms));
        events.push(`${name}:end`);
        if (fail) {
          throw new Error(name);
        }
        return name;
      });
    const results = await Promise.allSettled([holder('a', 20, true), holder('b', 5), holder('c', 1)]);
    expect(events).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
  });

  it('does not serialise different client ids', async () => {
    const store = new InMemoryTokenStore();
    const events: string[] = [];
    await Promise.all([
      store.withRefreshLock('x', async () => {
        events.push('x:start');
        await new Promise((r) => setTimeout(r, 20));
        events.push('x:end');
      }),
      store.withRefreshLock('y', async () => {
        events.push('y:start');
        events.push('y:end');
      }),
    ]);
    expect(events.indexOf('y:end')).toBeLessThan(events.indexOf('x:end'));
  });
});
