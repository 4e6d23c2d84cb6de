/**
 * Monitored channels (spec B5): downsample the `data` G3TimestreamMap of Scan frames for up to
 * six readout channels and build one `detectors` feed block per channel. Only runs while
 * channels are monitored, so the recorder decodes detector data only then.
 */
import { G3Timestream, G3TimestreamMap, TICKS_PER_SECOND, type G3Frame } from '@smurf-ocs/g3-frame';

/** Most channels `set_monitored_channels` accepts (spec B1). */
export const MAX_MONITORED_CHANNELS = 6;
/** Highest `set_target_rate` value, Hz (spec B1). */
export const MAX_TARGET_RATE = 10;

/** One `detectors` feed message (a record-feed block). `timestamps` in ctime seconds. */
export interface DetectorBlock {
  block_name: string;
  timestamps: number[];
  data: Record<string, number[]>;
}

/** Channel key of a readout channel: `r%04d`. */
export function channelKey(ch: number): string {
  return `r${String(ch).padStart(4, '0')}`;
}

/**
 * Blocks with samples for each monitored channel present in a Scan frame; [] for other frames.
 * Throws `RangeError` for `targetRate` 0 (Python ZeroDivisionError; the caller logs a warning).
 */
export function downsampleChannels(frame: G3Frame, channels: readonly number[], targetRate: number): DetectorBlock[] {
  if (frame.type !== 0x53 || channels.length === 0) return [];
  if (targetRate === 0) throw new RangeError('float floor division by zero (target_rate = 0)');
  const m = frame.get('data');
  if (!(m instanceof G3TimestreamMap)) return [];
  const first = m.value.values().next().value as G3Timestream | undefined;
  if (!first) return [];
  const n = first.nSamples;
  let ds = Math.floor(first.sampleRateHz / targetRate);
  if (!Number.isFinite(ds)) return []; // compat: Python skips NaN (and inf // x is NaN)
  ds = Math.max(ds, 1);
  if (n > 1 && n <= ds) ds = n - 1;
  const times = sampleTimes(first, ds);
  const out: DetectorBlock[] = [];
  for (const ch of channels) {
    const k = channelKey(ch);
    const ts = m.value.get(k);
    if (!ts || times.length === 0) continue;
    const data: number[] = [];
    for (let i = 0; i < ts.data.length; i += ds) data.push(Number(ts.data[i]));
    out.push({ block_name: k, timestamps: times.slice(0, data.length), data: { [k]: data } });
  }
  return out;
}

/** Every `ds`-th sample time of `ts`, seconds (spt3g `times()`: start + i·(stop−start)/(n−1)). */
function sampleTimes(ts: G3Timestream, ds: number): number[] {
  const n = ts.nSamples;
  const start = Number(ts.start) / Number(TICKS_PER_SECOND);
  const span = Number(ts.stop - ts.start) / Number(TICKS_PER_SECOND);
  const out: number[] = [];
  for (let i = 0; i < n; i += ds) out.push(n > 1 ? start + (i * span) / (n - 1) : start);
  return out;
}
