/** Test helpers: temp dirs, a silent logger, a settable clock, file listing. */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino, type Logger } from 'pino';

/** Repo root (/work/main) and the shared fixtures dir beside it. */
export const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const sharedDir = path.resolve(repoRoot, '../shared');
export const fixturesDir = path.join(sharedDir, 'fixtures/g3');

/** A logger that records every entry for assertions. */
export function memoryLogger(): { log: Logger; entries: Array<Record<string, unknown>> } {
  const entries: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'debug' }, { write: (s: string) => void entries.push(JSON.parse(s) as Record<string, unknown>) });
  return { log, entries };
}

/** A temp dir removed by the returned disposer. */
export async function tempDir(prefix = 'recorder-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** All files under `dir`, as paths relative to it, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string): Promise<void> {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(path.relative(dir, p));
    }
  }
  await walk(dir).catch(() => undefined);
  return out.sort();
}

/** Whether a path exists. */
export async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}

/** Poll `fn` until it returns a truthy value or `ms` pass. */
export async function waitFor<T>(fn: () => T | Promise<T>, ms = 20_000, what = 'condition'): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
