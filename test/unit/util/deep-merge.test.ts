import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deepMerge, isPlainObject } from '../../../lib/util/deep-merge';

describe('deepMerge', () => {
  it('merges plain objects key by key', () => {
    assert.deepEqual(deepMerge({ a: { b: 1, c: 2 }, x: 1 }, { a: { c: 3, d: 4 } }), {
      a: { b: 1, c: 3, d: 4 },
      x: 1,
    });
  });

  it('replaces arrays, scalars and null instead of merging them', () => {
    assert.deepEqual(
      deepMerge({ list: [1, 2], s: 'a', m: { k: 1 } }, { list: [3], s: 'b', m: null }),
      {
        list: [3],
        s: 'b',
        m: null,
      },
    );
  });

  it('replaces a scalar with an object and an object with a scalar', () => {
    assert.deepEqual(deepMerge({ a: 'x', b: { c: 1 } }, { a: { y: 1 }, b: 2 }), {
      a: { y: 1 },
      b: 2,
    });
  });

  it('ignores undefined overrides and applies several overrides in order', () => {
    assert.deepEqual(deepMerge({ a: 1, b: 1 }, { a: undefined, b: 2 }, { b: 3 }), { a: 1, b: 3 });
  });

  it('modifies neither input and shares no nested object with them', () => {
    const base = { a: { b: 1 } };
    const override = { a: { c: 2 }, n: { m: 1 } };
    const merged = deepMerge(base, override);
    assert.deepEqual(base, { a: { b: 1 } });
    assert.deepEqual(override, { a: { c: 2 }, n: { m: 1 } });
    assert.notEqual(merged.a, base.a);
    assert.notEqual((merged as Record<string, unknown>).n, override.n);
  });

  it('isPlainObject accepts only plain maps', () => {
    assert.equal(isPlainObject({}), true);
    assert.equal(isPlainObject(Object.create(null)), true);
    assert.equal(isPlainObject([]), false);
    assert.equal(isPlainObject(null), false);
    assert.equal(isPlainObject(new Date()), false);
  });
});
