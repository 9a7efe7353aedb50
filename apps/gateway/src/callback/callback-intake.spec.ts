import { findNul, jsonDepth } from '../http/input-limits';
import { MAX_CALLBACK_JSON_DEPTH, pgSafeText, viewableBody } from './callback-intake';

const containsNul = (value: unknown) => findNul(value, 'body') !== undefined;
import { readCallbackAmounts } from './callback-money';

describe('callback intake', () => {
  it('measures JSON depth without parsing (brackets inside strings do not count)', () => {
    expect(jsonDepth('{"a":1}')).toBe(1);
    expect(jsonDepth('{"a":{"b":[1,{"c":2}]}}')).toBe(4);
    expect(jsonDepth('{"a":"{{{[[[\\"{{"}')).toBe(1);
    expect(jsonDepth('[]')).toBe(1);
    // 40,000 levels (the attack) is measured, not recursed into.
    expect(jsonDepth(`${'{"a":'.repeat(40_000)}1${'}'.repeat(40_000)}`)).toBe(40_000);
  });

  it('finds NUL characters anywhere in a parsed body, keys included', () => {
    expect(containsNul(JSON.parse('{"custId":"Mw6\\u0000STUQK"}'))).toBe(true);
    expect(containsNul(JSON.parse('{"a":[{"b\\u0000":1}]}'))).toBe(true);
    expect(containsNul(JSON.parse('{"a":[{"b":"\\\\u0000"}]}'))).toBe(false); // an escaped backslash, not a NUL
  });

  it('stores NUL as visible text', () => {
    expect(pgSafeText('Mw6\u0000STUQK')).toBe('Mw6\\u0000STUQK');
  });

  it('shows a too-deep body as text, and a normal one as JSON', () => {
    const deep = `${'['.repeat(MAX_CALLBACK_JSON_DEPTH + 1)}${']'.repeat(MAX_CALLBACK_JSON_DEPTH + 1)}`;
    expect(viewableBody(deep)).toBe(deep);
    const huge = `${'{"a":'.repeat(40_000)}1${'}'.repeat(40_000)}`;
    const shown = viewableBody(huge) as string;
    expect(typeof shown).toBe('string');
    expect(shown.length).toBeLessThan(5000);
    expect(() => JSON.stringify(shown)).not.toThrow();
    expect(viewableBody('{"a":1}')).toEqual({ a: 1 });
  });

  it('reads callback amounts strictly: two decimals, IDR, fee within the amount', () => {
    expect(readCallbackAmounts(JSON.parse('{"amount":{"value":"15000.00","currency":"IDR"},"feeAmount":{"value":"105.00","currency":"IDR"}}'))).toEqual({
      ok: true,
      amounts: { amount: { minor: 1500000n, currency: 'IDR' }, fee: { minor: 10500n, currency: 'IDR' }, net: null },
    });
    expect(readCallbackAmounts(JSON.parse('{"amount":{"value":"0.00","currency":"IDR"}}'))).toMatchObject({ ok: true });
    expect(readCallbackAmounts({})).toEqual({ ok: true, amounts: { amount: null, fee: null, net: null } });
    for (const bad of ['"15000"', '15000', '" 15000.00"', '"015000.00"', '"15000.5"', '"1e4"', '"-1.00"', '"15000.000"']) {
      expect(readCallbackAmounts(JSON.parse(`{"amount":{"value":${bad},"currency":"IDR"}}`))).toMatchObject({ ok: false });
    }
    expect(readCallbackAmounts(JSON.parse('{"amount":{"value":"15000.00"}}'))).toMatchObject({ ok: false, reason: expect.stringMatching(/currency/) });
    expect(readCallbackAmounts(JSON.parse('{"amount":{"value":"100.00","currency":"IDR"},"feeAmount":{"value":"100.01","currency":"IDR"}}'))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/larger than amount/),
    });
  });
});
