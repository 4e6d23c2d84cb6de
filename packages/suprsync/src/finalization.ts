/**
 * Timecode-dir completion and the finalization YAML (spec §A4.8 and §A7).
 *
 * Kept from Python on purpose (pinned by spec C1 15–18, 21): completion looks at timecodes of
 * *every* archive, and "synced" requires every row under `<tc>/` of every archive (ignored and
 * given-up rows included) to have matching md5s; `num_files` and `subdirs` cover all archives.
 * Fixed: each timecode dir is its own transaction, a YAML whose registration fails is removed
 * again, and a write error is thrown as {@link SuprsyncFinalizeError} for the loop to count
 * instead of ending the `run` process.
 */
import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML, { type Scalar } from 'yaml';
import type { FilesManager } from './files-manager.js';
import { md5Bytes } from './md5.js';
import { splitPath } from './paths.js';
import { toTcdir, type RawTcdir, type TimecodeDir } from './schema.js';
import { SuprsyncFinalizeError } from './errors.js';

/** `DAYS_TO_COMPLETE_TCDIR` of socs: the current and previous timecode never auto-complete. */
const DAYS_TO_COMPLETE_TCDIR = 1;

/** Content of a finalization YAML (spec §A7); keys are written sorted. */
export interface FinalizationInfo {
  archive_name: string;
  /** ctime (s) of finalization; always written with a decimal point. */
  finalized_at: number;
  /** `get_finalized_until(archive)` at that time (s). */
  finalized_until: number;
  instance_id: string;
  /** Rows of every archive under `<timecode>/`. */
  num_files: number;
  /** Distinct second path components of those rows (sorted here; Python: set order). */
  subdirs: string[];
  timecode: number;
}

/** Renders the YAML like PyYAML `dump`: sorted keys, block style, floats with a `.`. */
export function renderFinalizationYaml(info: FinalizationInfo): string {
  const doc = new YAML.Document(info, { version: '1.1', sortMapEntries: true });
  for (const key of ['finalized_at', 'finalized_until']) {
    (doc.get(key, true) as Scalar).minFractionDigits = 1;
  }
  return doc.toString({ indentSeq: false, singleQuote: true });
}

/** Local and remote location of a finalization file (spec §A7). */
export function finalizationPaths(fileRoot: string, archiveName: string, instanceId: string,
  timecode: number, now: number): { dir: string; local: string; remote: string } {
  const tcNow = Math.floor(now / 1e5);
  const fname = `${Math.floor(now)}_${archiveName}_${timecode}_finalized.yaml`;
  const dir = join(fileRoot, String(tcNow), instanceId);
  return { dir, local: join(dir, fname), remote: `${tcNow}/suprsync/${instanceId}/${fname}` };
}

/** Options of {@link updateAllTimecodeDirs}. */
export interface UpdateTcdirsOptions {
  archiveName: string;
  /** `--suprsync-file-root`. */
  fileRoot: string;
  /** The agent's instance-id (Python's `sync_id`). */
  instanceId: string;
  /** ctime (s). */
  now?: number;
}

/**
 * Runs the completion → synced → finalized steps for every timecode dir of the archive
 * (spec §A4.8). Returns the ids of newly finalized timecode dirs.
 * @throws SuprsyncDbError on db failure; SuprsyncFinalizeError if a YAML cannot be written.
 */
export async function updateAllTimecodeDirs(fm: FilesManager, o: UpdateTcdirsOptions): Promise<number[]> {
  const now = o.now ?? Date.now() / 1000;
  const finalizedUntil = await fm.getFinalizedUntil(o.archiveName, now);
  const tcdirs = await fm.read(() => (fm.db.prepare(
    'SELECT * FROM timecode_dirs_v0 WHERE archive_name = ? ORDER BY id').all(o.archiveName) as RawTcdir[]).map(toTcdir));
  const done: number[] = [];
  for (const tcdir of tcdirs) {
    if (tcdir.finalized) continue;
    const finalized = await fm.write(() => updateOneTx(fm, tcdir, o, now, finalizedUntil));
    if (finalized) done.push(tcdir.id);
  }
  return done;
}

function isComplete(fm: FilesManager, tc: number, now: number): boolean {
  const newer = fm.db.prepare('SELECT 1 FROM timecode_dirs_v0 WHERE timecode > ? LIMIT 1').get(tc);
  return newer !== undefined || Math.floor(now / 1e5) - tc > DAYS_TO_COMPLETE_TCDIR;
}

function updateOneTx(fm: FilesManager, tcdir: TimecodeDir, o: UpdateTcdirsOptions,
  now: number, finalizedUntil: number): boolean {
  const tc = tcdir.timecode;
  let { completed, synced } = tcdir;
  const setFlag = (col: 'completed' | 'synced'): void => {
    fm.db.prepare(`UPDATE timecode_dirs_v0 SET ${col} = 1 WHERE id = ?`).run(tcdir.id);
  };
  if (!completed && isComplete(fm, tc, now)) { completed = true; setFlag('completed'); }
  const files = fm.db.prepare('SELECT remote_path, local_md5sum, remote_md5sum FROM supersync_v0 WHERE remote_path LIKE ?')
    .all(`${tc}/%`) as { remote_path: string; local_md5sum: string; remote_md5sum: string | null }[];
  if (completed && !synced && files.every((f) => f.local_md5sum === f.remote_md5sum)) {
    synced = true; setFlag('synced');
  }
  if (!synced) return false;
  const subdirs = new Set<string>();
  for (const f of files) {
    const parts = splitPath(f.remote_path);
    if (parts.length > 2) subdirs.add(parts[1]!);
  }
  const info: FinalizationInfo = {
    archive_name: o.archiveName, finalized_at: now, finalized_until: finalizedUntil,
    instance_id: o.instanceId, num_files: files.length, subdirs: [...subdirs].sort(), timecode: tc,
  };
  const paths = finalizationPaths(o.fileRoot, o.archiveName, o.instanceId, tc, now);
  const text = renderFinalizationYaml(info);
  try {
    mkdirSync(paths.dir, { recursive: true });
    writeFileSync(paths.local, text);
  } catch (err) {
    throw new SuprsyncFinalizeError(`cannot write finalization file ${paths.local}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const id = fm.insertFileTx({ localPath: paths.local, remotePath: paths.remote, archiveName: o.archiveName },
      md5Bytes(text), now, true);
    fm.db.prepare('UPDATE timecode_dirs_v0 SET finalized = 1, finalize_file_id = ? WHERE id = ?').run(id, tcdir.id);
  } catch (err) {
    try { unlinkSync(paths.local); } catch { /* already gone: nothing to clean */ }
    throw err;
  }
  return true;
}
