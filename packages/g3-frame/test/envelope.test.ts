/** CRC, key-order model and envelope encoding vectors from g3-format.md §2. */
import { describe, expect, it } from 'vitest';
import { readG3FileAll, crc32cRaw, encodeBlob, encodeFrame, FrameType, G3Frame, G3Int, hashBytes, libstdcxxOrder, decodeFrames, frameTypeFromString, frameTypeName } from '../src/index.js';

import { fixture } from './helpers.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('CRC (§2.3)', () => {
  it('is CRC-32C with init 0 and no final XOR', () => {
    expect(crc32cRaw(0, enc('123456789'))).toBe(0x58e3fa20);
    expect(crc32cRaw(0, new Uint8Array(0))).toBe(0);
  });
  it('chains: raw(raw(0,a),b) = raw(0,a+b)', () => {
    expect(crc32cRaw(crc32cRaw(0, enc('1234')), enc('56789'))).toBe(0x58e3fa20);
  });
});

describe('frame envelope (§2)', () => {
  it('encodes the 71-byte H frame with one G3Int(42) exactly as spt3g', () => {
    const f = new G3Frame(FrameType.Housekeeping, [['x', new G3Int(42)]]);
    expect(hex(encodeBlob(new G3Int(42)))).toBe('010100008005000000000000004733496e740100008001000000010000002a00000000000000');
    expect(hex(encodeFrame(f))).toBe(
      '01010000000100000048000000' + '0100000000000000' + '78' + '2600000000000000' +
        '010100008005000000000000004733496e740100008001000000010000002a00000000000000' + '6136f545',
    );
  });
  it('encodes an empty frame as 17 bytes with CRC 0', () => {
    expect(hex(encodeFrame(new G3Frame(FrameType.Scan)))).toBe('0101000000000000005300000000000000');
  });
  it('reproduces the golden ALIVE frame of suprsync-recorder.md Appendix 1', () => {
    const f = new G3Frame(FrameType.None, [['sostream_flowcontrol', new G3Int(0)]]);
    expect(hex(encodeFrame(f))).toBe(
      '0101000000010000004e0000001400000000000000736f73747265616d5f666c6f77636f6e74726f6c2600000000000000010100008005000000000000004733496e740100008001000000010000000000000000000000808001c7',
    );
  });
  it('frame types: ad-hoc codes round-trip', () => {
    expect(frameTypeFromString('SOST')).toBe(0x534f5354);
    expect(frameTypeName(0x534f5354)).toBe('SOST');
    expect(frameTypeName(FrameType.None)).toBe('none');
    const f = new G3Frame(frameTypeFromString('x'));
    expect(decodeFrames(encodeFrame(f))[0]!.type).toBe(0x78);
  });
});

describe('libstdc++ key order (§2.4)', () => {
  it('hash vectors', () => {
    expect(hashBytes(enc('abc'))).toBe(0x32d82bf8ed3dba39n);
    expect(hashBytes(enc(''))).toBe(0x553e93901e462a6en);
    expect(hashBytes(enc('sostream_flowcontrol'))).toBe(0x76ca91a3e9fd7616n);
  });
  it('predicts the file order of basic_types.g3 (built in python in README table order)', async () => {
    const inserted = ('int_pos int_neg int_max double double_neg_zero double_nan string string_utf8 string_empty ' +
      'bool_true bool_false time time_zero vec_double vec_double_empty vec_int8 vec_int16 vec_int32 vec_int64 ' +
      'vec_int_empty vec_string vec_string_empty vec_time vec_time_empty map_double map_double_empty map_string ' +
      'map_int8 map_int16 map_int32 map_int64 ts_double ts_float32 ts_int32 ts_int64 ts_empty tsm tsm_empty').split(' ');
    const [frame] = await readG3FileAll(fixture('basic_types.g3'));
    const order = libstdcxxOrder(inserted.map(enc)).map((i) => inserted[i]);
    expect(order).toEqual(frame!.keys());
  });
  it('a frame with > 13 keys (rehash) still lists every key once', () => {
    const keys = Array.from({ length: 300 }, (_, i) => enc(`k${i}`));
    const order = libstdcxxOrder(keys);
    expect(new Set(order).size).toBe(300);
  });
});
