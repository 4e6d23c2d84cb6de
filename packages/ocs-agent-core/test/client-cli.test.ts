// The `ocs-client` CLI, spawned the way operators run it, against the real fake-data agent on a
// real router: scan, api, call, listen, status, watch, and its exit codes.
import { execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { AgentDefinition } from '../src/index.js';
import { startAgent, startRouter, tmpDir, waitFor, writeSiteConfig, type TestRouter, type TmpDir } from '../src/testing/index.js';
import { OCSClient } from '../src/client/index.js';

const fakeDataUrl = pathToFileURL(resolve(import.meta.dirname, '../../../examples/fake-data/src/agent.ts')).href;
const { fakeDataAgent } = (await import(fakeDataUrl)) as { fakeDataAgent: AgentDefinition<Record<string, z.ZodType>, { job: string | null }> };

const repoRoot = resolve(import.meta.dirname, '../../..');
const bin = resolve(repoRoot, 'packages/ocs-agent-core/bin/ocs-client.ts');
const tsx = import.meta.resolve('tsx');

let router: TestRouter;
let dir: TmpDir;
let site: string;
let agent: { close(): Promise<unknown> };
let client: OCSClient;

beforeAll(async () => {
  router = await startRouter();
  dir = tmpDir();
  site = writeSiteConfig(dir.path, { hubUrl: router.url, httpUrl: router.httpUrl, instances: [{ agentClass: 'FakeDataAgent', instanceId: 'faker' }] });
  agent = await startAgent(fakeDataAgent, ['--site-file', site, '--instance-id', 'faker']);
  client = await OCSClient.connect('faker', { siteFile: site });
});
afterAll(async () => {
  await client?.close();
  await agent?.close();
  await router?.close();
  await dir?.[Symbol.asyncDispose]();
});

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<CliRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--conditions=source', '--import', tsx, bin, '--site-file', site, ...args],
      { cwd: repoRoot, env: { PATH: process.env.PATH, HOME: dir.path }, timeout: 30_000 },
      (err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe('ocs-client CLI', () => {
  it('scan lists agents heard on the heartbeat wildcard', async () => {
    const [json, text] = await Promise.all([cli('--json', 'scan', '--duration', '3'), cli('scan', '--duration', '3')]);
    expect(json.code).toBe(0);
    const { agents } = JSON.parse(json.stdout) as { agents: { instance_id: string; agent_class: string; op_codes: Record<string, number> }[] };
    expect(agents.map((a) => a.instance_id)).toEqual(['faker']);
    expect(agents[0]!.agent_class).toBe('FakeDataAgent');
    expect(Object.keys(agents[0]!.op_codes).sort()).toEqual(['acq', 'count', 'delay_task', 'set_heartbeat']);
    expect(text.stdout).toMatch(/^faker\s+FakeDataAgent\s+.*acq=NONE/m);
  });

  it('api prints ops and feeds; --json prints get_api', async () => {
    const [text, json] = await Promise.all([cli('api', 'faker'), cli('--json', 'api', 'faker')]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('observatory.faker  agent_class=FakeDataAgent');
    expect(text.stdout).toMatch(/delay_task\s+task\s+no\s+yes\s+1\s+/);
    expect(text.stdout).toMatch(/false_temperatures\s+true\s+\{"frame_length":60\}/);
    expect((JSON.parse(json.stdout) as { agent_class: string }).agent_class).toBe('FakeDataAgent');
  });

  it('call runs an op, parses YAML params and sets the exit code from the reply', async () => {
    const ok = await cli('call', 'faker', 'delay_task', 'call', '-p', 'delay=0.2', '-p', 'succeed=true');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('OK: Operation "delay_task" is currently not running (SUCCEEDED).');
    expect(ok.stdout).toMatch(/delay_task\[session=\d+\]: status=done, SUCCEEDED, took/);
    expect(ok.stdout).toContain('"requested_delay":0.2');
    expect(ok.stdout).toContain('Status is now "done".');
    const rejected = await cli('--json', '--transport', 'wamp', 'call', 'faker', 'delay_task', 'start', '-p', 'delay=abc');
    expect(rejected.code).toBe(1);
    expect(JSON.parse(rejected.stdout)).toEqual({ status: -1, msg: "Param 'delay'=abc is not of required type (<class 'float'>)", session: {} });
  });

  it('status prints a table', async () => {
    await client.task('delay_task').call({ delay: 0 });
    const status = await cli('status', 'faker');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^op\s+type\s+status\s+op_code\s+session\s+elapsed\s+last message$/m);
    expect(status.stdout).toMatch(/^count\s+process\s+idle\s+NONE/m);
    expect(status.stdout).toMatch(/^delay_task\s+task\s+done\s+SUCCEEDED/m);
  });

  it('watch follows an op from no session through running to done', async () => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', tsx, bin, '--site-file', site, 'watch', 'faker', 'count', '--interval', '0.1'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: dir.path },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await waitFor(() => out.includes('count: no session yet, waiting'), { timeout: 20_000 });
      await client.process('count').start();
      await waitFor(() => /count\[\d+\] running/.test(out), { timeout: 20_000 });
      await client.process('count').stop();
      expect(await exited).toBe(0);
      expect(out).toMatch(/count\[\d+\] done SUCCEEDED/);
      expect(out).toMatch(/counter=\d+/);
    } finally {
      child.kill();
    }
  });

  it('listen prints feed events (exact topic from the shorthand)', async () => {
    await client.process('acq').start();
    try {
      const run = await cli('--json', 'listen', 'faker.feeds.false_temperatures', '--count', '1', '--duration', '20');
      expect(run.code).toBe(0);
      const lines = run.stdout.trim().split('\n');
      expect(lines.length).toBe(1);
      const ev = JSON.parse(lines[0]!) as { topic: string; args: [[Record<string, unknown>, Record<string, unknown>]] };
      expect(ev.topic).toBe('observatory.faker.feeds.false_temperatures');
      expect(ev.args[0][1]).toMatchObject({ feed_name: 'false_temperatures', record: true });
      expect(Object.keys(ev.args[0][0])).toEqual(['temps']);
    } finally {
      await client.process('acq').stop();
      await client.process('acq').wait(10);
    }
  });

  it('reports router errors with exit 1 and usage errors with exit 2', async () => {
    const [missing, usage] = await Promise.all([cli('api', 'nope'), cli('call', 'faker', 'acq', 'explode')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('error: wamp.error.no_such_procedure no callee registered for procedure <observatory.nope>');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Unknown action "explode"');
  });
});
