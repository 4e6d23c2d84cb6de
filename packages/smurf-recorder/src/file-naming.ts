/**
 * File layout (spec B3.3, B8): `<data-dir>/<tc5>/<stream-id>/<basename>_<NNN>.g3`, where `tc5` is
 * the first five characters of the acquisition start ctime and `basename` its integer second.
 */
import path from 'node:path';

/** Timecode directory name: the first 5 digits of the ctime (seconds). `1795012345.6` -> `17950`. */
export function timecodeDir(ctime: number): string {
  // compat: Python `"{:.5}".format(str(start_time))`; for ctimes >= 1e9 that is floor(ctime / 1e5).
  return String(Math.floor(ctime)).slice(0, 5);
}

/** File name `<basename>_<suffix %03d>.g3`; suffixes over 999 keep all digits (`_1000`). */
export function fileName(basename: number, suffix: number): string {
  return `${basename}_${String(suffix).padStart(3, '0')}.g3`;
}

/** Directory of an acquisition started at `ctime` (seconds) for `streamId`. */
export function acquisitionDir(dataDir: string, ctime: number, streamId: string): string {
  return path.join(dataDir, timecodeDir(ctime), streamId);
}

/**
 * SupRsync remote path of a recorded file: its last three path components
 * (`<tc5>/<stream-id>/<file>`), as pysmurf-monitor derives it for `timestreams` (spec A11, B6).
 */
export function remotePathOf(localPath: string): string {
  return localPath.split(path.sep).filter((p) => p.length > 0).slice(-3).join('/');
}
