/**
 * The SmurfRecorder agent in-process against our router and a G3NetworkSender fed with the
 * fixture simulator frames, over real sockets (spec C2.2, C2.3, C2.11, C2.16, C2.17, C2.20, C2.22).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { decodeFrames } from '@smurf-ocs/g3-frame';
import { startAgent, startRouter, type TestRouter } from '@smurf-ocs/ocs-agent-core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { smurfRecorderAgent } from '../../src/index.js';
import { aliveSender, ops, recordData, simFrames } from '../agent-helpers.js';
import { fixturesDir, listFiles, tempDir, waitFor } from '../helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let router: TestRouter;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  router = await startRouter();
});
afterEach(async () => {
  await router.close();
  await cleanup();
});

const argv = (port: number, extra: string[] = []): string[] => [
  '--site', 'none', '--site-hub', router.url, '--instance-id', 'rec',
  '--data-dir', path.join(dir, 'data'), '--address', '127.0.0.1', '--port', String(port), '--auto-start', 'True', ...extra,
];
const g3Files = async (): Promise<string[]> => (await listFiles(path.join(dir, 'data'))).filter((f) => f.endsWith('.g3'));
const read = (rel: string): Promise<Buffer> => readFile(path.join(dir, 'data', rel));

describe('SmurfRecorder agent', () => {
  it('records the simulator stream byte-identical to socs and registers it in SupRsync (C2.2)', async () => {
    const s = await aliveSender();
    const db = path.join(dir, 'suprsync.db');
    await using agent = await startAgent(smurfRecorderAgent, argv(s.sender.port, ['--suprsync-db', db]));
    const A = agent.address;
    await waitFor(async () => ((await recordData(router.httpUrl, A)).frames_received as number) > 0, 20_000, 'receiving');
    const f = simFrames();
    for (const fr of [f.start, f.obs, f.alive, f.scans[0]!, f.alive, f.scans[1]!, f.alive, f.scans[2]!, f.end, f.cleanseO, f.cleanseW]) s.sender.send(fr);
    const data = await waitFor(async () => {
      const d = await recordData(router.httpUrl, A);
      return (d.files_closed as number) >= 1 && (d.suprsync as { registered: number }).registered >= 1 ? d : null;
    }, 20_000, 'file closed and registered');
    expect(data).toMatchObject({ frames_written: 4, bytes_written: 2728, current_file: null, stream_errors: 0, connection: 'connected' });
    const [file] = await g3Files();
    expect(file).toMatch(/^\d{5}\/stream_sim\/\d{10}_000\.g3$/);
    const bytes = await read(file!);
    expect(bytes.equals(readFileSync(path.join(fixturesDir, 'smurf_sim_recorded.g3')))).toBe(true);
    const conn = new Database(db, { readonly: true });
    const rows = conn.prepare('SELECT * FROM supersync_v0').all() as Array<Record<string, unknown>>;
    const tcdirs = conn.prepare('SELECT * FROM timecode_dirs_v0').all() as Array<Record<string, unknown>>;
    conn.close();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      local_path: path.join(dir, 'data', file!), remote_path: file, archive_name: 'timestreams',
      local_md5sum: createHash('md5').update(bytes).digest('hex'), failed_copy_attempts: 0, deletable: 1, ignore: 0,
    });
    expect(tcdirs).toMatchObject([{ timecode: Number(file!.slice(0, 5)), archive_name: 'timestreams' }]);
    const stop = await ops(router.httpUrl, A, ['stop', 'record', {}]);
    expect(stop[0]).toBe(0);
    const done = await ops(router.httpUrl, A, ['wait', 'record', { timeout: 10 }]);
    expect(done[2]).toMatchObject({ status: 'done', success: true });
    expect(JSON.stringify(done[2].messages)).toContain('Finished Recording');
    await s.stop();
  });

  it('a late joiner records from the replayed Observation; after END it records nothing (C2.22)', async () => {
    const s = await aliveSender();
    const f = simFrames();
    for (const fr of [f.start, f.obs, f.alive, f.scans[0]!]) s.sender.send(fr);
    await using agent = await startAgent(smurfRecorderAgent, argv(s.sender.port));
    await waitFor(async () => (await recordData(router.httpUrl, agent.address)).files_opened === 1, 20_000, 'file from replayed obs');
    s.sender.send(f.scans[1]!);
    for (const fr of [f.end, f.cleanseO, f.cleanseW]) s.sender.send(fr);
    await waitFor(async () => (await recordData(router.httpUrl, agent.address)).files_closed === 1, 20_000, 'closed');
    const frames = decodeFrames(await read((await g3Files())[0]!));
    expect(frames.map((x) => x.typeName)).toEqual(['Observation', 'Scan']);
    expect(frames[1]!.getInt('frame_num')).toBe(1n);
    // A second recorder joining now gets ALIVE, CLEANSE O, CLEANSE W: no file.
    await using late = await startAgent(smurfRecorderAgent, [...argv(s.sender.port).map((a) => (a === 'rec' ? 'rec2' : a)), '--data-dir', path.join(dir, 'late')]);
    const lateData = await waitFor(async () => {
      const d = await recordData(router.httpUrl, late.address);
      return (d.frames_received as number) >= 4 ? d : null;
    }, 20_000, 'late frames');
    expect(lateData).toMatchObject({ files_opened: 0, frames_written: 0, frames_dropped: lateData.frames_received });
    await s.stop();
  });

  it('reconnects after a sender restart and starts a new acquisition (C2.11)', async () => {
    let s = await aliveSender();
    const port = s.sender.port;
    await using agent = await startAgent(smurfRecorderAgent, argv(port));
    const A = agent.address;
    await waitFor(async () => ((await recordData(router.httpUrl, A)).frames_received as number) > 0, 20_000, 'receiving');
    const f = simFrames();
    for (const fr of [f.start, f.obs, f.scans[0]!]) s.sender.send(fr);
    await waitFor(async () => (await recordData(router.httpUrl, A)).frames_written === 2, 20_000, 'written');
    await s.stop();
    await waitFor(async () => ((await recordData(router.httpUrl, A)).connect_failures as number) >= 1, 20_000, 'connect failure');
    s = await aliveSender(port);
    await waitFor(async () => ((await recordData(router.httpUrl, A)).connects as number) >= 2, 20_000, 'reconnected');
    for (const fr of [f.start, f.obs, f.scans[1]!]) s.sender.send(fr);
    // The new file starts with the previous Observation (last_meta survives a reconnect, C2.10).
    await waitFor(async () => (await recordData(router.httpUrl, A)).frames_written === 5, 20_000, 'written again');
    await ops(router.httpUrl, A, ['stop', 'record', {}]);
    await ops(router.httpUrl, A, ['wait', 'record', { timeout: 10 }]);
    const files = await g3Files();
    expect(files).toHaveLength(2);
    const types = await Promise.all(files.map(async (file) => decodeFrames(await read(file)).map((x) => x.typeName)));
    expect(types).toEqual([['Observation', 'Scan'], ['Observation', 'Observation', 'Scan']]);
    await s.stop();
  });

  it('rotates files by --time-per-file with the Observation on top (C2.3)', async () => {
    const s = await aliveSender();
    await using agent = await startAgent(smurfRecorderAgent, argv(s.sender.port, ['--time-per-file', '1']));
    const A = agent.address;
    await waitFor(async () => ((await recordData(router.httpUrl, A)).frames_received as number) > 0, 20_000, 'receiving');
    const f = simFrames();
    s.sender.send(f.start);
    s.sender.send(f.obs);
    for (let i = 0; i < 10; i++) {
      s.sender.send(f.scans[i % 3]!);
      await new Promise((r) => setTimeout(r, 400));
    }
    s.sender.send(f.end);
    await waitFor(async () => ((await recordData(router.httpUrl, A)).files_closed as number) >= 3, 20_000, '3 files');
    const files = await g3Files();
    const base = files[0]!.replace(/_000\.g3$/, '');
    expect(files).toEqual(files.map((_, k) => `${base}_${String(k).padStart(3, '0')}.g3`));
    for (const file of files) expect(decodeFrames(await read(file))[0]!.typeName).toBe('Observation');
    await s.stop();
  });

  it('keeps running, degraded, when the data dir cannot be written (C2.17)', async () => {
    const s = await aliveSender();
    const blocked = path.join(dir, 'file-not-dir');
    await (await import('node:fs/promises')).writeFile(blocked, '');
    await using agent = await startAgent(smurfRecorderAgent, [...argv(s.sender.port), '--data-dir', path.join(blocked, 'data')]);
    const A = agent.address;
    await waitFor(async () => ((await recordData(router.httpUrl, A)).frames_received as number) > 0, 20_000, 'receiving');
    const f = simFrames();
    for (const fr of [f.start, f.obs, f.scans[0]!]) s.sender.send(fr);
    const st = await waitFor(async () => {
      const r = await ops(router.httpUrl, A, ['status', 'record', {}]);
      return (r[2].data as { write_errors: number }).write_errors >= 2 && r[2].degraded === true ? r : null;
    }, 20_000, 'write errors');
    expect(st[2]).toMatchObject({ status: 'running' });
    expect((st[2].data as { last_error: { code: string } }).last_error.code).toBe('SMURF_RECORDER_ERR_WRITE');
    expect(await listFiles(path.join(dir))).toEqual(['file-not-dir']);
    await s.stop();
  });

  it('publishes downsampled monitored channels on the detectors feed (C2.20)', async () => {
    const s = await aliveSender();
    await using agent = await startAgent(smurfRecorderAgent, argv(s.sender.port));
    await using listener = await startAgent(smurfRecorderAgent, [...argv(1, ['--auto-start', 'False']).map((a) => (a === 'rec' ? 'listener' : a))]);
    const blocks: Array<Record<string, unknown>> = [];
    await listener.handle.subscribe(`${agent.address}.feeds.detectors`, (ev) => void blocks.push(ev.message as Record<string, unknown>));
    await ops(router.httpUrl, agent.address, ['start', 'set_monitored_channels', { channels: [0, 1] }]);
    await waitFor(async () => ((await recordData(router.httpUrl, agent.address)).frames_received as number) > 0, 20_000, 'receiving');
    const f = simFrames();
    for (const fr of [f.start, f.obs, ...f.scans]) s.sender.send(fr);
    // Record-feed messages are {block_name: block}; r0000 and r0001 each get the 10 samples of a Scan.
    await waitFor(() => {
      const names = new Set(blocks.flatMap((m) => Object.keys(m)));
      return names.has('r0000') && names.has('r0001');
    }, 20_000, 'detectors blocks');
    const first = blocks.find((m) => 'r0000' in m)!.r0000 as { block_name: string; timestamps: number[]; data: { r0000: number[] } };
    expect(first.block_name).toBe('r0000');
    expect(first.timestamps).toHaveLength(10);
    expect(first.timestamps[0]).toBe(1600000000);
    expect(first.data.r0000).toHaveLength(10);
    expect(blocks.some((m) => 'r0002' in m)).toBe(false);
    await s.stop();
  });

  it('validates the monitoring tasks as Python (C2.20)', async () => {
    await using agent = await startAgent(smurfRecorderAgent, argv(1, ['--auto-start', 'False']));
    const A = agent.address;
    const run = async (op: string, params: Record<string, unknown>): Promise<Record<string, unknown>> => {
      await ops(router.httpUrl, A, ['start', op, params]);
      return (await ops(router.httpUrl, A, ['wait', op, { timeout: 5 }]))[2];
    };
    const bad = await run('set_monitored_channels', { channels: [0, 1, 2, 3, 4, 5, 6] });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.messages)).toContain('Cannot monitor more than 6 channels');
    const ok = await run('set_monitored_channels', { channels: [0, 1] });
    expect(JSON.stringify(ok.messages)).toContain('Set monitored channels to [0, 1]');
    const fast = await run('set_target_rate', { target_rate: 20 });
    expect(fast.success).toBe(false);
    expect(JSON.stringify(fast.messages)).toContain('Max target rate is 10 Hz');
    const missing = await run('set_target_rate', {});
    expect(missing.success).toBe(false);
    expect(agent.handle.state.monitoredChannels).toEqual([0, 1]);
  });
});
