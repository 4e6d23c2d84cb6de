/**
 * Helper process of bench/recorder-throughput.ts: runs the recorder (RecordLoop + FrameRecorder,
 * no WAMP) against tcp://127.0.0.1:<port>, and when the first file has been closed (END frame),
 * sends `{ frames, bytes, cpuUserUs, cpuSystemUs, closedAt }` to the parent over IPC and exits.
 * Run alone (no IPC channel) it prints a note and exits 0, so `pnpm bench` can skip over it.
 */
import { createWriteStream, fsync, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createLogger } from '../packages/ocs-agent-core/src/index.js';
import { FrameRecorder, RecordLoop, type FrameKeyOrder } from '../packages/smurf-recorder/src/index.js';

if (!process.send) {
  process.stdout.write('recorder-child: helper of recorder-throughput.ts, nothing to do alone\n');
  process.exit(0);
}
const [port, dataDir, keyOrder, mode] = process.argv.slice(2);
if (mode === 'pipe') await pipeBaseline();
const log = createLogger({ name: 'recorder-bench', level: 'warn' });
const stop = new AbortController();
const cpu0 = process.cpuUsage();
const recorder = new FrameRecorder({
  dataDir: dataDir!, streamId: 'bench', timePerFile: 1e9, log,
  onClose: async (f) => {
    const cpu = process.cpuUsage(cpu0);
    const m = { frames: f.frames, bytes: f.bytes, cpuUserUs: cpu.user, cpuSystemUs: cpu.system, closedAt: Date.now() };
    await new Promise<void>((r) => process.send!(m, () => r()));
    stop.abort();
  },
});
const loop = new RecordLoop({ host: '127.0.0.1', port: Number(port), recorder, log, keyOrder: keyOrder as FrameKeyOrder });
process.send({ ready: true });
await loop.run(stop.signal);
process.exit(0);

/**
 * Baseline without the recorder: pipe the TCP stream straight into a write stream, fsync at the
 * end (the sender closes the connection after the last frame). Same message to the parent.
 */
async function pipeBaseline(): Promise<never> {
  mkdirSync(dataDir!, { recursive: true });
  const cpu0 = process.cpuUsage();
  const ws = createWriteStream(path.join(dataDir!, 'pipe.g3'), { autoClose: false });
  const sock = net.connect(Number(port), '127.0.0.1');
  process.send!({ ready: true });
  let bytes = 0;
  sock.on('data', (b: Buffer) => (bytes += b.length));
  sock.pipe(ws);
  await new Promise<void>((r) => ws.once('finish', () => r()));
  await new Promise<void>((r, j) => fsync(ws.fd as number, (e) => (e ? j(e) : r())));
  const cpu = process.cpuUsage(cpu0);
  await new Promise<void>((r) => process.send!({ frames: 0, bytes, cpuUserUs: cpu.user, cpuSystemUs: cpu.system, closedAt: Date.now() }, () => r()));
  process.exit(0);
}
