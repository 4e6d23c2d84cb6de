/**
 * Minimal native-FLAC decoder for the streams spt3g writes inside G3Timestream and
 * G3SuperTimestream (g3-format.md §3.4, §3.7): one channel, CONSTANT / VERBATIM / FIXED / LPC
 * subframes, Rice and Rice2 residuals (with escapes), wasted bits, 8–32 bits per sample.
 * Synchronous and exact for 32-bit samples (prediction in float64, exact below 2^53).
 * Frame CRCs are not checked: the G3 frame CRC already covers the bytes.
 */
import { G3FlacError } from './errors.js';

/** Upper bound on decoded samples per stream (guards against amplification by bogus headers). */
export const FLAC_MAX_SAMPLES = 1 << 27;

class BitReader {
  pos = 0; // bit position
  constructor(readonly b: Uint8Array, readonly base: number) {}

  fail(msg: string): never {
    throw new G3FlacError(msg, { offset: this.base + (this.pos >>> 3) });
  }
  bits(n: number): number {
    if (n === 0) return 0;
    if (this.pos + n > this.b.length * 8) this.fail('stream truncated');
    let v = 0;
    for (let i = 0; i < n; ) {
      const byte = this.b[this.pos >>> 3]!;
      const off = this.pos & 7;
      const take = Math.min(8 - off, n - i);
      const chunk = (byte >>> (8 - off - take)) & ((1 << take) - 1);
      v = v * (1 << take) + chunk;
      this.pos += take;
      i += take;
    }
    return v;
  }
  signed(n: number): number {
    const v = this.bits(n);
    return n > 0 && v >= 2 ** (n - 1) ? v - 2 ** n : v;
  }
  unary(): number {
    let n = 0;
    const lim = this.b.length * 8;
    while (true) {
      if (this.pos >= lim) this.fail('stream truncated in unary code');
      const byte = this.b[this.pos >>> 3]!;
      const off = this.pos & 7;
      const rest = (byte << off) & 0xff;
      if (rest === 0) {
        n += 8 - off;
        this.pos += 8 - off;
        continue;
      }
      const lead = Math.clz32(rest) - 24;
      n += lead;
      this.pos += lead + 1;
      return n;
    }
  }
  align(): void {
    this.pos = (this.pos + 7) & ~7;
  }
}

interface StreamInfo {
  bps: number;
  totalSamples: number;
}

function readMetadata(br: BitReader): StreamInfo {
  if (br.bits(32) !== 0x664c6143) br.fail('missing fLaC marker');
  let info: StreamInfo | undefined;
  let last = false;
  while (!last) {
    last = br.bits(1) === 1;
    const type = br.bits(7);
    const len = br.bits(24);
    const start = br.pos;
    if (type === 0) {
      br.bits(16 + 16 + 24 + 24 + 20);
      const channels = br.bits(3) + 1;
      const bps = br.bits(5) + 1;
      const totalSamples = br.bits(36);
      if (channels !== 1) br.fail(`${channels} channels (only mono is used by spt3g)`);
      info = { bps, totalSamples };
    }
    br.pos = start + len * 8;
    if (br.pos > br.b.length * 8) br.fail('metadata block truncated');
  }
  if (!info) br.fail('no STREAMINFO block');
  return info;
}

const SAMPLE_SIZES = [0, 8, 12, 0, 16, 20, 24, 32];

function frameHeader(br: BitReader, info: StreamInfo): { blockSize: number; bps: number } {
  if (br.bits(15) !== 0x7ffc) br.fail('lost frame sync');
  br.bits(1);
  const bsCode = br.bits(4);
  const srCode = br.bits(4);
  const chan = br.bits(4);
  const ssCode = br.bits(3);
  br.bits(1);
  if (chan !== 0) br.fail(`channel assignment ${chan} (only mono is used by spt3g)`);
  let lead = br.bits(8);
  let extra = 0;
  while (lead & 0x80) {
    extra++;
    lead = (lead << 1) & 0xff;
  }
  if (extra > 0) br.bits(8 * (extra - 1));
  let blockSize: number;
  if (bsCode === 1) blockSize = 192;
  else if (bsCode >= 2 && bsCode <= 5) blockSize = 576 << (bsCode - 2);
  else if (bsCode === 6) blockSize = br.bits(8) + 1;
  else if (bsCode === 7) blockSize = br.bits(16) + 1;
  else if (bsCode >= 8) blockSize = 256 << (bsCode - 8);
  else br.fail('reserved block size');
  if (srCode === 12) br.bits(8);
  else if (srCode === 13 || srCode === 14) br.bits(16);
  else if (srCode === 15) br.fail('invalid sample rate code');
  br.bits(8); // CRC-8
  const bps = ssCode === 0 ? info.bps : SAMPLE_SIZES[ssCode]!;
  if (bps === 0) br.fail('reserved sample size');
  return { blockSize, bps };
}

function residual(br: BitReader, out: Float64Array, order: number, n: number): void {
  const method = br.bits(2);
  if (method > 1) br.fail('reserved residual coding method');
  const pbits = method === 0 ? 4 : 5;
  const escape = method === 0 ? 15 : 31;
  const porder = br.bits(4);
  const parts = 1 << porder;
  const psize = n >>> porder;
  if (psize * parts !== n || psize < order) br.fail('bad partition order');
  let i = order;
  for (let p = 0; p < parts; p++) {
    const k = br.bits(pbits);
    const end = (p + 1) * psize;
    if (k === escape) {
      const raw = br.bits(5);
      for (; i < end; i++) out[i] = br.signed(raw);
      continue;
    }
    const scale = 2 ** k;
    for (; i < end; i++) {
      const u = br.unary() * scale + br.bits(k);
      out[i] = u % 2 === 0 ? u / 2 : -(u + 1) / 2;
    }
  }
}

const FIXED: number[][] = [[], [1], [2, -1], [3, -3, 1], [4, -6, 4, -1]];

function predict(out: Float64Array, coefs: number[], shift: number, n: number): void {
  const order = coefs.length;
  const div = 2 ** shift;
  for (let i = order; i < n; i++) {
    let s = 0;
    for (let j = 0; j < order; j++) s += coefs[j]! * out[i - 1 - j]!;
    out[i] = out[i]! + Math.floor(s / div);
  }
}

function subframe(br: BitReader, n: number, bpsIn: number, out: Float64Array): void {
  if (br.bits(1) !== 0) br.fail('bad subframe padding');
  const type = br.bits(6);
  let wasted = 0;
  if (br.bits(1) === 1) wasted = br.unary() + 1;
  const bps = bpsIn - wasted;
  if (type === 0) out.fill(br.signed(bps), 0, n);
  else if (type === 1) for (let i = 0; i < n; i++) out[i] = br.signed(bps);
  else if (type >= 8 && type <= 12) {
    const order = type - 8;
    for (let i = 0; i < order; i++) out[i] = br.signed(bps);
    residual(br, out, order, n);
    predict(out, FIXED[order]!, 0, n);
  } else if (type >= 32) {
    const order = type - 31;
    for (let i = 0; i < order; i++) out[i] = br.signed(bps);
    const prec = br.bits(4) + 1;
    if (prec === 16) br.fail('invalid LPC precision');
    const shift = br.signed(5);
    if (shift < 0) br.fail('negative LPC shift');
    const coefs = Array.from({ length: order }, () => br.signed(prec));
    residual(br, out, order, n);
    predict(out, coefs, shift, n);
  } else br.fail(`reserved subframe type ${type}`);
  if (wasted > 0) for (let i = 0; i < n; i++) out[i] = out[i]! * 2 ** wasted;
}

/**
 * Decode a complete native FLAC stream (mono) to int32 samples.
 * @param stream bytes starting with `fLaC`
 * @param base byte offset of `stream` for error messages
 * @throws G3FlacError (code G3_ERR_FLAC) on anything malformed or unsupported
 */
export function decodeFlac(stream: Uint8Array, base = 0): Int32Array {
  const br = new BitReader(stream, base);
  const info = readMetadata(br);
  const cap = info.totalSamples > 0 ? Math.min(info.totalSamples, FLAC_MAX_SAMPLES) : FLAC_MAX_SAMPLES;
  const blocks: Int32Array[] = [];
  let total = 0;
  const scratch = new Float64Array(65536);
  while (br.pos + 16 <= stream.length * 8 && total < cap) {
    const { blockSize, bps } = frameHeader(br, info);
    if (total + blockSize > cap && info.totalSamples === 0) br.fail('too many samples');
    subframe(br, blockSize, bps, scratch);
    br.align();
    br.bits(16); // CRC-16
    const take = Math.min(blockSize, cap - total);
    blocks.push(Int32Array.from(scratch.subarray(0, take)));
    total += take;
  }
  const out = new Int32Array(total);
  let p = 0;
  for (const b of blocks) {
    out.set(b, p);
    p += b.length;
  }
  return out;
}
