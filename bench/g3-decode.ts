/**
 * G3 decode benchmark (g3-frame). Generates a ~1 GB file of SMuRF-sized Scan frames
 * (G3TimestreamMap of 4096 channels × 200 f64 samples, plus the streamer's tag keys) in a temp
 * dir (/dev/shm if it has room), then measures:
 *   - write: G3FileWriter, plain .g3
 *   - envelope-only: readG3File → frames split + CRC checked, values left lazy
 *   - full decode: envelope + every value decoded (the G3TimestreamMap included)
 * and the same two on in-memory frames (no file I/O). Deletes the file afterwards.
 *
 * Run: node --conditions=source --import tsx bench/g3-decode.ts [sizeMB=1024] [channels=4096] [samples=200]
 * Targets: ≥ 3 GB/s envelope-only, ≥ 700 MB/s full decode.
 */
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  FrameDecoder,
  FrameType,
  G3FileWriter,
  G3Frame,
  G3Int,
  G3String,
  G3Time,
  G3Timestream,
  G3TimestreamMap,
  encodeFrame,
  readG3File,
} from '../packages/g3-frame/src/index.js';

const sizeMB = Number(process.argv[2] ?? 1024);
const channels = Number(process.argv[3] ?? 4096);
const samples = Number(process.argv[4] ?? 200);

function scanFrame(n: number): G3Frame {
  const start = 160000000000000000n + BigInt(n) * 100_000_000n;
  const map = new G3TimestreamMap();
  for (let c = 0; c < channels; c++) {
    const data = new Float64Array(samples);
    for (let i = 0; i < samples; i++) data[i] = Math.sin(c + i * 0.01) * 1000;
    map.value.set(`r${String(c).padStart(4, '0')}`, new G3Timestream({ data, start, stop: start + 99_500_000n }));
  }
  return new G3Frame(FrameType.Scan, [
    ['sostream_version', new G3Int(1)],
    ['sostream_id', new G3String('bench')],
    ['frame_num', new G3Int(n)],
    ['session_id', new G3Int(1600000000)],
    ['time', new G3Time(start)],
    ['data', map],
  ]);
}

function pickDir(bytes: number): string {
  try {
    const s = statfsSync('/dev/shm');
    if (s.bavail * s.bsize > bytes * 1.5) return mkdtempSync('/dev/shm/g3-bench-');
  } catch {
    // no /dev/shm
  }
  return mkdtempSync(path.join(tmpdir(), 'g3-bench-'));
}

const mbps = (bytes: number, ms: number): string => `${((bytes / 1e6) / (ms / 1e3)).toFixed(0)} MB/s`;

function decodeAll(f: G3Frame): number {
  let n = 0;
  for (const k of f.keys()) {
    const v = f.get(k);
    if (v instanceof G3TimestreamMap) for (const ts of v.value.values()) n += ts.data.length;
  }
  return n;
}

/**
 * Write: frames differ only in frame_num (blob reuse keeps generation cheap). In its own scope so
 * the 4096 generated timestreams are garbage before the read measurements.
 */
async function writeFile(file: string, nFrames: number, rows: Array<[string, string]>): Promise<number> {
  const base = scanFrame(0);
  const t = performance.now();
  const w = await G3FileWriter.open(file);
  for (let i = 0; i < nFrames; i++) {
    base.set('frame_num', new G3Int(i));
    await w.write(base);
  }
  await w.close();
  rows.push(['write (encode + file)', mbps(w.bytesWritten, performance.now() - t)]);
  return w.bytesWritten;
}

async function main(): Promise<void> {
  const template = encodeFrame(scanFrame(0));
  const nFrames = Math.max(1, Math.round((sizeMB * 1e6) / template.length));
  const dir = pickDir(nFrames * template.length);
  const file = path.join(dir, 'bench.g3');
  const rows: Array<[string, string]> = [];
  try {
    rows.push(['frame', `${channels} ch × ${samples} samples, ${(template.length / 1e6).toFixed(2)} MB; ${nFrames} frames; ${dir}`]);
    const total = await writeFile(file, nFrames, rows);

    let t = performance.now();
    let frames = 0;
    for await (const f of readG3File(file)) frames += f.size > 0 ? 1 : 0;
    rows.push(['envelope-only, file (split + CRC, lazy values)', mbps(total, performance.now() - t)]);

    t = performance.now();
    let passFrames = 0;
    for await (const f of readG3File(file, { reuseBuffer: true })) passFrames += f.size > 0 ? 1 : 0;
    rows.push(['envelope-only, file, reuseBuffer (pass-through mode)', mbps(total, performance.now() - t)]);

    t = performance.now();
    let samplesSeen = 0;
    for await (const f of readG3File(file)) samplesSeen += decodeAll(f);
    rows.push(['full decode, file', mbps(total, performance.now() - t)]);

    t = performance.now();
    for await (const f of readG3File(file, { reuseBuffer: true })) samplesSeen -= decodeAll(f);
    rows.push(['full decode, file, reuseBuffer', mbps(total, performance.now() - t)]);
    samplesSeen += nFrames * channels * samples;
    if (samplesSeen !== nFrames * channels * samples || frames !== nFrames || passFrames !== nFrames) throw new Error('bench self-check failed');

    // In memory: one frame's bytes pushed repeatedly (no file I/O), chunked like 1 MiB TCP reads.
    const bytes = encodeFrame(scanFrame(1));
    const reps = Math.min(nFrames, 60);
    const chunk = 1 << 20;
    for (const [label, full] of [['envelope-only, memory, 1 MiB chunks', false], ['full decode, memory, 1 MiB chunks', true]] as const) {
      const d = new FrameDecoder();
      t = performance.now();
      for (let r = 0; r < reps; r++) {
        for (let p = 0; p < bytes.length; p += chunk) {
          for (const f of d.push(bytes.subarray(p, p + chunk))) if (full) decodeAll(f);
        }
      }
      rows.push([label, mbps(reps * bytes.length, performance.now() - t)]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
}

await main();
