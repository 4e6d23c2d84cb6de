/**
 * SMuRF stream simulator send benchmark. Builds SMuRF-sized Scan frames with the simulator's
 * ScanBuilder (default 4096 channels × 200 f64 samples = one 1 s frame at 200 Hz, ~6.7 MB) and
 * sends them as fast as possible through g3-frame's G3NetworkSender (127.0.0.1, port 0) to a
 * discarding TCP receiver in a child process. Prints:
 *   - build: ScanBuilder.build (noise windows, no per-sample RNG), frames/s
 *   - build+encode: the same plus encodeFrame (what G3NetworkSender.send does), MB/s and frames/s
 *   - send: end-to-end into the receiver (bytes counted by the receiver), MB/s and frames/s
 *   - baseline: the same sender/receiver path re-sending one pre-encoded frame (no building, no
 *     encoding): the ceiling of the socket path on this machine
 * and the headroom over the real SMuRF rate (frame_rate Hz of such frames).
 *
 * Run: node --conditions=source --import tsx bench/simulator-send.ts [seconds=8] [channels=4096] [samples=200] [frame_rate=1]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { decodeFrames, encodeFrame, G3NetworkSender, type G3Frame } from '../packages/g3-frame/src/index.js';
import { aliveFrame, ScanBuilder } from '../packages/smurf-stream-simulator/src/index.js';

const seconds = Number(process.argv[2] ?? 8);
const channels = Number(process.argv[3] ?? 4096);
const samples = Number(process.argv[4] ?? 200);
const frameRate = Number(process.argv[5] ?? 1);
const MB = 1e6;

const builder = new ScanBuilder({ numChans: channels, streamId: 'bench', sampleRate: samples * frameRate, frameRate });
const frameBytes = encodeFrame(builder.build(0, 1.7e9)).length;

function timeIt(label: string, fn: (i: number) => number, budgetS: number): void {
  const t0 = performance.now();
  let n = 0;
  let bytes = 0;
  while (performance.now() - t0 < budgetS * 1000) bytes += fn(n++);
  const s = (performance.now() - t0) / 1000;
  const mbs = bytes > 0 ? `, ${(bytes / MB / s).toFixed(0)} MB/s` : '';
  console.log(`${label.padEnd(14)} ${(n / s).toFixed(1)} frames/s${mbs} (${n} frames in ${s.toFixed(2)} s)`);
}

/** A child process that connects, discards everything and prints the byte count at EOF. */
function startReceiver(port: number) {
  const code = `const s=require('net').connect(${port},'127.0.0.1');let n=0;s.on('data',b=>{n+=b.length});s.on('end',()=>{process.stdout.write(String(n))});`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  return { child, bytes: once(child, 'exit').then(() => Number(out)) };
}

/** Sends `next(n)` frames for `seconds` into a receiver child; returns bytes/s received. */
async function send(label: string, next: (n: number) => G3Frame): Promise<number> {
  const sender = await G3NetworkSender.listen({ port: 0, host: '127.0.0.1' });
  const rx = startReceiver(sender.port);
  while (sender.clientCount === 0) {
    await new Promise((r) => setTimeout(r, 20));
    sender.send(aliveFrame()); // the sender accepts waiting clients when it sends
  }
  const batch = Math.max(1, Math.floor((32 * MB) / frameBytes)); // frames between flushes
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < seconds * 1000) {
    sender.send(next(n));
    n++;
    // Let the event loop write the queued bytes out while the next frame waits; flush now and
    // then to bound the client queue (unbounded, as python).
    if (n % batch === 0) await sender.flush();
    else await new Promise((r) => setImmediate(r));
  }
  await sender.close();
  const bytes = await rx.bytes;
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(`${label.padEnd(14)} ${(n / s).toFixed(1)} frames/s, ${(bytes / MB / s).toFixed(0)} MB/s received (${n} frames, ${(bytes / MB).toFixed(0)} MB in ${s.toFixed(2)} s; sender CPU ${(((cpu.user + cpu.system) / 1e6 / s) * 100).toFixed(0)}%)`);
  return bytes / s;
}

console.log(`frame          ${channels} channels x ${samples} samples = ${(frameBytes / MB).toFixed(2)} MB per Scan frame`);
timeIt('build', (i) => (builder.build(i, 1.7e9), 0), Math.min(2, seconds / 3));
timeIt('build+encode', (i) => encodeFrame(builder.build(i, 1.7e9)).length, Math.min(3, seconds / 3));
const rate = await send('send', (n) => builder.build(n, 1.7e9 + n / frameRate));
const fixed = decodeFrames(encodeFrame(builder.build(0, 1.7e9)))[0]!; // keeps its raw bytes: no re-encoding
const ceiling = await send('baseline', () => fixed);
const need = frameBytes * frameRate;
console.log(`ratio          send = ${((rate / ceiling) * 100).toFixed(0)}% of the baseline socket path`);
console.log(`headroom       ${(rate / need).toFixed(1)}x the real-time rate of ${frameRate} frame/s (${(need / MB).toFixed(2)} MB/s)`);
