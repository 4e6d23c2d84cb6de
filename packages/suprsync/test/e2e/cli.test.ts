/**
 * The `suprsync` CLI as operators run it (spec §A10, C1.25): spawned bin, real db.
 */
import { execFile } from 'node:child_process';
import { utimesSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tmpDir } from '@smurf-ocs/ocs-agent-core/testing';
import { FilesManager } from '../../src/index.js';
import { writeFile } from '../helpers/loop.js';

const BIN = fileURLToPath(new URL('../../bin/suprsync.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');
const run = async (args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> => {
  try {
    const r = await promisify(execFile)(process.execPath, ['--conditions=source', '--import', tsx, BIN, ...args], { env: { PATH: process.env['PATH'], ...env } });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
};

describe('suprsync CLI', () => {
  it('add-local-files --dry lists only old unregistered files; then adds them; check, next, list print rows', async () => {
    await using dir = tmpDir('suprsync-cli-');
    const db = join(dir.path, 'db', 's.db');
    const root = join(dir.path, 'data');
    const old = Date.now() / 1000 - 3600;
    for (const f of ['17950/a/x.g3', '17950/a/y.g3']) utimesSync(writeFile(join(root, f), f), old, old);
    writeFile(join(root, '17950/a/new.g3'), 'new'); // modified now: below --last-edit
    FilesManager.open(db).close();
    const dry = await run(['add-local-files', root, 'arch', '--db', db, '--dry']);
    expect(dry.code).toBe(0);
    expect(dry.out).toBe(`Dry run\n${'-'.repeat(40)}\nWould add 2 files, including:\n0: ${root}/17950/a/x.g3 --> 17950/a/x.g3\n1: ${root}/17950/a/y.g3 --> 17950/a/y.g3\n`);
    const add = await run(['add-local-files', root, 'arch', '--last-edit', '10'], { SUPRSYNC_DB: db });
    expect(add.out).toBe(`Adding 2 files to the add to ${db} from ${root}\n`);
    const check = await run(['check', join(root, '17950/a/x.g3'), '--db', db]);
    expect(check.out).toContain(`SupRsyncFile:\n    id: 1\n    local_path: ${root}/17950/a/x.g3\n`);
    expect(check.out).toMatch(/    remote_md5sum: None\n/);
    expect(check.out).toMatch(/    timestamp: \d+\.\d+\n/);
    expect(check.out.startsWith('-'.repeat(80))).toBe(true);
    const next = await run(['next', 'arch', '--db', db]);
    expect(next.out).toMatch(/^SupRsyncFile:\n    id: 1\n/);
    expect((await run(['list', 'arch', '--db', db])).out).toBe(`0: ${root}/17950/a/x.g3\n1: ${root}/17950/a/y.g3\n`);
    expect((await run(['list', 'other', '--db', db])).out).toBe('No files left to be copied\n');
    expect((await run(['next', 'other', '--db', db])).out).toBe('No more files left to be copied\n');
    const again = await run(['add-local-files', root, 'arch', '--db', db, '--dry', '--last-edit', '0']);
    expect(again.out).toContain('Would add 1 files, including:\n0: ');
  });

  it('no db: the Python message and exit 1; no subcommand: help and exit 0', async () => {
    const r = await run(['list', 'arch']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Suprsync DB must be specified either through the --db cli-arg or the SUPRSYNC_DB env var');
    const h = await run([]);
    expect(h.code).toBe(0);
    expect(h.out).toContain('add-local-files');
  });
});
