/**
 * TypeScript port of the OCS FakeDataAgent (ocs/agents/fake_data/agent.py): process `acq`
 * publishes fake temperatures on the record feed `false_temperatures`, process `count` counts
 * seconds, task `set_heartbeat` toggles the heartbeat, task `delay_task` sleeps. Op names,
 * params, docstrings, `blocking` flags and the session.data shapes match the Python agent.
 */
import { defineAgent, float, param, type OpContext, type StopContext } from '@smurf-ocs/ocs-agent-core';
import { z } from 'zod';
import { ACQ_DOC, DELAY_TASK_DOC, SET_HEARTBEAT_DOC } from './docstrings.js';

/** Mutable agent state: the exclusive-job marker of the Python agent. */
export interface FakeDataState {
  /** `null`, `'acq'` while acquiring, `'!acq'` when a stop was requested. */
  job: string | null;
}

/** ctime in seconds with sub-millisecond resolution (Python `time.time()`). */
const now = (): number => (performance.timeOrigin + performance.now()) / 1000;

/** Agent flags, as `add_agent_args` of the Python agent. */
const args = {
  mode: z.enum(['idle', 'acq']).default('idle').describe('Startup mode: "acq" starts acq and count on startup.'),
  'num-channels': z.number().int().default(2).describe('Number of fake readout channels to produce. Channels are co-sampled.'),
  'sample-rate': z.number().default(9.5).describe('Frequency at which to produce data.'),
  'frame-length': z.number().int().default(60).describe('Frame length to pass to the aggregator parameters.'),
};

type Ctx = OpContext<Record<string, unknown>, FakeDataState>;

/** One report of `acq`: the sample times and per-channel values of the last interval. */
function makeBundle(t0: number, n: number, rate: number, levels: number[], names: string[]): { t: number[]; data: Record<string, number[]> } {
  const t = Array.from({ length: n }, (_v, i) => t0 + i / rate);
  for (let i = 0; i < levels.length; i++) levels[i] = (levels[i] ?? 0.1) + (Math.random() * 2 - 1) * 0.003;
  const data: Record<string, number[]> = {};
  names.forEach((c, i) => (data[c] = t.map(() => (levels[i] ?? 0.1) + (Math.random() * 2 - 1) * 0.002)));
  return { t, data };
}

async function acq(ctx: Ctx, names: string[], rate: number): Promise<readonly [boolean, string]> {
  const { agent, session, params, sleep, log } = ctx;
  const state = agent.state;
  if (state.job !== null) return [false, `Conflict: "${state.job}" is already running.`];
  state.job = 'acq';
  const levels = names.map(() => 0.1);
  const interval = 1;
  let nextTimestamp = now();
  let nextReport = nextTimestamp + interval;
  const period = params.degradation_period as number | undefined | null;
  let nextFlip: number | null = period === null || period === undefined ? null : 0;
  log.info('Starting acquisition');
  while (state.job === 'acq') {
    const t = now();
    if (nextFlip !== null && t > nextFlip) {
      session.degraded = !session.degraded;
      nextFlip = t + (period ?? 0);
    }
    const delay = nextReport - t;
    if (delay > 0) {
      await sleep(Math.min(delay, 1) * 1000);
      continue;
    }
    if (delay / interval < -3) {
      log.info(`Got way behind in reporting: ${delay.toFixed(1)} seconds. Dropping fake data.`);
      nextTimestamp = t;
      nextReport = nextTimestamp + interval;
      continue;
    }
    const n = Math.floor((nextReport - nextTimestamp) * rate);
    nextReport += interval;
    if (n <= 0) {
      await sleep(100);
      continue;
    }
    const bundle = makeBundle(nextTimestamp, n, rate, levels, names);
    nextTimestamp += n / rate;
    agent.publish('false_temperatures', { block_name: 'temps', timestamps: bundle.t, data: bundle.data });
    const fields: Record<string, number> = {};
    for (const c of names) fields[c] = bundle.data[c]?.at(-1) ?? NaN;
    session.data = { ...session.data, fields, timestamp: float(bundle.t.at(-1) ?? t) };
    if (params.test_mode === true) break;
  }
  agent.flush('false_temperatures');
  state.job = null;
  return [true, 'Acquisition exited cleanly.'];
}

function stopAcq({ agent, session }: StopContext<FakeDataState>): void {
  if (agent.state.job === 'acq') {
    session.setStatus('stopping');
    agent.state.job = '!acq';
  }
}

async function countSeconds({ session, sleep }: Ctx): Promise<readonly [boolean, string]> {
  const data: Record<string, unknown> = { counter: 0, last_update: float(now()) };
  session.data = data;
  while (session.status === 'running') {
    await sleep(1000);
    data.last_update = float(now());
    data.counter = (data.counter as number) + 1;
  }
  return [true, 'Exited on request.'];
}

async function delayTask({ params, session, sleep }: Ctx): Promise<readonly [boolean, string]> {
  const delay = params.delay as number;
  const succeed = params.succeed === true;
  const data: Record<string, unknown> = { requested_delay: float(delay), delay_so_far: 0 };
  session.data = data;
  const t0 = now();
  let soFar = 0;
  while (session.status === 'running') {
    soFar = now() - t0;
    data.delay_so_far = float(soFar);
    const sleepTime = Math.min(0.5, delay - soFar);
    if (sleepTime < 0) break;
    await sleep(sleepTime * 1000);
  }
  if (session.status !== 'running') return [false, `Aborted after ${soFar.toFixed(1)} seconds`];
  return [succeed, `Exited after ${soFar.toFixed(1)} seconds`];
}

/** The FakeDataAgent definition (`agent_class` `FakeDataAgent`). */
export const fakeDataAgent = defineAgent({
  agentClass: 'FakeDataAgent',
  summary: 'Fake data agent: publishes fake temperatures for testing OCS.',
  args,
  feeds: (a) => ({
    false_temperatures: { record: true, aggParams: { frame_length: a.frameLength }, bufferTime: 1 },
  }),
  setup: (): FakeDataState => ({ job: null }),
  ops: (a) => {
    const names = Array.from({ length: a.numChannels }, (_v, i) => `channel_${String(i).padStart(2, '0')}`);
    const rate = Math.max(1e-6, a.sampleRate);
    const startup = a.mode === 'acq';
    return {
      acq: {
        kind: 'process',
        blocking: true,
        startup,
        docstring: ACQ_DOC,
        params: { decls: { degradation_period: param.float({ default: null }), test_mode: param.bool({ default: false }) } },
        start: (ctx: Ctx) => acq(ctx, names, rate),
        stop: stopAcq,
      },
      count: { kind: 'process', blocking: false, startup, docstring: null, start: countSeconds, stop: ({ session }) => session.setStatus('stopping') },
      set_heartbeat: {
        kind: 'task',
        blocking: true,
        docstring: SET_HEARTBEAT_DOC,
        params: { decls: { heartbeat: param.bool({ default: true }) } },
        start: async ({ params, agent, log }: Ctx) => {
          const on = params.heartbeat === true;
          agent.setHeartbeat(on);
          log.info(`Setting heartbeat_on: ${on ? 'True' : 'False'}...`);
          return [true, `Set heartbeat_on: ${on ? 'True' : 'False'}`];
        },
      },
      delay_task: {
        kind: 'task',
        blocking: false,
        docstring: DELAY_TASK_DOC,
        params: { decls: { succeed: param.bool({ default: true }), delay: param.float({ default: 5, check: (x) => x >= 0 }) } },
        start: delayTask,
        abort: ({ session }) => {
          if (session.status === 'running') session.setStatus('stopping');
        },
      },
    };
  },
});
