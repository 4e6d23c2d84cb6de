/**
 * SmurfStreamSimulator: stands in for a SMuRF streamer (suprsync-recorder.md §B7,
 * g3-format.md §6.1). Process `stream` listens with a G3NetworkSender and sends START, an
 * Observation frame, then ALIVE + Scan per frame period; tasks `start`/`stop` begin and end data
 * streams (END + CLEANSE frames) while keep-alives continue. No feeds.
 */
import { defineAgent, float, param, type OpContext, type ParsedArgs, type StopContext, type WampFloat } from '@smurf-ocs/ocs-agent-core';
import { G3NetworkSender } from '@smurf-ocs/g3-frame';
import { simulatorArgs } from './args.js';
import { STOP_DOC, START_DOC, STREAM_DOC } from './docstrings.js';
import { samplesPerFrame } from './frames.js';
import { StreamLoop } from './stream.js';

type Args = ParsedArgs<typeof simulatorArgs>;

/** Agent state: the running stream (if any) and its sender. */
export interface SimulatorState {
  run: { loop: StreamLoop; sender: G3NetworkSender } | undefined;
}

/** `session.data` of the `stream` process (refreshed once a second and at the end). */
export interface StreamSessionData {
  /** True between START and END. */
  streaming: boolean;
  /** `frame_num` of the next Scan frame. */
  frame_num: number;
  /** Frames sent, by kind (alive, start, observation, scan, end, cleanse). */
  frames_sent: Record<string, number>;
  /** Connected readers. */
  clients: number;
  /** Bound TCP port. */
  port: number;
  num_chans: number;
  /** Hz, a float on the wire. */
  frame_rate: WampFloat;
  /** Hz, a float on the wire. */
  sample_rate: WampFloat;
  samples_per_frame: number;
  /** ctime of the first sample of the last Scan frame (float), or null. */
  last_scan_time: WampFloat | null;
  /** ctime of this update (float). */
  timestamp: WampFloat;
}

type Ctx = OpContext<Record<string, unknown>, SimulatorState, Args>;

/** Hard-stop fallback: how long a graceful shutdown may take after the agent closes. */
const SHUTDOWN_GRACE_MS = 5_000;

function streamData(loop: StreamLoop, sender: G3NetworkSender, shape: { numChans: number; frameRate: number; sampleRate: number }): StreamSessionData {
  const s = loop.stats;
  return {
    streaming: s.streaming,
    frame_num: s.frameNum,
    frames_sent: { ...s.framesSent },
    clients: sender.clientCount,
    port: sender.port,
    num_chans: shape.numChans,
    frame_rate: float(shape.frameRate),
    sample_rate: float(shape.sampleRate),
    samples_per_frame: samplesPerFrame(shape),
    last_scan_time: s.lastScanStart === null ? null : (float(s.lastScanStart)),
    timestamp: float(Date.now() / 1000),
  };
}

async function stream(ctx: Ctx): Promise<readonly [boolean, string]> {
  const { agent, session, log, signal } = ctx;
  const args = agent.args;
  if (agent.state.run) return [false, 'Stream is already running'];
  const shape = { numChans: args.numChans, frameRate: ctx.params.frame_rate as number, sampleRate: ctx.params.sample_rate as number };
  const sender = await openSender(args);
  const loop = new StreamLoop(sender, { ...shape, streamId: args.streamId, log });
  agent.state.run = { loop, sender };
  if (args.targetHost === '*') log.info({ port: sender.port, host: args.bindAddress, ...shape }, 'G3NetworkSender listening');
  else log.info({ port: args.port, host: args.targetHost, ...shape }, 'G3NetworkSender connected');
  const refresh = (): void => void (session.data = { ...streamData(loop, sender, shape) });
  refresh();
  const timer = setInterval(refresh, 1000);
  // Agent shutdown without a stop request: end the stream gracefully (END), then hard-stop.
  const hard = new AbortController();
  const onAbort = (): void => {
    loop.queue.requestShutdown(loop.streaming);
    setTimeout(() => hard.abort(), SHUTDOWN_GRACE_MS).unref();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await loop.run(hard.signal);
  } finally {
    signal.removeEventListener('abort', onAbort);
    clearInterval(timer);
    refresh();
    agent.state.run = undefined;
    await closeSender(sender);
  }
  return [true, 'Finished streaming'];
}

/**
 * Python: `G3NetworkSender(hostname=target_host, port)`: `'*'` listens (here on `--bind-address`),
 * any other host is connected to (a reader listening with `tcp://*:port`).
 * @throws G3ConnectError if the port cannot be bound or nobody listens at the target
 */
function openSender(args: Args): Promise<G3NetworkSender> {
  const maxQueueSize = args.maxQueueSize;
  if (args.targetHost === '*') return G3NetworkSender.listen({ port: args.port, host: args.bindAddress, maxQueueSize });
  return G3NetworkSender.connect({ host: args.targetHost, port: args.port, maxQueueSize });
}

/** Flush and close; destroy if a slow reader holds it up. */
async function closeSender(sender: G3NetworkSender): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_GRACE_MS)));
  await Promise.race([sender.close(), timeout]);
  clearTimeout(timer);
  sender.destroy();
}

function stopStream({ agent, session }: StopContext<SimulatorState, Args>): void {
  const run = agent.state.run;
  session.setStatus('stopping');
  run?.loop.queue.requestShutdown(run.loop.streaming);
}

function streamTask(which: 'start' | 'end') {
  return async ({ agent, params, log }: Ctx): Promise<readonly [boolean, string]> => {
    const run = agent.state.run;
    if (!run) return [false, 'The stream process is not running'];
    const force = params.force === true;
    if (force) log.debug({ which }, 'forced flow-control request');
    const q = run.loop.queue;
    if (which === 'start') q.requestStart(run.loop.streaming, force);
    else q.requestEnd(run.loop.streaming, force);
    return [true, which === 'start' ? 'Started stream' : 'Stopped stream'];
  };
}

const forceParam = { decls: { force: param.bool({ default: false }) }, noCheckStrays: true };

/** The SmurfStreamSimulator agent definition. */
export const smurfStreamSimulatorAgent = defineAgent({
  agentClass: 'SmurfStreamSimulator',
  summary: 'SMuRF stream simulator: serves simulated G3 frames (flow control, Observation, Scan) over TCP.',
  args: simulatorArgs,
  setup: (): SimulatorState => ({ run: undefined }),
  ops: (a: Args) => ({
    stream: {
      kind: 'process',
      blocking: true,
      startup: a.autoStart,
      docstring: STREAM_DOC,
      params: {
        decls: {
          frame_rate: param.float({ default: a.frameRate, check: (x) => x > 0 && Number.isFinite(x) }),
          sample_rate: param.float({ default: a.sampleRate, check: (x) => x > 0 && Number.isFinite(x) }),
        },
        noCheckStrays: true,
      },
      start: stream,
      stop: stopStream,
    },
    start: { kind: 'task', blocking: true, docstring: START_DOC, params: forceParam, start: streamTask('start') },
    stop: { kind: 'task', blocking: true, docstring: STOP_DOC, params: forceParam, start: streamTask('end') },
  }),
});
