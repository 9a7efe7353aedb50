import { newPartnerReference } from './orders.service';

describe('newPartnerReference', () => {
  it('is GW, the epoch milliseconds and 10 upper-case hex digits: 25 alphanumeric characters', () => {
    const before = Date.now();
    const reference = newPartnerReference();
    expect(reference).toMatch(/^GW\d{13}[0-9A-F]{10}$/);
    expect(Number(reference.slice(2, 15))).toBeGreaterThanOrEqual(before);
  });

  it('does not repeat, even among many made within the same millisecond', () => {
    const references = Array.from({ length: 20_000 }, () => newPartnerReference());
    expect(new Set(references).size).toBe(references.length);
  });
});
