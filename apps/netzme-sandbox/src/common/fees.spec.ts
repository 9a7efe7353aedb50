import { basisPointsOf, mdrFor } from './fees';

describe('fees', () => {
  it('charges 0.7 % on QRIS, in sen, rounded half up', () => {
    expect(mdrFor('QRIS', 1000000n)).toBe(7000n); // Rp 10,000.00 -> Rp 70.00
    expect(mdrFor('QRIS', 1234500n)).toBe(8642n); // 8641.5 sen -> 8642
    expect(basisPointsOf(50n, 70n)).toBe(0n); // 0.35 sen -> 0
    expect(basisPointsOf(72n, 70n)).toBe(1n); // 0.504 sen -> 1
  });

  it('charges flat fees for bank transfer but never more than the amount', () => {
    expect(mdrFor('BANK_TRANSFER', 10000000n)).toBe(400000n);
    expect(mdrFor('BANK_TRANSFER', 100000n)).toBe(100000n);
  });
});
