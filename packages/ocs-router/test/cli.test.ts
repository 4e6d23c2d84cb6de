import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = path.join(repoRoot, 'packages/ocs-router/bin/ocs-router.ts');

interface Spawned {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  ready: Promise<{ url: string; httpUrl: string; realms: string[]; addressRoot: string }>;
}

/** Runs the CLI the way operators do (sources via tsx), parsing its pino JSON lines. */
function runCli(args: string[], env: Record<string, string> = {}): Spawned {
  const base = { ...process.env };
  for (const k of ['OCS_PORT', 'OCS_REALM', 'OCS_ADDRESS_ROOT', 'OCS_HOST', 'LOGLEVEL']) delete base[k];
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', bin, ...args], {
    cwd: repoRoot,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const lines: Record<string, unknown>[] = [];
  const ready = new Promise<Spawned['ready'] extends Promise<infer T> ? T : never>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>;
        buf = buf.slice(nl + 1);
        lines.push(line);
        if (line.msg === 'ocs-router ready') resolve(line as never);
      }
    });
    child.on('exit', (code) => reject(new Error(`ocs-router exited with ${code} before ready`)));
  });
  ready.catch(() => undefined); // tests that expect a failed start never await it
  return { child, lines, ready };
}

describe('ocs-router CLI', () => {
  it('starts from flags, serves the bridge, and closes cleanly on SIGTERM', async () => {
    const { child, ready, lines } = runCli(['--port', '0', '--host', '127.0.0.1', '--realm', 'r1', '--address-root', 'site']);
    const info = await ready;
    expect(info.realms).toEqual(['r1']);
    expect(info.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);
    const res = await fetch(info.httpUrl, { method: 'POST', body: Buffer.from('{"procedure":"site.x"}') });
    expect(await res.text()).toBe('{"error":"wamp.error.no_such_procedure","args":["no callee registered for procedure <site.x>"],"kwargs":{}}');
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(lines.some((l) => l.msg === 'router closed')).toBe(true);
  });

  it('takes OCS_PORT, OCS_REALM and OCS_ADDRESS_ROOT from the environment as crossbar’s image does', async () => {
    const { child, ready } = runCli([], { OCS_PORT: '0', OCS_REALM: 'env_realm', OCS_ADDRESS_ROOT: 'envroot' });
    const info = await ready;
    expect(info.realms).toEqual(['env_realm']);
    expect(info.addressRoot).toBe('envroot');
    const res = await fetch(info.httpUrl, { method: 'POST', body: Buffer.from('{"procedure":"observatory.x"}') });
    expect(((await res.json()) as { error: string }).error).toBe('wamp.error.not_authorized');
    child.kill('SIGINT');
    expect((await once(child, 'exit'))[0]).toBe(0);
  });

  it('exits 1 with a fatal log line on bad options', async () => {
    const { child, lines } = runCli(['--port', '0', '--realm', '']);
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(lines.some((l) => l.level === 60)).toBe(true);
  });
});
