/**
 * The delete step (spec §A5.3), made safe: a local file is deleted only when its remote md5
 * matched (the row is copied), it lies inside `--allowed-root` (if given), and it is still the
 * file whose md5 was taken (same size and mtime, or the same md5 when no identity was recorded,
 * e.g. for rows verified by the Python agent). Any unlink error is logged and counted, never fatal.
 */
import { stat, unlink } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { FilesManager } from './files-manager.js';
import { md5File } from './md5.js';
import { isInsideRoots } from './paths.js';
import type { SupRsyncFile } from './schema.js';

/** Options of {@link deleteFiles}. */
export interface DeleteOptions {
  archiveName: string;
  /** `--delete-local-after`, seconds after registration. */
  deleteAfter: number;
  allowedRoots?: readonly string[];
  /** ctime (s); default now. */
  now?: number;
  log?: Logger;
}

/** What one delete step did. */
export interface DeleteReport {
  deleted: string[];
  /** Already gone: `removed` set to 0. */
  missing: string[];
  /** Not deleted on purpose (changed since verified, outside the allowed roots). */
  skipped: { local_path: string; reason: string }[];
  /** unlink failed (EACCES, EPERM, EROFS, EBUSY, ...); retried next iteration. */
  errors: { local_path: string; error: string }[];
}

/** Deletes copied local files older than `deleteAfter`. @throws SuprsyncDbError only. */
export async function deleteFiles(fm: FilesManager, o: DeleteOptions): Promise<DeleteReport> {
  const rows = await fm.getDeletableFiles(o.archiveName, o.deleteAfter, o.now);
  const report: DeleteReport = { deleted: [], missing: [], skipped: [], errors: [] };
  for (const row of rows) await deleteOne(fm, row, o, report);
  return report;
}

async function deleteOne(fm: FilesManager, row: SupRsyncFile, o: DeleteOptions, report: DeleteReport): Promise<void> {
  const p = row.local_path;
  if (o.allowedRoots && !isInsideRoots(p, o.allowedRoots)) {
    o.log?.error({ local_path: p }, 'not deleting a file outside --allowed-root');
    report.skipped.push({ local_path: p, reason: 'outside --allowed-root' });
    return;
  }
  const st = await stat(p, { bigint: true }).catch((err: NodeJS.ErrnoException) => err);
  if (st instanceof Error) {
    if (st.code === 'ENOENT') {
      o.log?.warn({ local_path: p }, 'File no longer exists! Updating remove time to be 0');
      await fm.markRemoved(row.id, 0);
      report.missing.push(p);
    } else {
      o.log?.error({ local_path: p, err: st }, 'cannot stat file to delete');
      report.errors.push({ local_path: p, error: st.code ?? st.message });
    }
    return;
  }
  const reason = await changedReason(fm, row, Number(st.size), st.mtimeNs);
  if (reason) {
    o.log?.warn({ local_path: p, reason }, 'not deleting: local file changed since its md5 was verified');
    report.skipped.push({ local_path: p, reason });
    return;
  }
  try {
    o.log?.info({ local_path: p }, 'Removing file');
    await unlink(p);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    o.log?.error({ local_path: p, err: e }, 'Could not remove file');
    report.errors.push({ local_path: p, error: e.code ?? e.message });
    return;
  }
  await fm.markRemoved(row.id, Date.now() / 1000);
  report.deleted.push(p);
}

async function changedReason(fm: FilesManager, row: SupRsyncFile, size: number, mtimeNs: bigint): Promise<string | undefined> {
  const ident = await fm.getIdentity(row.id);
  if (ident) {
    return ident.size === size && ident.mtimeNs === mtimeNs ? undefined : 'size or mtime changed';
  }
  const r = await md5File(row.local_path).catch(() => undefined);
  if (!r || !r.stable) return 'file is changing';
  return r.md5 === row.local_md5sum && r.size === size && r.mtimeNs === mtimeNs ? undefined : 'md5 changed';
}
