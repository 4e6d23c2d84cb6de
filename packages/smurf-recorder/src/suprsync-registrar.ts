/**
 * New behaviour (spec B6: the Python recorder notifies nobody): with `--suprsync-db`, every closed
 * file is registered in the SupRsync database as `<tc5>/<stream-id>/<file>` of archive
 * `--suprsync-archive`, the same rows pysmurf-monitor writes for `timestreams` (spec A11).
 * A failed registration is kept and retried at the next close and at stop, so no file is lost.
 */
import { FilesManager } from '@smurf-ocs/suprsync';
import type { Logger } from 'pino';
import { RegisterError } from './errors.js';
import { remotePathOf } from './file-naming.js';

/** A file to register; `md5` undefined means FilesManager computes it from the file. */
export interface FileToRegister {
  path: string;
  md5: string | undefined;
}

/** Registration counters, shown in session.data.suprsync. */
export interface RegistrarCounters {
  registered: number;
  errors: number;
  pending: number;
}

/** Registers closed files in a SupRsync db. */
export class SuprsyncRegistrar {
  private readonly pending: FileToRegister[] = [];
  private registered = 0;
  private errors = 0;

  private constructor(
    private readonly fm: FilesManager,
    readonly archiveName: string,
    private readonly log: Logger,
  ) {}

  /** Open (creating if needed) the db at `dbPath`. Throws the FilesManager's SuprsyncDbError. */
  static open(dbPath: string, archiveName: string, log: Logger): SuprsyncRegistrar {
    return new SuprsyncRegistrar(FilesManager.open(dbPath, { log }), archiveName, log);
  }

  /** Absolute path of the db. */
  get dbPath(): string {
    return this.fm.dbPath;
  }

  /** Counters so far. */
  get counters(): RegistrarCounters {
    return { registered: this.registered, errors: this.errors, pending: this.pending.length };
  }

  /**
   * Queue `file` and register everything queued. Never throws: a failure is logged, counted and
   * the file stays queued. Resolves the last error, if any.
   */
  async register(file?: FileToRegister): Promise<RegisterError | undefined> {
    if (file) this.pending.push(file);
    while (this.pending.length > 0) {
      const next = this.pending[0]!;
      try {
        await this.fm.addFile({
          localPath: next.path,
          remotePath: remotePathOf(next.path),
          archiveName: this.archiveName,
          ...(next.md5 === undefined ? {} : { localMd5sum: next.md5 }),
        });
      } catch (cause) {
        this.errors += 1;
        const err = new RegisterError(next.path, 'cannot register file in the suprsync db', { cause });
        this.log.warn({ err }, 'SupRsync registration failed; will retry');
        return err;
      }
      this.pending.shift();
      this.registered += 1;
      this.log.info({ path: next.path, archive: this.archiveName }, 'Registered file for SupRsync');
    }
    return undefined;
  }

  /** Register `file` unless a row with its local path exists (crash recovery). */
  async registerIfUnknown(file: FileToRegister): Promise<void> {
    const known = await this.fm.getFilesByLocalPath(file.path).catch(() => []);
    if (known.length === 0) await this.register(file);
  }

  /** Close the db. */
  close(): void {
    this.fm.close();
  }
}
