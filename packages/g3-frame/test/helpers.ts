/** Test helpers: fixture paths and the expected-JSON form of decoded values. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  G3Bool,
  G3Double,
  G3FrameObject,
  G3Int,
  G3MapDouble,
  G3MapInt,
  G3MapString,
  G3String,
  G3Time,
  G3Timestream,
  G3TimestreamMap,
  G3VectorDouble,
  G3VectorInt,
  G3VectorString,
  G3VectorTime,
  TimestreamUnits,
  type G3Frame,
} from '../src/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Repo root (/work/main). */
export const repoRoot = path.resolve(here, '../../..');
/** Reference fixtures, relative to the repo (`../shared/fixtures/g3`). */
export const fixtureDir = path.resolve(repoRoot, '../shared/fixtures/g3');

export function fixture(name: string): string {
  return path.join(fixtureDir, name);
}

/** Parse expected JSON keeping integers of ≥ 16 digits exact (as strings). */
export function readExpected(name: string): unknown {
  const text = readFileSync(path.join(fixtureDir, 'expected', name), 'utf8');
  return JSON.parse(text.replace(/(?<=[:\[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, '"$1"'));
}

function num(x: number): number | string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (Object.is(x, -0)) return '-0';
  return x;
}

function int(x: bigint): number | string {
  return x >= 1_000_000_000_000_000n || x <= -1_000_000_000_000_000n ? x.toString() : Number(x);
}

const DTYPES = new Map<string, string>([
  ['Float64Array', 'float64'],
  ['Float32Array', 'float32'],
  ['Int32Array', 'int32'],
  ['BigInt64Array', 'int64'],
]);

function timestreamJson(ts: G3Timestream): Record<string, unknown> {
  const data = ts.data instanceof BigInt64Array ? Array.from(ts.data, int) : Array.from(ts.data as ArrayLike<number>, num);
  return {
    class: 'G3Timestream',
    units: TimestreamUnits[ts.units],
    units_code: ts.units,
    start: int(ts.start),
    stop: int(ts.stop),
    n_samples: ts.nSamples,
    dtype: DTYPES.get(ts.data.constructor.name),
    flac_level: ts.flacLevel,
    flac_bit_depth: ts.flacBitDepth,
    data,
  };
}

/** A decoded value in the shape of `expected/*.json` (value_str dropped). */
export function toExpectedJson(v: G3FrameObject): unknown {
  const c = v.className;
  if (v instanceof G3Int) return { class: c, value: int(v.value) };
  if (v instanceof G3Double) return { class: c, value: num(v.value) };
  if (v instanceof G3String || v instanceof G3Bool) return { class: c, value: v.value };
  if (v instanceof G3Time) return { class: c, value: int(v.ticks) };
  if (v instanceof G3VectorDouble) return { class: c, value: Array.from(v.values, num) };
  if (v instanceof G3VectorInt || v instanceof G3VectorTime) return { class: c, value: Array.from(v.values, int) };
  if (v instanceof G3VectorString) return { class: c, value: v.values };
  if (v instanceof G3MapDouble) return { class: c, value: Object.fromEntries([...v.value].map(([k, x]) => [k, num(x)])) };
  if (v instanceof G3MapInt) return { class: c, value: Object.fromEntries([...v.value].map(([k, x]) => [k, int(x)])) };
  if (v instanceof G3MapString) return { class: c, value: Object.fromEntries(v.value) };
  if (v instanceof G3Timestream) return timestreamJson(v);
  if (v instanceof G3TimestreamMap) return { class: c, items: [...v.value].map(([k, ts]) => [k, timestreamJson(ts)]) };
  return { class: c, unsupported: true };
}

/** Remove `value_str` fields (redundant with the exact big-int strings). */
export function dropValueStr(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(dropValueStr);
  if (x && typeof x === 'object') {
    return Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'value_str').map(([k, v]) => [k, dropValueStr(v)]));
  }
  return x;
}

/** A frame in the shape of `expected/*.json` frames. */
export function frameJson(f: G3Frame, index: number, typeName: string): unknown {
  const keys = [...f.keys()].sort();
  return {
    index,
    type: typeName,
    type_code: f.type,
    keys,
    objects: Object.fromEntries(keys.map((k) => [k, toExpectedJson(f.get(k)!)])),
  };
}
