/**
 * wamp-codec on the router's hot path: decode (lossless) + encode of typical OCS WAMP messages,
 * against the built-in JSON.parse/JSON.stringify as the baseline (which cannot keep 5.0 a float
 * or read NaN tokens, so it is a speed reference only).
 *
 * Messages: a get_api YIELD (~6 kB, strings and nested dicts) and a record-feed PUBLISH with
 * 400 float samples (numbers dominate). Prints ops/s and MB/s per codec.
 */
import { serializers } from '../packages/wamp-codec/src/index.js';

function getApiYield(): unknown[] {
  const session = { session_id: 3, op_name: 'delay_task', op_code: 5, cred_level: 1, status: 'done', degraded: false, success: true, start_time: 1700000100.25, end_time: 1700000101.27, data: { requested_delay: 1.5, delay_so_far: 1.01 }, messages: [[1700000100.25, 'Status is now "starting".'], [1700000100.26, 'Status is now "running".'], [1700000101.27, 'Status is now "done".']] };
  const op = { blocking: false, abortable: true, docstring: 'delay_task(delay=5, succeed=True)\n\n        **Task** (abortable) - Sleep (delay) for the requested number of seconds.'.repeat(3), op_type: 'task', min_privs: 1 };
  const feed = { agent_address: 'observatory.faker', agg_params: { frame_length: 60 }, feed_name: 'false_temperatures', address: 'observatory.faker.feeds.false_temperatures', record: true, session_id: '1700000000.123456', agent_class: 'FakeDataAgent' };
  const tasks = Array.from({ length: 6 }, (_, i) => [`task_${i}`, session, op]);
  return [70, 123456789, {}, [{ agent_class: 'FakeDataAgent', instance_hostname: 'ocs-docker', instance_pid: 17, feeds: [['false_temperatures', feed], ['heartbeat', feed]], processes: tasks.slice(0, 2), tasks, access_control: { version: 1, policy: 'none', update_timestamp: 1700000000.1, update_count: 0, step: 0 } }]];
}

function feedPublish(): unknown[] {
  const n = 100;
  const fields = Object.fromEntries(['channel_00', 'channel_01', 'channel_02', 'channel_03'].map((k, j) => [k, Array.from({ length: n }, (_, i) => 0.1 * i + j + 0.001)]));
  const timestamps = Array.from({ length: n }, (_, i) => 1700000000.123 + i * 0.01);
  return [16, 42, {}, 'observatory.faker.feeds.false_temperatures', [[{ temps: { block_name: 'temps', data: fields, timestamps } }, { agent_address: 'observatory.faker', feed_name: 'false_temperatures', record: true }]]];
}

function bench(label: string, fn: () => void, bytes: number): void {
  for (let i = 0; i < 200; i++) fn();
  let n = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < 1e9) {
    for (let i = 0; i < 100; i++) fn();
    n += 100;
    elapsed = Number(process.hrtime.bigint() - start);
  }
  const ops = (n * 1e9) / elapsed;
  process.stdout.write(`  ${label.padEnd(34)} ${ops.toFixed(0).padStart(8)} ops/s  ${((ops * bytes) / 1e6).toFixed(1).padStart(7)} MB/s\n`);
}

for (const [name, msg] of [['get_api YIELD', getApiYield()], ['record-feed PUBLISH', feedPublish()]] as const) {
  const baseline = JSON.stringify(msg);
  process.stdout.write(`${name} (${baseline.length} bytes as JSON)\n`);
  bench('JSON.parse (baseline)', () => JSON.parse(baseline), baseline.length);
  bench('JSON.stringify (baseline)', () => JSON.stringify(msg), baseline.length);
  for (const s of Object.values(serializers)) {
    const frame = s.encode(msg);
    const size = typeof frame === 'string' ? frame.length : frame.byteLength;
    bench(`${s.id} decode (lossless)`, () => s.decode(frame, { lossless: true }), size);
    bench(`${s.id} encode`, () => s.encode(msg), size);
  }
}
