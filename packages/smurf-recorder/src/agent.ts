/**
 * SMuRF Recorder agent (spec suprsync-recorder.md Part B; socs `agents/smurf_recorder`, removed
 * from socs in 2022): connects to a G3NetworkSender (the SMuRF streamer) as a TCP client and
 * writes the frames to `<data-dir>/<5 ctime digits>/<stream-id>/<ctime>_<NNN>.g3`, one file per
 * acquisition and `--time-per-file` seconds. Optionally registers every closed file with SupRsync.
 *
 * Ops: Process `record` (startup = `--auto-start`), Tasks `set_monitored_channels` and
 * `set_target_rate`; feed `detectors` (downsampled monitored channels, spec B5).
 */
import { resolve } from 'node:path';
import { defineAgent, type OpContext, type OpSessionView } from '@smurf-ocs/ocs-agent-core';
import type { Logger } from 'pino';
import { recorderArgs } from './args.js';
import { MAX_MONITORED_CHANNELS, MAX_TARGET_RATE } from './channel-monitor.js';
import { runRecording, type RecordingSettings } from './recording.js';

/** Mutable agent state shared by the ops (Python: attributes of `SmurfRecorder`). */
export interface RecorderAgentState {
  monitoredChannels: number[];
  targetRate: number;
}

const RECORD_DOC = `start_record(params=None)

OCS Process to start recording SMuRF data. Connects to tcp://<address>:<port> and writes the
frames to <data-dir>/<5 ctime digits>/<stream-id>/<ctime>_<NNN>.g3. Reconnects after any end
or fault of the stream; never ends on its own.

Notes:
    session.data example::

        {"address": "tcp://localhost:50000", "connection": "connected",
         "current_file": {"path": "/data/17950/crate1slot2/1795012345_000.g3",
                          "opened_at": 1795012345.2, "frames": 41, "bytes": 34304},
         "frames_written": 41, "bytes_written": 34304, "frame_rate": 1.0,
         "byte_rate": 836.7, "last_frame_time": 1795012385.3, ...}`;

/** The agent definition. */
export const smurfRecorderAgent = defineAgent({
  agentClass: 'SmurfRecorder',
  summary: 'Records G3 frames from a G3NetworkSender (SMuRF streamer) to .g3 files.',
  args: recorderArgs,
  feeds: { detectors: { record: true } },
  setup: ({ args }): RecorderAgentState => ({ monitoredChannels: [], targetRate: args.targetRate }),
  ops: (args) => ({
    record: {
      kind: 'process',
      blocking: true,
      startup: args.autoStart,
      docstring: RECORD_DOC,
      start: async (ctx: OpContext<Record<string, unknown>, RecorderAgentState, typeof args>) => {
        const a = ctx.agent.args;
        const settings: RecordingSettings = {
          // Absolute, so the files registered for SupRsync carry absolute local paths.
          dataDir: resolve(a.dataDir), host: a.address, port: a.port, streamId: a.streamId, timePerFile: a.timePerFile,
          suprsyncDb: a.suprsyncDb, suprsyncArchive: a.suprsyncArchive, keyOrder: a.frameKeyOrder,
          instanceId: ctx.agent.instanceId,
        };
        logStart(ctx.log, settings);
        ctx.session.setStatus('running');
        await runRecording(settings, {
          session: ctx.session, signal: ctx.signal, log: ctx.log, state: ctx.agent.state,
          publish: (block) => ctx.agent.publish('detectors', block),
        });
        return [true, 'Finished Recording'];
      },
      stop: ({ session }: { session: OpSessionView }) => {
        session.setStatus('stopping');
      },
    },
    set_monitored_channels: {
      kind: 'task',
      blocking: false,
      docstring: 'Sets channels that the recorder should monitor.\n\nArgs\n-----\nchannels : List[Int], required\n    List of channel numbers to be monitored. A maximum of 6 channels can be monitored at a time.',
      start: async ({ params, agent }: OpContext<Record<string, unknown>, RecorderAgentState>) => {
        const channels = requiredParam(params, 'channels');
        if (!Array.isArray(channels) || !channels.every((c) => Number.isInteger(c))) {
          throw new TypeError('channels must be a list of integers');
        }
        if (channels.length > MAX_MONITORED_CHANNELS) return [false, 'Cannot monitor more than 6 channels'];
        agent.state.monitoredChannels = channels as number[];
        return [true, `Set monitored channels to [${channels.join(', ')}]`];
      },
    },
    set_target_rate: {
      kind: 'task',
      blocking: false,
      docstring: 'Sets the target sample rate for monitored channels.\n\nArgs\n-----\ntarget_rate : float, required\n    Target rate after downsampling for monitored channels in Hz. Max target rate is 10 Hz.',
      start: async ({ params, agent }: OpContext<Record<string, unknown>, RecorderAgentState>) => {
        const rate = requiredParam(params, 'target_rate');
        if (typeof rate !== 'number') throw new TypeError('target_rate must be a number');
        if (rate > MAX_TARGET_RATE) return [false, 'Max target rate is 10 Hz'];
        agent.state.targetRate = rate;
        return [true, `Set target sampling rate to ${rate}`];
      },
    },
  }),
});

/** compat: Python indexes `params[key]`, so a missing key fails the task with a KeyError. */
function requiredParam(params: unknown, key: string): unknown {
  const p = (params ?? {}) as Record<string, unknown>;
  if (!(key in p)) throw new Error(`KeyError: '${key}'`);
  return p[key];
}

function logStart(log: Logger, s: RecordingSettings): void {
  log.info({ dataDir: s.dataDir }, `Data directory set to ${s.dataDir}`);
  log.info({ timePerFile: s.timePerFile }, `New file every ${s.timePerFile} seconds`);
  log.info({ host: s.host, port: s.port }, `Listening to tcp://${s.host}:${s.port}`);
}
