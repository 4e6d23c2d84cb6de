/**
 * The two tables of socs `SupRsyncFilesManager` (spec §A2.2, TABLE_VERSION 0), in the exact text
 * SQLAlchemy 2.0 emits for SQLite, so `sqlite_master` is byte-identical whichever side created the
 * db. There are no SQL DEFAULTs: every INSERT lists every column (spec Appendix 2).
 */

/** `CREATE TABLE supersync_v0` exactly as SQLAlchemy emits it (spec §A2.2). */
export const SUPERSYNC_V0_DDL =
  '\nCREATE TABLE supersync_v0 (\n' +
  '\tid INTEGER NOT NULL, \n' +
  '\tlocal_path VARCHAR NOT NULL, \n' +
  '\tlocal_md5sum VARCHAR NOT NULL, \n' +
  '\tarchive_name VARCHAR NOT NULL, \n' +
  '\tremote_path VARCHAR NOT NULL, \n' +
  '\ttimestamp FLOAT NOT NULL, \n' +
  '\tremote_md5sum VARCHAR, \n' +
  '\tcopied FLOAT, \n' +
  '\tremoved FLOAT, \n' +
  '\tfailed_copy_attempts INTEGER, \n' +
  '\tdeletable BOOLEAN, \n' +
  '\t"ignore" BOOLEAN, \n' +
  '\tPRIMARY KEY (id)\n' +
  ')\n\n';

/** `CREATE TABLE timecode_dirs_v0` exactly as SQLAlchemy emits it (spec §A2.2). */
export const TIMECODE_DIRS_V0_DDL =
  '\nCREATE TABLE timecode_dirs_v0 (\n' +
  '\tid INTEGER NOT NULL, \n' +
  '\ttimecode INTEGER NOT NULL, \n' +
  '\tarchive_name VARCHAR NOT NULL, \n' +
  '\tcompleted BOOLEAN, \n' +
  '\tsynced BOOLEAN, \n' +
  '\tfinalized BOOLEAN, \n' +
  '\tfinalize_file_id INTEGER, \n' +
  '\tPRIMARY KEY (id), \n' +
  '\tFOREIGN KEY(finalize_file_id) REFERENCES supersync_v0 (id)\n' +
  ')\n\n';

/**
 * Our own side table (Python never reads it): size and mtime of the local file at the moment its
 * md5 was taken or verified, so a file is only deleted while it is still that same file.
 */
export const FILE_IDENTITY_DDL =
  'CREATE TABLE IF NOT EXISTS suprsync_file_identity (' +
  'file_id INTEGER NOT NULL PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL)';

/**
 * Our own side table: which agent instance currently owns (copies, deletes, finalizes) an archive,
 * so two agents started with the same `--archive-name` do not both work on it (spec §A2.4 [FLAW]).
 */
export const ARCHIVE_OWNER_DDL =
  'CREATE TABLE IF NOT EXISTS suprsync_archive_owner (' +
  'archive_name VARCHAR NOT NULL PRIMARY KEY, instance_id VARCHAR NOT NULL, heartbeat FLOAT NOT NULL)';

/** Column order of `supersync_v0`, as printed by the `suprsync check` CLI. */
export const SUPERSYNC_COLUMNS = [
  'id', 'local_path', 'local_md5sum', 'archive_name', 'remote_path', 'timestamp',
  'remote_md5sum', 'copied', 'removed', 'failed_copy_attempts', 'deletable', 'ignore',
] as const;

/** One `supersync_v0` row. Column names are the db's (wire names keep the Python spelling). */
export interface SupRsyncFile {
  id: number;
  /** Local path as registered (not normalised). */
  local_path: string;
  /** Lowercase hex md5 taken at registration. */
  local_md5sum: string;
  archive_name: string;
  /** Path relative to `--remote-basedir`; first component normally a 5-digit timecode. */
  remote_path: string;
  /** Registration ctime (s); the clock for deletion and `finalized_until`. */
  timestamp: number;
  remote_md5sum: string | null;
  /** ctime (s) of the last successful rsync of this row. */
  copied: number | null;
  /** ctime (s) of deletion; 0 = was already gone. */
  removed: number | null;
  failed_copy_attempts: number | null;
  deletable: boolean | null;
  ignore: boolean | null;
}

/** One `timecode_dirs_v0` row. */
export interface TimecodeDir {
  id: number;
  /** `floor(ctime / 1e5)`. */
  timecode: number;
  archive_name: string;
  completed: boolean | null;
  synced: boolean | null;
  finalized: boolean | null;
  finalize_file_id: number | null;
}

type Raw<T> = { [K in keyof T]: T[K] extends boolean | null ? number | null : T[K] };

const bool = (v: number | null): boolean | null => (v === null ? null : v !== 0);

/** Converts a raw sqlite row (booleans as 0/1) to a {@link SupRsyncFile}. */
export function toFile(r: Raw<SupRsyncFile>): SupRsyncFile {
  return { ...r, deletable: bool(r.deletable), ignore: bool(r.ignore) };
}

/** Converts a raw sqlite row to a {@link TimecodeDir}. */
export function toTcdir(r: Raw<TimecodeDir>): TimecodeDir {
  return { ...r, completed: bool(r.completed), synced: bool(r.synced), finalized: bool(r.finalized) };
}

/** Raw row types as sqlite returns them. */
export type RawFile = Raw<SupRsyncFile>;
/** Raw timecode-dir row as sqlite returns it. */
export type RawTcdir = Raw<TimecodeDir>;
