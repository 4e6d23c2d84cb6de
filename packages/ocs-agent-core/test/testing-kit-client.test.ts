/**
 * Review item: the testing kit gave no way to drive agents with OCSClient. It re-exports OCSClient
 * (and ControlClientError) and documents the pattern for startAgent and spawnAgent.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ControlClientError, OCSClient, spawnAgent, startAgent, startRouter, tmpDir, writeSiteConfig } from '../src/testing/index.js';
import { fakeDataAgent } from './helpers.js';

type FakeOps = { delay_task: 'task'; set_heartbeat: 'task'; acq: 'process'; count: 'process' };
const BIN = resolve(import.meta.dirname, '../../../examples/fake-data/bin/fake-data-agent.ts');

describe('testing kit + OCSClient', () => {
  it('startAgent with --site none: OCSClient over the HTTP bridge and over WAMP', async () => {
    await using router = await startRouter();
    await using agent = await startAgent(fakeDataAgent, ['--site', 'none', '--site-hub', router.url, '--instance-id', 'kit1']);
    await using http = await OCSClient.connect<FakeOps>('kit1', { site: 'none', siteHttp: router.httpUrl });
    const reply = await http.ops.delay_task.start({ delay: 0 });
    expect([reply.status, reply.msg]).toEqual([0, 'Started task "delay_task".']);
    const done = await http.ops.delay_task.wait();
    expect(done.status).toBe(0);
    await using wamp = await OCSClient.connect<FakeOps>('kit1', { transport: 'wamp', site: 'none', siteHub: router.url, realm: 'test_realm' });
    expect(await wamp.management('get_agent_class')).toBe('FakeDataAgent');
    expect(wamp.address).toBe(agent.address);
    await expect(OCSClient.connect('nobody', { site: 'none', siteHttp: router.httpUrl })).rejects.toBeInstanceOf(ControlClientError);
  });

  it('spawnAgent with a writeSiteConfig file: OCSClient from the same file', async () => {
    await using router = await startRouter();
    await using dir = tmpDir();
    const site = writeSiteConfig(dir.path, { hubUrl: router.url, httpUrl: router.httpUrl, instances: [{ agentClass: 'FakeDataAgent', instanceId: 'kit2' }] });
    await using proc = await spawnAgent(BIN, ['--site-file', site, '--instance-id', 'kit2']);
    await using client = await OCSClient.connect<FakeOps>('kit2', { siteFile: site });
    expect(client.api.processes.map((p) => p[0])).toEqual(['acq', 'count']);
    expect(await client.ops.acq.status()).toEqual({ status: 0, msg: 'No session active.', session: {} });
    expect(proc.proc.exitCode).toBeNull();
  });
});
