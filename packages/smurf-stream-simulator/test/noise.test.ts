import { describe, expect, it } from 'vitest';
import { NoisePool, fillNormal } from '../src/noise.js';

describe('NoisePool', () => {
  it('draws roughly N(0,1) samples', () => {
    const a = new Float64Array(200_000);
    fillNormal(a);
    const mean = a.reduce((s, x) => s + x, 0) / a.length;
    const variance = a.reduce((s, x) => s + (x - mean) ** 2, 0) / a.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
    expect(a.every(Number.isFinite)).toBe(true);
  });

  it('hands out windows of the requested length inside the pool', () => {
    const pool = new NoisePool(200, 1000);
    expect(pool.size).toBe(1000);
    for (let i = 0; i < 100; i++) expect(pool.window(200)).toHaveLength(200);
    expect(() => pool.window(1001)).toThrow(RangeError);
  });

  it('grows the pool to at least four windows', () => {
    expect(new NoisePool(5000, 16).size).toBe(20_000);
  });
});
