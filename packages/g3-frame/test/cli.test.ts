/** The `g3` CLI: dump and verify, in-process and through the bin shim. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { FrameType, G3Frame, G3Int, G3NetworkSender, runCli } from '../src/index.js';
import { fixture, repoRoot } from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'g3-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('g3 CLI', () => {
  it('dump prints frame types, keys, classes and abbreviated values', async () => {
    const r = await run('dump', fixture('smurf_sim_stream.g3'));
    expect(r.code).toBe(0);
    expect(r.out.match(/^Frame \(/gm)!.length).toBe(11);
    expect(r.out).toContain('Frame (none) [\n"sostream_flowcontrol" (G3Int) => 1\n]');
    expect(r.out).toContain('"data" (G3TimestreamMap) => 4 timestreams, e.g. 10 samples');
    expect(r.out).toContain('[0.471435, -1.190976, 1.432707, ..., -0.636524, 0.015696, -2.242685]');
    expect((await run('dump', '-n', '2', fixture('smurf_sim_stream.g3'))).out.match(/^Frame \(/gm)!.length).toBe(2);
  });

  it('verify reports OK for a good file and faults (exit 1) for a corrupt one', async () => {
    const ok = await run('verify', fixture('smurf_sim_stream.g3.gz'));
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('11 frames, 3365 bytes in valid frames, 0 faults');
    const bytes = Buffer.from(readFileSync(fixture('smurf_sim_stream.g3')));
    bytes[310] = bytes[310]! ^ 0x55; // inside frame 1's start_time value
    const p = path.join(dir, 'corrupt.g3');
    writeFileSync(p, bytes);
    const bad = await run('verify', p);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/BAD G3_ERR_CRC at byte 91/);
    expect(bad.out).toContain('10 frames');
  });

  it('dump reads a tcp:// stream until the sender closes', async () => {
    const sender = await G3NetworkSender.listen({ port: 0, host: '127.0.0.1' });
    const done = run('dump', `tcp://127.0.0.1:${sender.port}`, '--timeout', '5');
    const deadline = Date.now() + 5000;
    while (sender.waitingClients === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    sender.send(new G3Frame(FrameType.Scan, [['frame_num', new G3Int(7)]]));
    await sender.close();
    const r = await done;
    expect(r.code).toBe(0);
    expect(r.out).toBe('Frame (Scan) [\n"frame_num" (G3Int) => 7\n]\n');
  });

  it('the bin shim runs as operators run it', async () => {
    const bin = path.join(repoRoot, 'packages/g3-frame/bin/g3.ts');
    const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=source', '--import', 'tsx', bin, 'verify', fixture('basic_types.g3')], { cwd: repoRoot });
    expect(stdout).toContain('1 frames, 3513 bytes');
  });
});
