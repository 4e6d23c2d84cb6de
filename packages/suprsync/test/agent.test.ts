/**
 * The SupRsync agent on a real router (spec C1.1, C1.2, C1.25): startup process, session.data,
 * feeds, stop. Uses the core testing kit.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAgent, type FeedEvent } from '@smurf-ocs/ocs-agent-core';
import { httpCall, httpResult, startAgent, startRouter, tmpDir, waitFor, type TestRouter } from '@smurf-ocs/ocs-agent-core/testing';
import { FilesManager, suprsyncAgent } from '../src/index.js';
import { startSshd, type TestSshd } from './helpers/sshd.js';
import { writeFile } from './helpers/loop.js';

let router: TestRouter;
let sshd: TestSshd;
beforeAll(async () => { router = await startRouter(); sshd = await startSshd(); });
afterAll(async () => { await sshd?.close(); await router?.close(); });

type Session = { status: string; success: boolean | null; data: Record<string, any>; messages: [number, string][]; degraded?: boolean };
const ops = async (address: string, action: string, op = 'run'): Promise<Session> =>
  ((await httpResult(router.httpUrl, `${address}.ops`, [action, op, {}])) as [number, string, Session])[2];

function listener(topics: string[], events: FeedEvent[]) {
  return defineAgent({
    agentClass: 'Listener',
    setup: async ({ agent }) => { for (const t of topics) await agent.subscribe(t, (ev) => events.push(ev)); return {}; },
    ops: {},
  });
}

describe('SupRsync agent', () => {
  it('fresh start over ssh: creates the db, copies, publishes both feeds, stops cleanly', async () => {
    await using dir = tmpDir('suprsync-agent-');
    const dbPath = join(dir.path, 'dbs', 'sub', 's.db');
    mkdirSync(join(dir.path, 'remote'));
    const events: FeedEvent[] = [];
    const base = ['--site', 'none', '--site-hub', router.url, '--site-http', router.httpUrl];
    await using lis = await startAgent(listener(['observatory.sync1.feeds.archive_stats', 'observatory.sync1.feeds.transfer_stats'], events), [...base, '--instance-id', 'lis']);
    // register before the agent starts: the first iteration copies it
    const local = writeFile(join(dir.path, 'data', 'a.g3'), 'payload');
    const fm = FilesManager.open(dbPath);
    await fm.addFile({ localPath: local, remotePath: '17950/crate1slot2/a.g3', archiveName: 'timestreams' });
    fm.close();
    await using agent = await startAgent(suprsyncAgent, [...base, '--instance-id', 'sync1',
      '--archive-name', 'timestreams', '--remote-basedir', join(dir.path, 'remote', 'base'), '--db-path', dbPath,
      '--ssh-host', sshd.sshHost, '--ssh-port', String(sshd.port), '--ssh-key', sshd.keyPath, '--known-hosts', sshd.knownHostsPath,
      '--suprsync-file-root', join(dir.path, 'root'), '--sleep-time', '0.2', '--allowed-root', join(dir.path, 'data')]);
    const s = await waitFor(async () => { const x = await ops(agent.address, 'status'); return x.data.last_copy?.stop_time ? x : undefined; });
    expect(s.status).toBe('running');
    expect(s.data.last_copy.error_detail).toBeUndefined();
    expect(s.data.last_copy.files).toEqual([[local, true]]);
    expect(s.data.counters).toMatchObject({ copies: 1, errors_timeout: 0, errors_nonzero: 0, errors_sqlite: 0 });
    expect(s.data.archive_stats).toMatchObject({ num_files: 1, uncopied_files: 0, last_file_added: local, last_file_copied: local });
    expect(typeof s.data.timestamp).toBe('number');
    expect(readFileSync(join(dir.path, 'remote', 'base', '17950/crate1slot2/a.g3'), 'utf8')).toBe('payload');
    expect(existsSync(dbPath)).toBe(true);
    await waitFor(() => events.some((e) => e.topic.endsWith('transfer_stats')) && events.some((e) => e.topic.endsWith('archive_stats')));
    const arch = events.find((e) => e.topic.endsWith('archive_stats'))!;
    expect(arch.feedInfo).toMatchObject({ agent_class: 'SupRsync', record: true, feed_name: 'archive_stats' });
    const block = (arch.message as Record<string, { data: Record<string, unknown[]> }>)['timestreams']!;
    expect(block.data).toMatchObject({ num_files: [1], uncopied_files: [0], last_file_added: [local] });
    const ts = events.find((e) => e.topic.endsWith('transfer_stats'))!;
    expect(ts.feedInfo?.agg_params).toEqual({ exclude_aggregator: true });
    expect(Object.keys((ts.message as Record<string, { data: object }>)['block0']!.data).sort())
      .toEqual(['copies', 'errors_nonzero', 'errors_sqlite', 'errors_timeout', 'iterations']);
    // raw wire: counters are ints, times are floats
    const raw = (await httpCall(router.httpUrl, `${agent.address}.ops`, ['status', 'run', {}])).text;
    expect(raw).toMatch(/"iterations": ?\d+[,}]/);
    await ops(agent.address, 'stop');
    const done = await waitFor(async () => { const x = await ops(agent.address, 'status'); return x.status === 'done' ? x : undefined; });
    expect(done.success).toBe(true);
    expect(done.messages.map(([, m]) => m)).toContain('Stopped run process');
    void lis;
  });

  it('get_api: agent class, the run process at startup, both feeds', async () => {
    await using dir = tmpDir('suprsync-agent-');
    await using agent = await startAgent(suprsyncAgent, ['--site', 'none', '--site-hub', router.url, '--instance-id', 'sync2',
      '--archive-name', 'a', '--remote-basedir', join(dir.path, 'dest'), '--db-path', join(dir.path, 's.db'),
      '--suprsync-file-root', join(dir.path, 'root'), '--sleep-time', '0.2']);
    const api = (await httpResult(router.httpUrl, agent.address, ['get_api'])) as { agent_class: string; processes: [string, unknown][]; feeds: [string, Record<string, unknown>][] };
    expect(api.agent_class).toBe('SupRsync');
    expect(api.processes.map(([n]) => n)).toEqual(['run']);
    expect(api.feeds.map(([n]) => n).sort()).toEqual(['archive_stats', 'heartbeat', 'transfer_stats']);
    const s = await waitFor(async () => { const x = await ops(agent.address, 'status'); return x.data.last_copy?.stop_time ? x : undefined; });
    expect(s.data.last_copy.files).toEqual([]);
    expect(s.data.archive_stats).toMatchObject({ num_files: 0, uncopied_files: 0, last_file_added: '', last_file_copied: '' });
  });
});
