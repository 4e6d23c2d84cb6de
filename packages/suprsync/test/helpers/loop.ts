/** Builds a real SupRsync loop (FilesManager + FileHandler + iteration) for tests, without OCS. */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pino from 'pino';
import { afterEach } from 'vitest';
import {
  FileHandler, FilesManager, LocalRunner, SshSession, initialLoopState, runIteration,
  type CommandRunner, type FileHandlerOptions, type SshTarget, type IterationDeps, type LoopConfig, type LoopState,
} from '../../src/index.js';
import type { TestSshd } from './sshd.js';

export const silentLog = pino({ level: process.env['TEST_LOGLEVEL'] ?? 'silent' });

/** A temp dir removed by `rm()`. */
export function tempDir(prefix = 'suprsync-test-'): { path: string; rm(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, rm: () => rmSync(path, { recursive: true, force: true }) };
}

/** Writes a file (making parents) and returns its path. */
export function writeFile(path: string, content: string | Buffer): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return path;
}

export interface LoopOptions extends Partial<LoopConfig> {
  dbPath: string;
  remoteBasedir: string;
  sshd?: TestSshd;
  handler?: Partial<FileHandlerOptions>;
  /** FilesManager busy budget (the agent uses 5000 ms). */
  busyTimeoutMs?: number;
  /** Overrides of the ssh target (known_hosts, host-key policy). */
  sshTarget?: Partial<SshTarget>;
}

/** A loop with captured publishes and activity. Call `close()`. */
export class TestLoop {
  readonly fm: FilesManager;
  readonly runner: CommandRunner;
  readonly handler: FileHandler;
  readonly config: LoopConfig;
  readonly state: LoopState = initialLoopState();
  readonly published: { feed: string; message: { block_name: string; timestamp: number; data: Record<string, unknown> } }[] = [];
  readonly activities: string[] = [];
  degraded = false;

  constructor(o: LoopOptions) {
    this.fm = FilesManager.open(o.dbPath, { log: silentLog, ...(o.busyTimeoutMs ? { busyTimeoutMs: o.busyTimeoutMs } : {}) });
    this.runner = o.sshd
      ? new SshSession({ sshHost: o.sshd.sshHost, port: o.sshd.port, keyPath: o.sshd.keyPath, knownHostsPath: o.sshd.knownHostsPath, ...o.sshTarget }, silentLog)
      : new LocalRunner();
    this.config = {
      archiveName: o.archiveName ?? 'arch', instanceId: o.instanceId ?? 'inst-1',
      suprsyncFileRoot: o.suprsyncFileRoot ?? join(dirname(o.dbPath), 'suprsync-root'),
      maxCopyAttempts: o.maxCopyAttempts ?? 5, filesPerBatch: o.filesPerBatch ?? null, batchesPerIteration: o.batchesPerIteration ?? 1,
      deleteLocalAfter: o.deleteLocalAfter ?? null, sleepTime: o.sleepTime ?? 0.01,
      ...(o.allowedRoots ? { allowedRoots: o.allowedRoots } : {}),
    };
    this.handler = new FileHandler(this.fm, this.runner, {
      archiveName: this.config.archiveName, remoteBasedir: o.remoteBasedir,
      ...(o.allowedRoots ? { allowedRoots: o.allowedRoots } : {}), ...o.handler,
    }, silentLog);
  }

  get deps(): IterationDeps {
    return {
      fm: this.fm, handler: this.handler, config: this.config, log: silentLog,
      publish: (feed, message) => { this.published.push({ feed, message }); },
      setActivity: (a) => { this.activities.push(a); this.state.data.activity = a; },
    };
  }

  async iterate(): Promise<{ degraded?: boolean; sleepSeconds: number }> {
    const r = await runIteration(this.deps, this.state);
    if (r.degraded !== undefined) this.degraded = r.degraded;
    return r;
  }

  async close(): Promise<void> {
    this.handler.close();
    await this.runner.close();
    this.fm.close();
  }
}

/** What {@link loopFixture} returns to a test file. */
export interface LoopFixture {
  /** A TestLoop over a fresh temp dir (db `s.db`, destination `<dir>/remote/base`, its parent created). */
  setup(o?: Partial<LoopOptions>): { dir: string; dest: string; loop: TestLoop };
  /** Registers a clean-up step run after the current test (last registered runs first). */
  onCleanup(fn: () => Promise<void> | void): void;
}

/**
 * Per-file test fixture: `base()` supplies options shared by every loop of the file (e.g. the
 * test sshd), and every loop and temp dir is closed after each test.
 */
export function loopFixture(base: () => Partial<LoopOptions> = () => ({})): LoopFixture {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });
  return {
    setup(o = {}) {
      const t = tempDir();
      // rsync creates only the last component of the destination basedir (spec §A5.2).
      mkdirSync(join(t.path, 'remote'));
      const dest = join(t.path, 'remote', 'base');
      const loop = new TestLoop({ dbPath: join(t.path, 's.db'), remoteBasedir: dest, ...base(), ...o });
      cleanup.push(() => t.rm(), () => loop.close());
      return { dir: t.path, dest, loop };
    },
    onCleanup: (fn) => {
      cleanup.push(fn);
    },
  };
}
