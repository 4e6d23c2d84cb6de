/** Monitored-channel downsampling (spec B5, C2.20) on the fixture simulator Scan frames. */
import { G3Frame, G3Int } from '@smurf-ocs/g3-frame';
import { describe, expect, it } from 'vitest';
import { channelKey, downsampleChannels } from '../src/channel-monitor.js';
import { simStreamFrames } from './raw-sender.js';

const scan = (): G3Frame => simStreamFrames()[3]!; // frame_num 0: r0000..r0003, 10 samples over 0.9 s

describe('downsampleChannels', () => {
  it('publishes ~10 timestamps per Scan at 10 Hz for each monitored channel present', () => {
    const blocks = downsampleChannels(scan(), [0, 1, 99], 10);
    expect(blocks.map((b) => b.block_name)).toEqual(['r0000', 'r0001']);
    const b = blocks[0]!;
    expect(b.timestamps).toHaveLength(10);
    expect(b.timestamps[0]).toBe(1600000000);
    expect(b.timestamps[9]).toBeCloseTo(1600000000.9, 9);
    expect(b.data.r0000).toHaveLength(10);
  });

  it('downsamples by floor(rate / target) and skips non-Scan frames', () => {
    const b = downsampleChannels(scan(), [2], 2)[0]!; // rate 10 Hz -> every 5th sample
    expect(b.timestamps).toHaveLength(2);
    expect(b.timestamps[1]).toBeCloseTo(1600000000.5, 9);
    expect(downsampleChannels(new G3Frame(0x4e, [['sostream_flowcontrol', new G3Int(0)]]), [0], 10)).toEqual([]);
    expect(downsampleChannels(scan(), [], 10)).toEqual([]);
  });

  it('throws for a target rate of 0 (Python ZeroDivisionError, logged as a warning)', () => {
    expect(() => downsampleChannels(scan(), [0], 0)).toThrow(RangeError);
    expect(channelKey(12)).toBe('r0012');
  });
});
