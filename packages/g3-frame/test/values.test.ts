/** Value classes: encode → decode round trips, store_bits selection, SuperTimestream variants. */
import { describe, expect, it } from 'vitest';
import { ArchiveWriter } from '../src/archive.js';
import {
  decodeBlob,
  encodeBlob,
  G3Bool,
  G3Double,
  type G3FrameObject,
  G3Int,
  G3MapDouble,
  G3MapFrameObject,
  G3MapInt,
  G3MapString,
  G3MapVectorDouble,
  G3MapVectorString,
  G3Opaque,
  G3String,
  G3SuperTimestream,
  G3Time,
  G3TimesampleMap,
  G3Timestream,
  G3TimestreamMap,
  G3VectorBool,
  G3VectorDouble,
  G3VectorInt,
  G3VectorString,
  G3VectorTime,
  G3VectorUnsignedChar,
  readG3FileAll,
  storeBitsFor,
  TimestreamUnits,
} from '../src/index.js';
import { fixture } from './helpers.js';

const rt = <T>(v: T & Parameters<typeof encodeBlob>[0]): T => decodeBlob(encodeBlob(v)) as unknown as T;

describe('round trips', () => {
  it('scalars', () => {
    expect(rt(new G3Int(-(2n ** 63n))).value).toBe(-(2n ** 63n));
    expect(Object.is(rt(new G3Double(-0)).value, -0)).toBe(true);
    expect(rt(new G3String('détecteur ✓')).value).toBe('détecteur ✓');
    expect(rt(new G3Bool(true)).value).toBe(true);
    expect(rt(new G3Time(160000000012345678n)).ticks).toBe(160000000012345678n);
  });

  it('vectors and maps', () => {
    expect([...rt(new G3VectorDouble([1.5, NaN])).values]).toEqual([1.5, NaN]);
    expect([...rt(new G3VectorInt([1, -2, 2n ** 40n])).values]).toEqual([1n, -2n, 2n ** 40n]);
    expect(rt(new G3VectorString(['a', '', 'ü'])).values).toEqual(['a', '', 'ü']);
    expect(rt(new G3VectorBool([true, false])).values).toEqual([true, false]);
    expect([...rt(new G3VectorUnsignedChar(Uint8Array.of(1, 255))).values]).toEqual([1, 255]);
    expect([...rt(new G3VectorTime([0n, 5n])).values]).toEqual([0n, 5n]);
    expect([...rt(new G3MapDouble({ b: 2, a: 1 })).value]).toEqual([['a', 1], ['b', 2]]);
    expect([...rt(new G3MapString({ k: 'v' })).value]).toEqual([['k', 'v']]);
    expect([...rt(new G3MapInt({ x: -300 })).value]).toEqual([['x', -300n]]);
    expect([...rt(new G3MapVectorDouble({ x: Float64Array.of(1, 2) })).value.get('x')!]).toEqual([1, 2]);
    expect(rt(new G3MapVectorString({ x: ['p', 'q'] })).value.get('x')).toEqual(['p', 'q']);
  });

  it('store_bits follows spt3g (§3.2)', () => {
    expect(storeBitsFor([])).toBe(8);
    expect(storeBitsFor([127n, -128n])).toBe(8);
    expect(storeBitsFor([128n])).toBe(16);
    expect(storeBitsFor([-2147483648n])).toBe(32);
    expect(storeBitsFor([2n ** 40n])).toBe(64);
  });

  it('timestream map keeps insertion order and shares repeated objects', () => {
    const a = new G3Timestream({ data: Float64Array.of(1, 2), units: TimestreamUnits.Counts, start: 10n, stop: 20n });
    const b = new G3Timestream({ data: Int32Array.of(3) });
    const m = rt(new G3TimestreamMap([['r0002', a], ['r0000', b], ['r0001', a]]));
    expect([...m.value.keys()]).toEqual(['r0002', 'r0000', 'r0001']);
    expect(m.value.get('r0002')).toBe(m.value.get('r0001'));
    expect([...m.value.get('r0000')!.data]).toEqual([3]);
    expect(m.value.get('r0002')!.sampleRateHz).toBeCloseTo(1e7);
  });

  it('timestream start/stop survive decoding when some channels repeat them and some differ', () => {
    const ts = (start: bigint, stop: bigint): G3Timestream => new G3Timestream({ data: Float64Array.of(1), start, stop });
    const big = -(2n ** 62n) - 5n;
    const m = rt(new G3TimestreamMap([['a', ts(10n, 20n)], ['b', ts(10n, 20n)], ['c', ts(11n, 20n)], ['d', ts(big, 2n ** 40n)], ['e', ts(10n, 20n)]]));
    expect([...m.value.values()].map((t) => [t.start, t.stop])).toEqual([[10n, 20n], [10n, 20n], [11n, 20n], [big, 2n ** 40n], [10n, 20n]]);
  });

  it('timesample map and frame-object map (nested archives)', () => {
    const tsm = rt(new G3TimesampleMap(new Map<string, G3FrameObject>([['Counter0', new G3VectorInt([1, 2])], ['x', new G3VectorDouble([0.5, 1])]]), BigInt64Array.of(1n, 2n)));
    expect([...tsm.times]).toEqual([1n, 2n]);
    expect([...(tsm.value.get('Counter0') as G3VectorInt).values]).toEqual([1n, 2n]);
    const mfo = rt(new G3MapFrameObject(new Map([['i', new G3Int(3)]])));
    expect((mfo.value.get('i') as G3Int).value).toBe(3n);
  });

  it('unknown classes stay opaque and re-encode byte-identical', () => {
    const w = new ArchiveWriter();
    w.u8(1);
    w.newPointer('G3Quat');
    w.u32(1);
    w.u32(1);
    for (let i = 0; i < 4; i++) w.f64(i);
    const blob = w.result().slice();
    const v = decodeBlob(blob);
    expect(v).toBeInstanceOf(G3Opaque);
    expect(v.className).toBe('G3Quat');
    expect(encodeBlob(v)).toBe(blob);
  });
});

describe('G3SuperTimestream (§3.7)', () => {
  it('uncompressed round trip', () => {
    const st = new G3SuperTimestream(BigInt64Array.of(1n, 2n, 3n), ['a', 'b'], Float32Array.of(1, 2, 3, 4, 5, 6));
    const back = rt(st);
    expect(back.names).toEqual(['a', 'b']);
    expect([...back.times]).toEqual([1n, 2n, 3n]);
    expect([...back.data]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('decodes compressed data: FLAC + constant offset, and bzip2, with quanta', async () => {
    const [flacFrame] = await readG3FileAll(fixture('flac_timestreams.g3'));
    const flacStream = extractFlac(flacFrame!.getBlob('flac_int32_d24')!);
    const bz = Buffer.from('425a68393141592653591a9f8d5a00000640007c0020002183419a02e049f1772453850901a9f8d5a0', 'hex');
    const payload: number[] = [];
    const offsets: number[] = [];
    const i32 = (v: number): number[] => [...new Uint8Array(Int32Array.of(v).buffer)];
    offsets.push(payload.length);
    payload.push(1 | 4, ...i32(flacStream.length), ...flacStream, ...i32(100)); // FLAC + constant 100
    offsets.push(payload.length);
    payload.push(2, ...i32(bz.length), ...bz); // bzip2 of int32 [1,2,3,4]
    const w = new ArchiveWriter();
    w.u8(1);
    w.newPointer('G3SuperTimestream');
    w.objectHeader('G3SuperTimestream', 0);
    w.i8(5); w.i8(1); w.i8(0);
    w.objectHeader('G3VectorTime', 1);
    w.u64(4); w.objectHeader('G3Time', 1);
    for (const t of [1n, 2n, 3n, 4n]) w.i64(t);
    w.objectHeader('G3VectorString', 1);
    w.u64(2); w.str('d0'); w.str('d1');
    w.i64(11n); w.i64(2n);
    for (let i = 0; i < 32; i++) w.i64(i === 0 ? 2n : i === 1 ? 4n : 0n);
    w.i64(32n);
    w.i8(1 | 2 | 4);
    w.u64(2); w.f64(0.5); w.f64(2);
    w.u64(2); w.i32(offsets[0]!); w.i32(offsets[1]!);
    w.i32(payload.length);
    w.raw(Uint8Array.from(payload));
    const st = decodeBlob(w.result()) as G3SuperTimestream;
    expect(st.data).toBeInstanceOf(Float32Array);
    expect([...st.data]).toEqual([52.5, 47, 53.5, 4194353.5, 2, 4, 6, 8]);
  });
});

/** The FLAC stream bytes inside a FLAC G3Timestream blob (v4 layout, nanflag 0). */
function extractFlac(blob: Uint8Array): Uint8Array {
  const i = Buffer.from(blob).indexOf('fLaC');
  return blob.subarray(i);
}

describe('timestream helpers', () => {
  it('times() spaces samples evenly from start to stop inclusive; map helpers use the first', () => {
    const ts = new G3Timestream({ data: new Float64Array(10), start: 160000000000000000n, stop: 160000000090000000n });
    expect([...ts.times()].slice(0, 3)).toEqual([160000000000000000n, 160000000010000000n, 160000000020000000n]);
    expect(ts.times()[9]).toBe(160000000090000000n);
    expect(ts.sampleRateHz).toBeCloseTo(10);
    const m = new G3TimestreamMap([['r0000', ts]]);
    expect(m.nSamples).toBe(10);
    expect(m.sampleRateHz).toBeCloseTo(10);
    expect(m.start).toBe(160000000000000000n);
    expect(new G3TimestreamMap().nSamples).toBe(0);
  });
});

describe('less common containers', () => {
  it('round-trip', async () => {
    const m = await import('../src/index.js');
    expect([...rt(new m.G3VectorComplexDouble(Float64Array.of(1, -1, 2, 0))).values]).toEqual([1, -1, 2, 0]);
    expect(rt(new m.G3MapVectorBool(new Map([['a', [true, false]]]))).value.get('a')).toEqual([true, false]);
    expect([...rt(new m.G3MapVectorInt(new Map([['a', BigInt64Array.of(1n, -300n)], ['b', BigInt64Array.of()]]))).value.get('a')!]).toEqual([1n, -300n]);
    expect(rt(new m.G3MapMapDouble(new Map([['x', new Map([['y', 2.5]])], ['w', new Map()]]))).value.get('x')!.get('y')).toBe(2.5);
    expect(rt(new m.G3MapTime(new Map([['t', 160000000000000000n]]))).value.get('t')).toBe(160000000000000000n);
  });
});
