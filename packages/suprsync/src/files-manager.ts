/**
 * SQLite side of SupRsync: `SupRsyncFilesManager` of socs `socs/db/suprsync.py` (spec §A2–A4).
 * Library code: imports nothing from OCS. Used by the agent, the `suprsync` CLI and by writers
 * such as pysmurf-monitor or the recorder.
 *
 * Concurrency (spec §A2.4): WAL; every write is one short `BEGIN IMMEDIATE` transaction. A busy db
 * is retried asynchronously for up to `busyTimeoutMs` (Python: pysqlite's 5 s busy timeout), so a
 * locked db never blocks the event loop for long.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve, isAbsolute } from 'node:path';
import type { Logger } from 'pino';
import { SuprsyncDbError, SuprsyncPathError } from './errors.js';
import { md5File } from './md5.js';
import { checkTimecode, remotePathProblem } from './paths.js';
import {
  ARCHIVE_OWNER_DDL, FILE_IDENTITY_DDL, SUPERSYNC_V0_DDL, TIMECODE_DIRS_V0_DDL,
  toFile, type RawFile, type SupRsyncFile,
} from './schema.js';
import { isDbOperationalError, retryBusy } from './db-errors.js';

/** Options of {@link FilesManager.open} (Python constructor, spec §A4). */
export interface FilesManagerOptions {
  /** Create missing tables (the agent: true; the CLI: false). Default true. */
  createAll?: boolean;
  /** Log every SQL statement at debug level (`--db-echo`). */
  echo?: boolean;
  /** Total time a busy/locked db is retried before {@link SuprsyncDbError}. Default 5000 ms. */
  busyTimeoutMs?: number;
  log?: Logger;
}

/** Arguments of {@link FilesManager.addFile} (spec §A4.1). */
export interface AddFileOptions {
  localPath: string;
  remotePath: string;
  archiveName: string;
  /** md5 if already known; computed from the file otherwise. */
  localMd5sum?: string;
  /** Registration ctime in s; default now. */
  timestamp?: number;
  /** Default true. */
  deletable?: boolean;
}

/** Result of {@link FilesManager.getArchiveStats} (spec §A4.5). */
export interface ArchiveStats {
  /** ctime (s): earliest uncopied row's timestamp - 1, or now if everything is copied. */
  finalized_until: number;
  num_files: number;
  uncopied_files: number;
  last_file_added: string;
  last_file_copied: string;
}

/** Per-row outcome written by {@link FilesManager.recordCopyResults}. */
export interface CopyResult {
  id: number;
  /** md5 read on the remote; undefined keeps the previous value. */
  remoteMd5sum?: string;
  /** Set `copied` to this ctime; undefined keeps it. */
  copied?: number;
  /** Add one failed attempt. */
  failed: boolean;
  /** Size/mtime of the local file the verified md5 belongs to. */
  identity?: FileIdentity;
}

/** Size and mtime (ns) of a local file when its md5 was taken. */
export interface FileIdentity { size: number; mtimeNs: bigint }

const UNCOPIED = 'local_md5sum IS NOT remote_md5sum';
const NOT_IGNORED = '("ignore" IS NULL OR "ignore" = 0)'; // Python `not file.ignore`: NULL counts as not ignored

/** The SupRsync SQLite database (tables `supersync_v0`, `timecode_dirs_v0`). */
export class FilesManager {
  /** @internal */
  readonly db: Database.Database;
  readonly dbPath: string;
  /** @internal */
  readonly busyTimeoutMs: number;
  private readonly hasIdentity: boolean;

  private constructor(db: Database.Database, dbPath: string, busyTimeoutMs: number) {
    this.db = db;
    this.dbPath = dbPath;
    this.busyTimeoutMs = busyTimeoutMs;
    this.hasIdentity = db.prepare(
      "SELECT 1 FROM sqlite_master WHERE type='table' AND name='suprsync_file_identity'").get() !== undefined;
  }

  /**
   * Opens (and with `createAll` creates) the db (spec §A2.1): makes the parent dir, sets
   * `journal_mode=WAL`, creates missing tables. Never alters existing tables.
   * @throws SuprsyncDbError if the db cannot be opened or the pragma fails.
   */
  static open(dbPath: string, opts: FilesManagerOptions = {}): FilesManager {
    const abs = resolve(dbPath);
    mkdirSync(dirname(abs), { recursive: true });
    const log = opts.log;
    try {
      const db = new Database(abs, {
        timeout: 100,
        ...(opts.echo && log ? { verbose: (sql: unknown) => log.debug({ sql }, 'sql') } : {}),
      });
      const mode = db.pragma('journal_mode=WAL', { simple: true });
      log?.info({ journal_mode: mode }, 'SQLite journal_mode set');
      if (opts.createAll ?? true) {
        db.transaction(() => {
          const have = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type='table'")
            .pluck().all() as string[]);
          if (!have.has('supersync_v0')) db.exec(SUPERSYNC_V0_DDL);
          if (!have.has('timecode_dirs_v0')) db.exec(TIMECODE_DIRS_V0_DDL);
          db.exec(FILE_IDENTITY_DDL);
          db.exec(ARCHIVE_OWNER_DDL);
        }).immediate();
      }
      return new FilesManager(db, abs, opts.busyTimeoutMs ?? 5000);
    } catch (err) {
      throw new SuprsyncDbError(`cannot open suprsync db ${abs}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Closes the db connection. Idempotent. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  /**
   * Runs `fn` in one `BEGIN IMMEDIATE` transaction, retrying a busy db asynchronously.
   * @internal
   * @throws SuprsyncDbError for Python's OperationalError class of failures (spec §A2.4).
   */
  async write<T>(fn: () => T): Promise<T> {
    return this.guard(() => this.db.transaction(fn).immediate());
  }

  /** Runs a read, retrying a busy db. @internal */
  async read<T>(fn: () => T): Promise<T> {
    return this.guard(fn);
  }

  private async guard<T>(fn: () => T): Promise<T> {
    try {
      return await retryBusy(fn, this.busyTimeoutMs);
    } catch (err) {
      if (isDbOperationalError(err)) {
        throw new SuprsyncDbError(`suprsync db error: ${(err as Error).message}`, { cause: err });
      }
      throw err;
    }
  }

  /**
   * Registers a file (spec §A4.1): computes its md5 unless given, creates the timecode-dir row
   * if the remote path starts with a 5-digit timecode, inserts the row with every column explicit.
   * @throws SuprsyncPathError for a relative local path or an absolute/escaping remote path.
   * @throws the fs error if the md5 has to be computed and the file is unreadable.
   */
  async addFile(o: AddFileOptions): Promise<SupRsyncFile> {
    if (!isAbsolute(o.localPath)) throw new SuprsyncPathError(`local_path must be absolute: ${o.localPath}`);
    const problem = remotePathProblem(o.remotePath);
    if (problem) throw new SuprsyncPathError(problem);
    let md5 = o.localMd5sum;
    let identity: FileIdentity | undefined;
    if (md5 === undefined) {
      const r = await md5File(o.localPath);
      md5 = r.md5;
      if (r.stable) identity = { size: r.size, mtimeNs: r.mtimeNs };
    }
    const timestamp = o.timestamp ?? Date.now() / 1000;
    const deletable = o.deletable ?? true;
    const id = await this.write(() => this.insertFileTx(o, md5, timestamp, deletable, identity));
    return (await this.getFile(id))!;
  }

  /** @internal Insert inside an open transaction; returns the new id. */
  insertFileTx(o: AddFileOptions, md5: string, timestamp: number, deletable: boolean,
    identity?: FileIdentity): number {
    const tc = checkTimecode(o.remotePath);
    const needTcdir = tc !== null && this.db.prepare(
      'SELECT id FROM timecode_dirs_v0 WHERE timecode = ? AND archive_name = ? LIMIT 1').get(tc, o.archiveName) === undefined;
    const info = this.db.prepare(
      'INSERT INTO supersync_v0 (local_path, local_md5sum, archive_name, remote_path, timestamp, ' +
      'remote_md5sum, copied, removed, failed_copy_attempts, deletable, "ignore") ' +
      'VALUES (?, ?, ?, ?, ?, NULL, NULL, NULL, 0, ?, 0)',
    ).run(o.localPath, md5, o.archiveName, o.remotePath, timestamp, deletable ? 1 : 0);
    if (needTcdir) this.insertTcdirTx(tc, o.archiveName);
    const id = Number(info.lastInsertRowid);
    if (identity && this.hasIdentity) this.setIdentityTx(id, identity);
    return id;
  }

  /** @internal */
  insertTcdirTx(timecode: number, archiveName: string): void {
    this.db.prepare(
      'INSERT INTO timecode_dirs_v0 (timecode, archive_name, completed, synced, finalized, finalize_file_id) ' +
      'VALUES (?, ?, 0, 0, 0, NULL)').run(timecode, archiveName);
  }

  private setIdentityTx(id: number, ident: FileIdentity): void {
    this.db.prepare('INSERT OR REPLACE INTO suprsync_file_identity (file_id, size, mtime_ns) VALUES (?, ?, ?)')
      .run(id, ident.size, ident.mtimeNs);
  }

  /** One row by id, or undefined. */
  async getFile(id: number): Promise<SupRsyncFile | undefined> {
    const r = await this.read(() => this.db.prepare('SELECT * FROM supersync_v0 WHERE id = ?').get(id) as RawFile | undefined);
    return r && toFile(r);
  }

  /** Every row whose `local_path` equals `path` exactly (CLI `check`). */
  async getFilesByLocalPath(path: string): Promise<SupRsyncFile[]> {
    const rows = await this.read(() => this.db.prepare('SELECT * FROM supersync_v0 WHERE local_path = ? ORDER BY id').all(path) as RawFile[]);
    return rows.map(toFile);
  }

  /**
   * Rows still to copy (spec §A4.2), `ORDER BY id`. The md5 test runs in SQL.
   * @param maxCopyAttempts rows with `failed_copy_attempts >= N` are skipped; default 1024.
   * @param numFiles at most this many rows; undefined, null or 0 = all (Python's 0 quirk is not kept).
   */
  async getCopyableFiles(archiveName: string, maxCopyAttempts?: number | null, numFiles?: number | null): Promise<SupRsyncFile[]> {
    const limit = numFiles && numFiles > 0 ? numFiles : -1;
    const rows = await this.read(() => this.db.prepare(
      `SELECT * FROM supersync_v0 WHERE removed IS NULL AND archive_name = ? AND failed_copy_attempts < ? AND "ignore" = 0 AND ${UNCOPIED} ORDER BY id LIMIT ?`,
    ).all(archiveName, maxCopyAttempts ?? 1024, limit) as RawFile[]);
    return rows.map(toFile);
  }

  /** Copied, deletable, not removed rows older than `deleteAfter` s at `now` (spec §A4.3). */
  async getDeletableFiles(archiveName: string, deleteAfter: number, now = Date.now() / 1000): Promise<SupRsyncFile[]> {
    const rows = await this.read(() => this.db.prepare(
      'SELECT * FROM supersync_v0 WHERE removed IS NULL AND archive_name = ? AND deletable = 1 ' +
      'AND local_md5sum = remote_md5sum AND ? > timestamp + ? ORDER BY id',
    ).all(archiveName, now, deleteAfter) as RawFile[]);
    return rows.map(toFile);
  }

  /** Rows of the archive with `timestamp > minCtime`, by timestamp (spec §A4.4). */
  async getKnownFiles(archiveName: string, minCtime = 0): Promise<SupRsyncFile[]> {
    const rows = await this.read(() => this.db.prepare(
      'SELECT * FROM supersync_v0 WHERE archive_name = ? AND timestamp > ? ORDER BY timestamp ASC, id ASC',
    ).all(archiveName, minCtime) as RawFile[]);
    return rows.map(toFile);
  }

  /** Local paths already registered for the archive (CLI `add-local-files`). */
  async getKnownLocalPaths(archiveName: string): Promise<Set<string>> {
    const paths = await this.read(() => this.db.prepare(
      'SELECT local_path FROM supersync_v0 WHERE archive_name = ?').pluck().all(archiveName) as string[]);
    return new Set(paths);
  }

  /** Archive summary (spec §A4.5), computed with aggregate SQL instead of loading every row. */
  async getArchiveStats(archiveName: string, now = Date.now() / 1000): Promise<ArchiveStats> {
    return this.read(() => {
      const q = (sql: string): unknown => this.db.prepare(sql).pluck().get(archiveName);
      const lastAdded = q('SELECT local_path FROM supersync_v0 WHERE archive_name = ? ORDER BY timestamp DESC, id DESC LIMIT 1');
      const lastCopied = q(`SELECT local_path FROM supersync_v0 WHERE archive_name = ? AND local_md5sum = remote_md5sum ORDER BY timestamp DESC, id DESC LIMIT 1`);
      const unc = this.db.prepare(`SELECT COUNT(*) AS n, MIN(timestamp) AS t FROM supersync_v0 WHERE archive_name = ? AND ${NOT_IGNORED} AND ${UNCOPIED}`)
        .get(archiveName) as { n: number; t: number | null };
      return {
        finalized_until: unc.t === null ? now : unc.t - 1,
        num_files: q('SELECT COUNT(*) FROM supersync_v0 WHERE archive_name = ?') as number,
        uncopied_files: unc.n,
        last_file_added: (lastAdded as string | undefined) ?? '',
        last_file_copied: (lastCopied as string | undefined) ?? '',
      };
    });
  }

  /** `finalized_until` alone (spec §A4.6). */
  async getFinalizedUntil(archiveName: string, now = Date.now() / 1000): Promise<number> {
    return (await this.getArchiveStats(archiveName, now)).finalized_until;
  }

  /** Inserts missing timecode-dir rows for rows newer than `minCtime` (spec §A4.7). */
  async createAllTimecodeDirs(archiveName: string, minCtime = 0): Promise<void> {
    await this.write(() => {
      const paths = this.db.prepare('SELECT remote_path FROM supersync_v0 WHERE archive_name = ? AND timestamp > ?')
        .pluck().all(archiveName, minCtime) as string[];
      const have = new Set(this.db.prepare('SELECT timecode FROM timecode_dirs_v0 WHERE archive_name = ?')
        .pluck().all(archiveName) as number[]);
      for (const p of paths) {
        const tc = checkTimecode(p);
        if (tc !== null && !have.has(tc)) { this.insertTcdirTx(tc, archiveName); have.add(tc); }
      }
    });
  }

  /** Writes a batch's per-row outcomes in one transaction (spec §A5.2 step 8). */
  async recordCopyResults(results: readonly CopyResult[]): Promise<void> {
    if (results.length === 0) return;
    await this.write(() => {
      const upd = this.db.prepare(
        'UPDATE supersync_v0 SET remote_md5sum = COALESCE(?, remote_md5sum), copied = COALESCE(?, copied), ' +
        'failed_copy_attempts = COALESCE(failed_copy_attempts, 0) + ? WHERE id = ?');
      for (const r of results) {
        upd.run(r.remoteMd5sum ?? null, r.copied ?? null, r.failed ? 1 : 0, r.id);
        if (r.identity && this.hasIdentity) this.setIdentityTx(r.id, r.identity);
      }
    });
  }

  /** Size/mtime recorded when the row's md5 was taken or verified, if any. */
  async getIdentity(id: number): Promise<FileIdentity | undefined> {
    if (!this.hasIdentity) return undefined;
    const r = await this.read(() => this.db.prepare('SELECT size, mtime_ns FROM suprsync_file_identity WHERE file_id = ?')
      .safeIntegers(true).get(id) as { size: bigint; mtime_ns: bigint } | undefined);
    return r && { size: Number(r.size), mtimeNs: r.mtime_ns };
  }

  /**
   * Claims (or refreshes the claim on) an archive for `instanceId`. Returns the owner afterwards:
   * `instanceId` itself, or another instance whose heartbeat is younger than `staleAfter` s.
   */
  async claimArchive(archiveName: string, instanceId: string, staleAfter: number, now = Date.now() / 1000): Promise<string> {
    return this.write(() => {
      const cur = this.db.prepare('SELECT instance_id, heartbeat FROM suprsync_archive_owner WHERE archive_name = ?')
        .get(archiveName) as { instance_id: string; heartbeat: number } | undefined;
      if (cur && cur.instance_id !== instanceId && cur.heartbeat > now - staleAfter) return cur.instance_id;
      this.db.prepare('INSERT OR REPLACE INTO suprsync_archive_owner (archive_name, instance_id, heartbeat) VALUES (?, ?, ?)')
        .run(archiveName, instanceId, now);
      return instanceId;
    });
  }

  /** Gives up the claim of {@link claimArchive} (on a clean stop). */
  async releaseArchive(archiveName: string, instanceId: string): Promise<void> {
    await this.write(() => this.db.prepare('DELETE FROM suprsync_archive_owner WHERE archive_name = ? AND instance_id = ?')
      .run(archiveName, instanceId));
  }

  /** Sets `removed` (ctime, or 0 for "already gone"). */
  async markRemoved(id: number, removed: number): Promise<void> {
    await this.write(() => this.db.prepare('UPDATE supersync_v0 SET removed = ? WHERE id = ?').run(removed, id));
  }
}
