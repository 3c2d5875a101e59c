import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupDigits } from '../../src/output/numbers.js';

describe('groupDigits', () => {
  it('writes what toLocaleString("en-US") writes', () => {
    for (const n of [0, -0, 1, 12, 123, 1234, 9756, 10_000, 123_456, 1_234_567, -1, -1234, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1.5, 1234.5678, Number.NaN, Infinity]) {
      expect(groupDigits(n), String(n)).toBe(n.toLocaleString('en-US'));
    }
    fc.assert(fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double()), (n) => groupDigits(n) === n.toLocaleString('en-US')));
  });
});
