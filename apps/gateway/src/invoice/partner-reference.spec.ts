import { newPartnerReference } from './orders.service';

describe('newPartnerReference', () => {
  it('is GW, the epoch milliseconds and 10 upper-case hex digits: 25 alphanumeric characters', () => {
    const before = Date.now();
    const reference = newPartnerReference();
    expect(reference).toMatch(/^GW\d{13}[0-9A-F]{10}$/);
    expect(Number(reference.slice(2, 15))).toBeGreaterThanOrEqual(before);
  });

  it('does not repeat within one millisecond: the random part varies (and never carries the UUID version digit)', () => {
    const references = Array.from({ length: 20_000 }, () => newPartnerReference());
    expect(new Set(references).size).toBe(references.length);
    const randomParts = new Set(references.map((reference) => reference.slice(15)));
    expect(randomParts.size).toBe(references.length);
    // Every digit of it is random: a v4 UUID's version (always 4) or variant digit would show up as a
    // position with one or four values.
    for (let position = 15; position < 25; position += 1) {
      expect(new Set(references.map((reference) => reference[position])).size).toBe(16);
    }
  });
});
