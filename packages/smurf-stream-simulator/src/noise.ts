/**
 * Pre-built Gaussian noise for simulated detector samples.
 *
 * Python draws `np.random.normal(0, 1)` once per sample, which would cap the send rate of
 * SMuRF-sized frames (4096 channels x 200 samples = 819,200 draws per frame). Here a pool of N(0,1)
 * doubles is drawn once; each channel of each frame takes a zero-copy window of the pool at a
 * random offset. The statistics per window are still N(0,1); windows of different channels may
 * overlap, which a stream simulator does not care about.
 */

/** Default pool size in samples (8 MiB of float64). */
export const DEFAULT_POOL_SAMPLES = 1 << 20;

/** A fixed pool of N(0, 1) float64 samples with cheap random windows. */
export class NoisePool {
  private readonly pool: Float64Array;

  /**
   * @param minWindow the longest window that will be asked for (samples per channel per frame)
   * @param poolSamples pool size; grown to at least `4 * minWindow`
   * @param random uniform [0, 1) source (injectable for deterministic tests)
   */
  constructor(minWindow: number, poolSamples = DEFAULT_POOL_SAMPLES, private readonly random: () => number = Math.random) {
    const size = Math.max(poolSamples, 4 * minWindow, 2);
    this.pool = new Float64Array(size);
    fillNormal(this.pool, random);
  }

  /** Pool size in samples. */
  get size(): number {
    return this.pool.length;
  }

  /**
   * A view of `n` consecutive pool samples at a random offset. The view shares memory with the
   * pool: callers must not write to it.
   * @throws RangeError if `n` is larger than the pool
   */
  window(n: number): Float64Array {
    if (n > this.pool.length) throw new RangeError(`noise window ${n} larger than pool ${this.pool.length}`);
    const start = Math.floor(this.random() * (this.pool.length - n + 1));
    return this.pool.subarray(start, start + n);
  }
}

/** Fills `out` with N(0, 1) samples (Box-Muller, two samples per pair of uniforms). */
export function fillNormal(out: Float64Array, random: () => number = Math.random): void {
  for (let i = 0; i < out.length; i += 2) {
    const u1 = 1 - random(); // (0, 1]: log() stays finite
    const u2 = random();
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
}
