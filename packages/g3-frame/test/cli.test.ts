/** The `g3` CLI: dump and verify, in-process and through the bin shim. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';
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

  it('the bin shim runs as operators run it', async () => {
    const bin = path.join(repoRoot, 'packages/g3-frame/bin/g3.ts');
    const { stdout } = await promisify(execFile)(process.execPath, ['--conditions=source', '--import', 'tsx', bin, 'verify', fixture('basic_types.g3')], { cwd: repoRoot });
    expect(stdout).toContain('1 frames, 3513 bytes');
  });
});
