/**
 * Recorder throughput: a G3 sender -> the recorder (child process) over loopback -> .g3 files,
 * with SMuRF-sized Scan frames (4096 channels x 200 samples of f64 = one 1 s frame at 200 Hz,
 * ~6.6 MB), at least 2 GB. Reports MB/s, frames/s, the recorder's CPU (process.cpuUsage) and the
 * ratio to writing the same bytes to the same directory with a plain Node write stream (fsync at
 * close in both). Target: ratio >= 0.8.
 *
 * Usage: node --conditions=source --import tsx bench/recorder-throughput.ts [GB=2] [dir=os.tmpdir()] [libstdc++|wire]
 */
import { fork } from 'node:child_process';
import { close, createWriteStream, fsync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  encodeFrame, G3Double, G3Frame, G3Int, G3String, G3Timestream, G3TimestreamMap, TICKS_PER_SECOND,
} from '../packages/g3-frame/src/index.js';

const GB = Number(process.argv[2] ?? 2);
const baseDir = process.argv[3] ?? os.tmpdir();
const keyOrder = process.argv[4] ?? 'libstdc++';
const CHANNELS = 4096;
const SAMPLES = 200;
const here = path.dirname(new URL(import.meta.url).pathname);

function scanFrame(n: number): Uint8Array {
  const t0 = 1_795_000_000n * TICKS_PER_SECOND + BigInt(n) * TICKS_PER_SECOND;
  const map = new G3TimestreamMap();
  for (let c = 0; c < CHANNELS; c++) {
    const data = new Float64Array(SAMPLES);
    for (let i = 0; i < SAMPLES; i++) data[i] = Math.sin(c + i * 0.01);
    map.value.set(`r${String(c).padStart(4, '0')}`, new G3Timestream({ data, start: t0, stop: t0 + (TICKS_PER_SECOND * 199n) / 200n }));
  }
  return encodeFrame(new G3Frame(0x53, [
    ['session_id', new G3Int(0)], ['frame_num', new G3Int(n)], ['sostream_id', new G3String('bench')], ['data', map],
  ]));
}
const flow = (v: number): Uint8Array => encodeFrame(new G3Frame(0x4e, [['sostream_flowcontrol', new G3Int(v)]]));
const obs = encodeFrame(new G3Frame(0x4f, [['session_id', new G3Int(0)], ['start_time', new G3Double(1_795_000_000.5)], ['sostream_id', new G3String('bench')]]));

/** Sender: START, Observation, then `n` Scan frames (4 distinct ones, cycled), then END. */
async function runSender(server: net.Server, frames: Uint8Array[], n: number): Promise<number> {
  const sock = await new Promise<net.Socket>((r) => server.once('connection', r));
  const write = (b: Uint8Array): Promise<void> => new Promise((r) => (sock.write(b) ? r() : sock.once('drain', () => r())));
  const t0 = Date.now();
  await write(flow(1));
  await write(obs);
  for (let i = 0; i < n; i++) await write(frames[i % frames.length]!);
  await write(flow(2));
  sock.end();
  return t0;
}

async function recorderRun(dir: string, frames: Uint8Array[], n: number, mode = 'recorder') {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const child = fork(path.join(here, 'recorder-child.ts'), [String(port), dir, keyOrder, mode], {
    execArgv: ['--conditions=source', '--import', 'tsx', ...(process.env.RECORDER_BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/recprof'] : [])],
  });
  const exited = new Promise((res) => child.once('exit', res));
  const result = new Promise<{ frames: number; bytes: number; cpuUserUs: number; cpuSystemUs: number; closedAt: number }>((resolve) => {
    child.on('message', (m: Record<string, unknown>) => {
      if (!m.ready) resolve(m as never);
    });
  });
  const t0 = await runSender(server, frames, n);
  const r = await result;
  await exited;
  server.close();
  return { ...r, seconds: (r.closedAt - t0) / 1000 };
}

async function plainRun(dir: string, frames: Uint8Array[], n: number, total: number): Promise<number> {
  const file = path.join(dir, 'plain.g3');
  const t0 = Date.now();
  const ws = createWriteStream(file, { autoClose: false });
  const write = (b: Uint8Array): Promise<void> => new Promise((r) => (ws.write(b) ? r() : ws.once('drain', () => r())));
  await write(obs);
  for (let i = 0; i < n; i++) await write(frames[i % frames.length]!);
  await new Promise<void>((r) => ws.end(() => r()));
  await new Promise<void>((r, j) => fsync(ws.fd as number, (e) => (e ? j(e) : r())));
  await new Promise<void>((r, j) => close(ws.fd as number, (e) => (e ? j(e) : r())));
  const s = (Date.now() - t0) / 1000;
  if (total <= 0) throw new Error('no bytes');
  return s;
}

const frames = [0, 1, 2, 3].map(scanFrame);
const frameBytes = frames[0]!.byteLength;
const n = Math.ceil((GB * 1e9) / frameBytes);
const rounds = Number(process.env.ROUNDS ?? 3);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const work = mkdtempSync(path.join(baseDir, 'recorder-bench-'));
try {
  process.stdout.write(`frame ${(frameBytes / 1e6).toFixed(2)} MB x ${n} frames (${((n * frameBytes) / 1e9).toFixed(2)} GB) per run, ${rounds} rounds, dir ${work}, key order ${keyOrder}\n`);
  // Rounds alternate plain / recorder / pipe so page-cache and neighbour load favour none of them.
  const rec: Array<{ mbs: number; fps: number; cpu: number }> = [];
  const plain: number[] = [];
  const pipe: Array<{ mbs: number; cpu: number }> = [];
  for (let r = 0; r < rounds; r++) {
    const ps = await plainRun(work, frames, n, n * frameBytes);
    rmSync(path.join(work, 'plain.g3'), { force: true });
    plain.push((n * frameBytes + obs.byteLength) / 1e6 / ps);
    const x = await recorderRun(path.join(work, 'rec'), frames, n);
    rmSync(path.join(work, 'rec'), { recursive: true, force: true });
    rec.push({ mbs: x.bytes / 1e6 / x.seconds, fps: x.frames / x.seconds, cpu: (x.cpuUserUs + x.cpuSystemUs) / 1e6 / x.seconds });
    const p = await recorderRun(path.join(work, 'pipe'), frames, n, 'pipe');
    rmSync(path.join(work, 'pipe'), { recursive: true, force: true });
    pipe.push({ mbs: p.bytes / 1e6 / p.seconds, cpu: (p.cpuUserUs + p.cpuSystemUs) / 1e6 / p.seconds });
    process.stdout.write(`round ${r + 1}: plain ${plain[r]!.toFixed(0)} MB/s, recorder ${rec[r]!.mbs.toFixed(0)} MB/s (${rec[r]!.fps.toFixed(1)} frames/s, CPU ${(100 * rec[r]!.cpu).toFixed(0)}%), pipe ${pipe[r]!.mbs.toFixed(0)} MB/s\n`);
  }
  const m = { plain: median(plain), rec: median(rec.map((x) => x.mbs)), fps: median(rec.map((x) => x.fps)), cpu: median(rec.map((x) => x.cpu)), pipe: median(pipe.map((x) => x.mbs)) };
  process.stdout.write([
    `median recorder: ${m.rec.toFixed(0)} MB/s, ${m.fps.toFixed(1)} frames/s, CPU ${(100 * m.cpu).toFixed(0)}% of one core (user+system, process.cpuUsage)`,
    `median plain write stream (fsync at close): ${m.plain.toFixed(0)} MB/s`,
    `median TCP -> write stream pipe, no parsing (fsync at close): ${m.pipe.toFixed(0)} MB/s`,
    `ratio recorder/plain: ${(m.rec / m.plain).toFixed(2)} (target >= 0.8); recorder/pipe: ${(m.rec / m.pipe).toFixed(2)}`,
  ].join('\n') + '\n');
} finally {
  rmSync(work, { recursive: true, force: true });
}
