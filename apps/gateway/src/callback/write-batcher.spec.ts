import { WriteBatcher } from './write-batcher';

describe(WriteBatcher.name, () => {
  it('one bad item never fails the good ones written in the same batch', async () => {
    const flushes: string[][] = [];
    // Like one multi-row INSERT: the whole statement fails if any row is bad.
    const batcher = new WriteBatcher<string, string>(async (items) => {
      flushes.push(items);
      if (items.some((i) => i.includes('\u0000'))) {
        throw new Error('invalid byte sequence for encoding "UTF8": 0x00');
      }
      return items.map((i) => `ok:${i}`);
    });
    const items = [...Array.from({ length: 20 }, (_, i) => `good-${i}`), 'bad-\u0000', ...Array.from({ length: 20 }, (_, i) => `late-${i}`)];
    const results = await Promise.allSettled(items.map((i) => batcher.submit(i)));
    expect(flushes[0].length).toBeGreaterThan(1); // they really were batched together
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(results[20]).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: expect.stringMatching(/0x00/) }) });
    expect(results.filter((r, i) => i !== 20).every((r) => r.status === 'fulfilled' && r.value === `ok:${items[results.indexOf(r)]}`)).toBe(true);
  });

  it('when the database is down every caller gets the error', async () => {
    const batcher = new WriteBatcher<number, number>(async () => {
      throw new Error('connection refused');
    });
    const results = await Promise.allSettled([1, 2, 3].map((i) => batcher.submit(i)));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
  });
});
