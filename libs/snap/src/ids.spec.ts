import { newExternalId, randomReferenceSuffix, timestampedReference } from './ids';

describe('randomReferenceSuffix', () => {
  it('is 10 upper-case hex digits, every one of them random', () => {
    const suffixes = Array.from({ length: 20_000 }, () => randomReferenceSuffix());
    for (const suffix of suffixes) {
      expect(suffix).toMatch(/^[0-9A-F]{10}$/);
    }
    // A v4 UUID's version digit (always 4) or variant digit (4 values) would show up as a position
    // with fewer than 16 values.
    for (let position = 0; position < 10; position += 1) {
      expect(new Set(suffixes.map((suffix) => suffix[position])).size).toBe(16);
    }
  });
});

describe('newExternalId', () => {
  it('is 32 digits without a leading zero', () => {
    for (let i = 0; i < 1_000; i += 1) {
      expect(newExternalId()).toMatch(/^[1-9]\d{31}$/);
    }
  });
});

describe('timestampedReference', () => {
  it('is the prefix, the Jakarta time to the second as 14 digits, and 10 random hex digits', () => {
    // 12:45:12 UTC is 19:45:12 in Jakarta (UTC+7).
    const reference = timestampedReference('WD', new Date('2026-11-21T12:45:12.345Z'));
    expect(reference).toMatch(/^WD20261121194512[0-9A-F]{10}$/);
    expect(timestampedReference('WD', new Date('2026-11-21T12:45:12.345Z'))).not.toBe(reference);
  });
});
