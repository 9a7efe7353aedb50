import { fromMinor, isDecimalAmount, toMinor, toMinorLenient } from './money';

describe('money', () => {
  it('parses decimal strings exactly', () => {
    expect(toMinor('15000.00')).toBe(1500000n);
    expect(toMinor('0.1')).toBe(10n);
    expect(toMinor('99999999999.99')).toBe(9999999999999n);
    expect(fromMinor(1500050n)).toBe('15000.50');
    expect(fromMinor(5n)).toBe('0.05');
  });

  it.each(['1.234', '-1', '1e3', ' 1', '01', '', '1.', '.5', 'abc'])('refuses %p', (bad) => {
    expect(isDecimalAmount(bad)).toBe(false);
    expect(() => toMinor(bad)).toThrow();
  });

  it('reads what Netzme sends back leniently but never rounds', () => {
    expect(toMinorLenient('10000')).toBe(1000000n);
    expect(toMinorLenient(10000)).toBe(1000000n);
    expect(toMinorLenient('9930.5')).toBe(993050n);
    expect(toMinorLenient('1.230')).toBe(123n);
    expect(toMinorLenient('1.234')).toBeNull();
    expect(toMinorLenient(9930.5)).toBe(993050n);
    expect(toMinorLenient(1.234)).toBeNull();
    expect(toMinorLenient('x')).toBeNull();
  });
});
