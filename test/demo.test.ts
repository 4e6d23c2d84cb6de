/**
 * README command 1, the main job, run end to end the way an operator runs it (`pnpm demo`):
 * simulator -> recorder -> SupRsync -> archive on the embedded router, with a shorter stream.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

it('the main job copies, verifies and finalizes everything and says OK', () => {
  const r = spawnSync('pnpm', ['--silent', 'demo', '--stream-seconds', '12', '--timeout', '240'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 300_000,
  });
  const out = `${r.stdout}\n${r.stderr}`;
  expect(out, out.slice(-4000)).toContain('main job: OK');
  expect(r.status).toBe(0);
  // The recorded stream reached the archive and reads back with every CRC intact.
  expect(out).toMatch(/recorded and archived: \.demo\/archive\/timestreams\/\d{5}\/crate1slot2\/\d{10}_000\.g3/);
  expect(out).toContain('OK: all CRCs match');
  // Old timecode dirs were finalized: the YAML of the fixtures' dir is shown.
  expect(out).toMatch(/timecode: 16000/);
}, 320_000);
