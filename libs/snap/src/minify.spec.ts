import { containsJsonNumber, minifyJson, minifyNumber } from './minify';

describe('minifyNumber (Go tdewolff/minify v2.12.4 rules, docs/netzme-protocol.md §1.7)', () => {
  const cases: Array<[string, string]> = [
    ['0.7', '0.7'],
    ['-0.5', '-0.5'],
    ['1.50', '1.5'],
    ['1.0', '1'],
    ['10000', '1e4'],
    ['1000', '1e3'],
    ['11000', '11e3'],
    ['1100', '1100'],
    ['100', '100'],
    ['12345', '12345'],
    ['0', '0'],
    ['0.001', '0.001'],
    ['0.0001', '1e-4'],
    ['0.00012', '12e-5'],
    ['1e4', '1e4'],
    ['-10000', '-1e4'],
    ['123.450', '123.45'],
  ];
  it.each(cases)('%s -> %s', (input, expected) => {
    expect(minifyNumber(input)).toBe(expected);
  });
});

describe('minifyJson', () => {
  it('rewrites numbers the way Netzme hashes them', () => {
    expect(minifyJson('{"amount":10000,"rate":0.7}')).toBe('{"amount":1e4,"rate":0.7}');
    expect(minifyJson('{"a":1.50,"b":11000,"c":0.0001}')).toBe('{"a":1.5,"b":11e3,"c":1e-4}');
  });

  it('removes whitespace but keeps strings byte for byte, escapes included', () => {
    expect(minifyJson('{ "a" : "x  y\\" 10000" ,\n "b": [ true, null , "1000" ] }')).toBe('{"a":"x  y\\" 10000","b":[true,null,"1000"]}');
  });

  it("keeps PHP json_encode escapes (\\/ and \\u00e9) as sent, as Netzme's WooCommerce plugin hashes them", () => {
    const body = '{"notes":"1\\/2 Liter","fullname":"Jos\\u00e9 M\\u00fcller","commissionPercentage":"0.0"}';
    expect(minifyJson(body)).toBe(body);
    expect(minifyJson(body.replace(',', ', '))).toBe(body);
  });

  it('leaves a body without numbers unchanged', () => {
    const body = JSON.stringify({ amount: { value: '10000.00', currency: 'IDR' }, expireInSecond: '3600' });
    expect(minifyJson(body)).toBe(body);
  });

  it('detects numbers anywhere in a value', () => {
    expect(containsJsonNumber({ a: { b: ['1', 2] } })).toBe(true);
    expect(containsJsonNumber({ a: { b: ['1', '2'] }, c: true, d: null })).toBe(false);
  });
});
