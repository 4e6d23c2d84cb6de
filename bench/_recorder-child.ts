/**
 * Helper process of bench/recorder-throughput.ts: runs the recorder (RecordLoop + FrameRecorder,
 * no WAMP) against tcp://127.0.0.1:<port>, and when the first file has been closed (END frame),
 * sends `{ frames, bytes, cpuUserUs, cpuSystemUs, closedAt }` to the parent over IPC and exits.
 * Run alone (no IPC channel) it prints a note and exits 0, so `pnpm bench` can skip over it.
 */
import { createLogger } from '../packages/ocs-agent-core/src/index.js';
import { FrameRecorder, RecordLoop, type FrameKeyOrder } from '../packages/smurf-recorder/src/index.js';

if (!process.send) {
  process.stdout.write('recorder-child: helper of recorder-throughput.ts, nothing to do alone\n');
  process.exit(0);
}
const [port, dataDir, keyOrder] = process.argv.slice(2);
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
