/**
 * One run of the `record` process: crash recovery, SupRsync registrar, FrameRecorder, RecordLoop,
 * session.data updates (at most once a second and on every connection change) and the monitored
 * channel feed. Kept apart from agent.ts so it can be used without WAMP.
 */
import { float, type OpSessionView } from '@smurf-ocs/ocs-agent-core';
import type { G3Frame } from '@smurf-ocs/g3-frame';
import type { Logger } from 'pino';
import { downsampleChannels, type DetectorBlock } from './channel-monitor.js';
import { OpenFileMarker } from './crash-recovery.js';
import { FrameRecorder } from './frame-recorder.js';
import type { FrameKeyOrder } from './received-frame.js';
import { RecordLoop } from './record-loop.js';
import { SessionDataBuilder, type RecordSessionData } from './session-data.js';
import { SuprsyncRegistrar } from './suprsync-registrar.js';

/** What `record` needs from the flags. */
export interface RecordingSettings {
  dataDir: string;
  host: string;
  port: number;
  streamId: string;
  timePerFile: number;
  suprsyncDb: string | undefined;
  suprsyncArchive: string;
  keyOrder: FrameKeyOrder;
  /** Names the crash marker (`--instance-id`). */
  instanceId: string;
}

/** Runtime hooks of one recording. */
export interface RecordingContext {
  session: Pick<OpSessionView, 'data' | 'degraded'>;
  signal: AbortSignal;
  log: Logger;
  /** Monitored channels and target rate; read on every Scan frame (the tasks change them). */
  state: { monitoredChannels: number[]; targetRate: number };
  publish: (block: DetectorBlock) => void;
}

/** Record until `ctx.signal` aborts. Throws only if the SupRsync db cannot be opened. */
export async function runRecording(s: RecordingSettings, ctx: RecordingContext): Promise<void> {
  const log = ctx.log;
  const registrar = s.suprsyncDb ? SuprsyncRegistrar.open(s.suprsyncDb, s.suprsyncArchive, log) : undefined;
  const marker = new OpenFileMarker(s.dataDir, s.instanceId);
  try {
    await recoverLeftover(marker, registrar, log);
    const recorder = new FrameRecorder({
      dataDir: s.dataDir, streamId: s.streamId, timePerFile: s.timePerFile, log, md5: registrar !== undefined,
      source: `tcp://${s.host}:${s.port}`,
      onOpen: (p) => marker.set(p).catch((err: unknown) => log.warn({ err }, 'cannot write the open-file marker')),
      onClose: async (f) => {
        await registrar?.register({ path: f.path, md5: f.md5 });
        await marker.clear().catch((err: unknown) => log.warn({ err }, 'cannot remove the open-file marker'));
      },
    });
    let builder: SessionDataBuilder | undefined;
    let lastUpdate = 0;
    const update = (force = false): void => {
      const now = Date.now() / 1000;
      if (!builder || (!force && now - lastUpdate < 1)) return;
      lastUpdate = now;
      try {
        const d = builder.build(now);
        ctx.session.data = toWire(d);
        ctx.session.degraded = d.last_error !== null && d.last_error.time > (d.last_frame_time ?? 0);
      } catch (err) {
        log.error({ err }, 'session.data update failed');
      }
    };
    const loop = new RecordLoop({
      host: s.host, port: s.port, recorder, log, keyOrder: s.keyOrder,
      onChange: () => update(false),
      onFrame: (frame) => monitor(frame, ctx),
    });
    builder = new SessionDataBuilder(loop, recorder, registrar);
    update(true);
    const timer = setInterval(() => update(true), 1000);
    try {
      await loop.run(ctx.signal);
    } finally {
      clearInterval(timer);
      await registrar?.register();
      update(true);
    }
  } finally {
    registrar?.close();
  }
}

/** Repair and register the file a killed recorder left open (crash-recovery.ts). */
async function recoverLeftover(marker: OpenFileMarker, registrar: SuprsyncRegistrar | undefined, log: Logger): Promise<void> {
  try {
    const r = await marker.recover(log);
    if (r && registrar) await registrar.registerIfUnknown({ path: r.path, md5: undefined });
  } catch (err) {
    log.error({ err }, 'Recovery of the file left open failed');
  }
}

/** Publish `detectors` blocks for monitored channels (spec B5); errors are warnings. */
function monitor(frame: G3Frame, ctx: RecordingContext): void {
  const { monitoredChannels, targetRate } = ctx.state;
  if (monitoredChannels.length === 0) return;
  try {
    for (const block of downsampleChannels(frame, monitoredChannels, targetRate)) ctx.publish(block);
  } catch (err) {
    ctx.log.warn({ err }, 'Exception thrown when reading stream data');
  }
}

/** session.data with every time and rate as a float on the wire (ocs-protocol.md 8.1). */
function toWire(d: RecordSessionData): Record<string, unknown> {
  const f = (x: number | null): unknown => (x === null ? null : float(x));
  return {
    ...d,
    connected_since: f(d.connected_since),
    current_file: d.current_file && { ...d.current_file, opened_at: float(d.current_file.opened_at) },
    frame_rate: float(d.frame_rate),
    byte_rate: float(d.byte_rate),
    last_frame_time: f(d.last_frame_time),
    last_error: d.last_error && { ...d.last_error, time: float(d.last_error.time) },
    timestamp: float(d.timestamp),
  };
}
