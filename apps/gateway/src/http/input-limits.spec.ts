import { findNul, jsonDepthExceeds } from './input-limits';

describe('jsonDepthExceeds', () => {
  it('counts objects and arrays, not brackets inside strings or escaped quotes', () => {
    expect(jsonDepthExceeds('{"a":{"b":[1,[2]]}}', 4)).toBe(false);
    expect(jsonDepthExceeds('{"a":{"b":[1,[2]]}}', 3)).toBe(true);
    expect(jsonDepthExceeds(JSON.stringify({ s: '[[[[{{{{' }), 1)).toBe(false);
    expect(jsonDepthExceeds(JSON.stringify({ s: 'quote \\" [[[[', t: '\\' }), 1)).toBe(false);
    // siblings do not add up
    expect(jsonDepthExceeds(`[${'[],'.repeat(1000)}[]]`, 2)).toBe(false);
  });

  it('stops at the limit on a huge body', () => {
    expect(jsonDepthExceeds('['.repeat(10_000_000), 32)).toBe(true);
  });
});

describe('findNul', () => {
  it('names the first place holding a NUL character, keys included', () => {
    expect(findNul({ a: ['x', { b: 'y\u0000' }] }, 'body')).toBe('body.a[1].b');
    expect(findNul({ 'k\u0000': 1 }, 'body')).toBe('body');
    expect(findNul({ a: 'clean', n: 1, z: null }, 'query')).toBeUndefined();
    expect(findNul(undefined, 'body')).toBeUndefined();
  });
});
