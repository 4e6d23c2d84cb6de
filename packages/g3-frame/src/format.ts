/** Human-readable rendering of frames and values, in the spirit of `spt3g-dump` / `print(frame)`. */
import { G3Opaque, type G3FrameObject } from './object.js';
import type { G3Frame } from './frame.js';
import { G3Bool, G3Double, G3Int, G3String, G3Time } from './scalars.js';
import { G3VectorBool, G3VectorDouble, G3VectorInt, G3VectorString, G3VectorTime, G3VectorUnsignedChar } from './vectors.js';
import { G3MapDouble, G3MapInt, G3MapString, G3MapVectorDouble, G3MapVectorString } from './maps.js';
import { G3Timestream, TimestreamUnits } from './timestream.js';
import { G3TimestreamMap } from './timestream-map.js';
import { G3MapFrameObject, G3TimesampleMap } from './frame-object-map.js';
import { G3SuperTimestream } from './super-timestream.js';
import { G3Error } from './errors.js';

/** Show at most this many leading/trailing array elements. */
const EDGE = 3;

/** A number as python prints it where it matters (-0 keeps its sign). */
function plain(v: unknown): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

/** `[a, b, c, ..., x, y, z]` like numpy's abbreviated repr. */
export function abbreviate(values: ArrayLike<unknown>, fmt: (v: unknown) => string = plain): string {
  const n = values.length;
  const idx = n <= 2 * EDGE ? [...Array(n).keys()] : [0, 1, 2, -1, n - 3, n - 2, n - 1];
  return `[${idx.map((i) => (i < 0 ? '...' : fmt(values[i]))).join(', ')}]`;
}

/** ISO-8601 text of a G3Time (UTC, 10 ns resolution). */
export function formatTime(ticks: bigint): string {
  const ms = ticks / 100_000n;
  const frac = (((ticks % 100_000_000n) + 100_000_000n) % 100_000_000n).toString().padStart(8, '0');
  const iso = new Date(Number(ms)).toISOString();
  return `${iso.slice(0, 19)}.${frac}Z`;
}

function mapText(m: Map<string, unknown>, fmt: (v: unknown) => string): string {
  const parts = [...m].slice(0, 6).map(([k, v]) => `${JSON.stringify(k)}: ${fmt(v)}`);
  return `{${parts.join(', ')}${m.size > 6 ? `, ... (${m.size} keys)` : ''}}`;
}

/** One-line description of a value. */
export function formatValue(v: G3FrameObject): string {
  if (v instanceof G3Int || v instanceof G3Double) return plain(v.value);
  if (v instanceof G3Bool) return v.value ? 'True' : 'False';
  if (v instanceof G3String) return JSON.stringify(v.value);
  if (v instanceof G3Time) return `${formatTime(v.ticks)} (${v.ticks} ticks)`;
  if (v instanceof G3VectorTime) return abbreviate(v.values, (t) => formatTime(t as bigint));
  if (v instanceof G3VectorDouble || v instanceof G3VectorInt || v instanceof G3VectorUnsignedChar) return abbreviate(v.values);
  if (v instanceof G3VectorString) return abbreviate(v.values, (s) => JSON.stringify(s));
  if (v instanceof G3VectorBool) return abbreviate(v.values);
  if (v instanceof G3MapDouble || v instanceof G3MapInt || v instanceof G3MapString) return mapText(v.value, (x) => (typeof x === 'string' ? JSON.stringify(x) : plain(x)));
  if (v instanceof G3MapVectorDouble || v instanceof G3MapVectorString) return mapText(v.value, (x) => abbreviate(x as ArrayLike<unknown>));
  if (v instanceof G3Timestream) return formatTimestream(v);
  if (v instanceof G3TimestreamMap) {
    const first = v.value.values().next().value;
    return `${v.value.size} timestreams${first ? `, e.g. ${formatTimestream(first)}` : ''}`;
  }
  if (v instanceof G3TimesampleMap) return `${v.value.size} fields × ${v.times.length} samples: ${[...v.value.keys()].join(', ')}`;
  if (v instanceof G3MapFrameObject) return mapText(v.value, (x) => (x as G3FrameObject).className);
  if (v instanceof G3SuperTimestream) return `${v.names.length} channels × ${v.times.length} samples (${v.data.constructor.name})`;
  if (v instanceof G3Opaque) return `<${v.blob.length} bytes, not decoded>`;
  return `<${v.className}>`;
}

function formatTimestream(t: G3Timestream): string {
  const units = TimestreamUnits[t.units] ?? t.units;
  return `${t.nSamples} samples (${t.data.constructor.name.replace('Array', '')}, ${units}, ${formatTime(t.start)} … ${formatTime(t.stop)}): ${abbreviate(t.data)}`;
}

/** Multi-line dump of a frame: `Frame (Type) [` / `"key" (Class) => value` / `]`. */
export function formatFrame(f: G3Frame): string {
  const lines = [`Frame (${f.typeName}) [`];
  for (const k of f.keys()) {
    let text: string;
    let cls: string;
    try {
      cls = f.className(k) ?? '?';
      text = formatValue(f.get(k)!);
    } catch (e) {
      if (!(e instanceof G3Error)) throw e;
      cls = '?';
      text = `<undecodable: ${e.code} ${e.message}>`;
    }
    lines.push(`${JSON.stringify(k)} (${cls}) => ${text}`);
  }
  lines.push(']');
  return lines.join('\n');
}
