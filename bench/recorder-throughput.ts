/**
 * Recorder throughput, simulator -> recorder over loopback. The sender is the SMuRF stream
 * simulator's frame builders (`ScanBuilder`, `startFrames`, `aliveFrame`, `endFrames` from
 * @smurf-ocs/smurf-stream-simulator: the frames its StreamLoop sends, ALIVE before each Scan)
 * broadcast by g3-frame's G3NetworkSender, as fast as the reader takes them (the producer waits
 * while more than 32 MB are queued). Scan frames are SMuRF-sized: 4096 channels x 200 f64
 * samples (~6.8 MB, one 1 s frame at 200 Hz), at least 2 GB per run. The recorder
 * (RecordLoop + FrameRecorder, no WAMP) runs in a child process (bench/_recorder-child.ts).
 *
 * Rounds alternate, in the same run:
 *   plain     a plain Node write stream writes the same number of Scan frame bytes (pre-built
 *             frames) to the same directory, fsync at close: the disk baseline
 *   recorder  simulator -> recorder -> .g3 file (fsync at close): MB/s, frames/s, recorder CPU
 *   send      simulator -> a discarding TCP receiver: the sender's own ceiling
 * and prints medians and the recorder/plain ratio (target >= 0.8).
 *
 * Usage: node --conditions=source --import tsx bench/recorder-throughput.ts [GB=2] [dir=os.tmpdir()] [libstdc++|wire]
 * ROUNDS=n (default 3). Use a directory on a real disk (check `df -h`); it is removed afterwards.
 */
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { close, createWriteStream, fsync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeFrame, G3NetworkSender, type G3Frame } from '../packages/g3-frame/src/index.js';
import { aliveFrame, endFrames, ScanBuilder, startFrames } from '../packages/smurf-stream-simulator/src/index.js';

const GB = Number(process.argv[2] ?? 2);
const baseDir = process.argv[3] ?? os.tmpdir();
const keyOrder = process.argv[4] ?? 'libstdc++';
const here = path.dirname(new URL(import.meta.url).pathname);
const MAX_QUEUED = 32e6;

const builder = new ScanBuilder({ numChans: 4096, sampleRate: 200, frameRate: 1, streamId: 'bench' });
const T0 = 1_795_000_000;
const frameBytes = encodeFrame(builder.build(0, T0)).length;
const n = Math.ceil((GB * 1e9) / frameBytes);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Simulator side: wait for a client, then START + Observation, n × (ALIVE, Scan), END + 2 CLEANSE,
 * then close (EOF). Returns the time START was sent (ms) and the sender's CPU seconds.
 */
async function simulate(sender: G3NetworkSender): Promise<{ t0: number; cpu: number }> {
  while (sender.clientCount === 0) {
    sender.send(aliveFrame()); // the sender attaches waiting clients when it sends
    await sleep(20);
  }
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  const send = async (f: G3Frame): Promise<void> => {
    sender.send(f);
    while (sender.queuedBytes > MAX_QUEUED) await sleep(1);
  };
  for (const f of startFrames('bench', T0)) await send(f);
  for (let i = 0; i < n; i++) {
    await send(aliveFrame());
    await send(builder.build(i, T0 + i));
  }
  for (const f of endFrames()) await send(f);
  await sender.close();
  const c = process.cpuUsage(cpu0);
  return { t0, cpu: (c.user + c.system) / 1e6 };
}

interface ChildResult { frames: number; bytes: number; cpuUserUs: number; cpuSystemUs: number; closedAt: number }

async function recorderRun(dir: string): Promise<{ mbs: number; fps: number; cpu: number }> {
  const sender = await G3NetworkSender.listen({ port: 0, host: '127.0.0.1' });
  const child = fork(path.join(here, '_recorder-child.ts'), [String(sender.port), dir, keyOrder], {
    execArgv: ['--conditions=source', '--import', 'tsx', ...(process.env.RECORDER_BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/recprof'] : [])],
  });
  const exited = once(child, 'exit');
  const result = new Promise<ChildResult>((resolve) => child.on('message', (m: Record<string, unknown>) => !m.ready && resolve(m as never)));
  const { t0 } = await simulate(sender);
  const r = await result;
  await exited;
  const s = (r.closedAt - t0) / 1000;
  return { mbs: r.bytes / 1e6 / s, fps: r.frames / s, cpu: (r.cpuUserUs + r.cpuSystemUs) / 1e6 / s };
}

/** The simulator into a child that reads and discards everything: the sender's ceiling. */
async function sendRun(): Promise<{ mbs: number; cpu: number }> {
  const sender = await G3NetworkSender.listen({ port: 0, host: '127.0.0.1' });
  const code = `const s=require('net').connect(${sender.port},'127.0.0.1');let n=0;s.on('data',b=>{n+=b.length});s.on('end',()=>process.stdout.write(String(n)));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = once(child, 'exit');
  const { t0, cpu } = await simulate(sender);
  await exited;
  const s = (Date.now() - t0) / 1000;
  return { mbs: Number(out) / 1e6 / s, cpu: cpu / s };
}

/** The same Scan bytes (4 pre-built frames, cycled) through a plain write stream, fsync at close. */
async function plainRun(file: string): Promise<number> {
  const frames = [0, 1, 2, 3].map((i) => encodeFrame(builder.build(i, T0 + i)));
  const t0 = Date.now();
  const ws = createWriteStream(file, { autoClose: false });
  const write = (b: Uint8Array): Promise<void> => new Promise((r) => (ws.write(b) ? r() : ws.once('drain', () => r())));
  for (let i = 0; i < n; i++) await write(frames[i % 4]!);
  await new Promise<void>((r) => ws.end(() => r()));
  await new Promise<void>((r, j) => fsync(ws.fd as number, (e) => (e ? j(e) : r())));
  await new Promise<void>((r, j) => close(ws.fd as number, (e) => (e ? j(e) : r())));
  return (n * frameBytes) / 1e6 / ((Date.now() - t0) / 1000);
}

const rounds = Number(process.env.ROUNDS ?? 3);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const range = (xs: number[], d = 0): string => `${Math.min(...xs).toFixed(d)}-${Math.max(...xs).toFixed(d)}`;
const work = mkdtempSync(path.join(baseDir, 'recorder-bench-'));
try {
  process.stdout.write(`Scan frame ${(frameBytes / 1e6).toFixed(2)} MB x ${n} (${((n * frameBytes) / 1e9).toFixed(2)} GB) per run, ${rounds} rounds, dir ${work}, key order ${keyOrder}\n`);
  const plain: number[] = [];
  const rec: Array<{ mbs: number; fps: number; cpu: number }> = [];
  const snd: Array<{ mbs: number; cpu: number }> = [];
  for (let r = 0; r < rounds; r++) {
    plain.push(await plainRun(path.join(work, 'plain.g3')));
    rmSync(path.join(work, 'plain.g3'), { force: true });
    rec.push(await recorderRun(path.join(work, 'rec')));
    rmSync(path.join(work, 'rec'), { recursive: true, force: true });
    snd.push(await sendRun());
    const x = rec[r]!;
    process.stdout.write(`round ${r + 1}: plain ${plain[r]!.toFixed(0)} MB/s | recorder ${x.mbs.toFixed(0)} MB/s, ${x.fps.toFixed(1)} frames/s, CPU ${(100 * x.cpu).toFixed(0)}% | simulator -> discard ${snd[r]!.mbs.toFixed(0)} MB/s (sender CPU ${(100 * snd[r]!.cpu).toFixed(0)}%)\n`);
  }
  const ratios = rec.map((x, i) => x.mbs / plain[i]!);
  process.stdout.write([
    `recorder: median ${median(rec.map((x) => x.mbs)).toFixed(0)} MB/s (range ${range(rec.map((x) => x.mbs))}), ${median(rec.map((x) => x.fps)).toFixed(1)} frames/s, CPU ${(100 * median(rec.map((x) => x.cpu))).toFixed(0)}% of one core (user+system)`,
    `plain write stream (fsync at close): median ${median(plain).toFixed(0)} MB/s (range ${range(plain)})`,
    `simulator -> discarding receiver: median ${median(snd.map((x) => x.mbs)).toFixed(0)} MB/s (range ${range(snd.map((x) => x.mbs))})`,
    `ratio recorder/plain per round ${ratios.map((x) => x.toFixed(2)).join(', ')}; median ${median(ratios).toFixed(2)} (target >= 0.8)`,
  ].join('\n') + '\n');
} finally {
  rmSync(work, { recursive: true, force: true });
}
