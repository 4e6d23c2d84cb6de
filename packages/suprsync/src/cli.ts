/**
 * The `suprsync` command line (spec §A10): inspect and fill a suprsync db without an agent.
 * Unlike the Python CLI, `next` prints the row's fields, `list` works, and `--last-edit` is a
 * number.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { pyFloatRepr, pyStr } from '@smurf-ocs/ocs-agent-core';
import { FilesManager } from './files-manager.js';
import { SUPERSYNC_COLUMNS, type SupRsyncFile } from './schema.js';

/** Where the CLI writes. */
export interface CliIo { out(line: string): void; err(line: string): void; env: Readonly<Record<string, string | undefined>> }

const FLOAT_COLUMNS = new Set(['timestamp', 'copied', 'removed']);
const DASHES = '-'.repeat(80);

/** `SupRsyncFile:` and one `    <col>: <value>` line per column, values as Python prints them. */
export function formatFile(f: SupRsyncFile): string {
  const lines = ['SupRsyncFile:'];
  for (const col of SUPERSYNC_COLUMNS) {
    const v = f[col];
    lines.push(`    ${col}: ${typeof v === 'number' && FLOAT_COLUMNS.has(col) ? pyFloatRepr(v) : pyStr(v)}`);
  }
  return lines.join('\n');
}

class CliUsageError extends Error {}

function openDb(db: string | undefined, io: CliIo, createAll = false): FilesManager {
  const path = db ?? io.env['SUPRSYNC_DB'];
  if (!path) throw new CliUsageError('Suprsync DB must be specified either through the --db cli-arg or the SUPRSYNC_DB env var');
  return FilesManager.open(path, { createAll });
}

async function withDb<T>(db: string | undefined, io: CliIo, fn: (fm: FilesManager) => Promise<T>, createAll = false): Promise<T> {
  const fm = openDb(db, io, createAll);
  try { return await fn(fm); } finally { fm.close(); }
}

function walk(root: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    const p = join(root, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

interface AddOpts { db?: string; lastEdit: number; createDb?: boolean; dry?: boolean }

async function addLocalFiles(localRoot: string, archive: string, o: AddOpts, io: CliIo): Promise<void> {
  await withDb(o.db, io, async (fm) => {
    const root = resolve(localRoot);
    const known = await fm.getKnownLocalPaths(archive);
    const now = Date.now() / 1000;
    const todo = walk(root).filter((p) => !known.has(p) && now - statSync(p).mtimeMs / 1000 >= o.lastEdit);
    if (o.dry) {
      io.out('Dry run');
      io.out('-'.repeat(40));
      if (todo.length === 0) io.out('No files to add');
      else {
        io.out(`Would add ${todo.length} files, including:`);
        todo.slice(0, 10).forEach((p, i) => io.out(`${i}: ${p} --> ${relative(root, p)}`));
      }
      return;
    }
    io.out(`Adding ${todo.length} files to the add to ${fm.dbPath} from ${root}`);
    for (const p of todo) await fm.addFile({ localPath: p, remotePath: relative(root, p), archiveName: archive });
  }, o.createDb ?? false);
}

function program(io: CliIo): Command {
  const cmd = new Command('suprsync').description('Inspect and fill a suprsync database.').exitOverride();
  cmd.configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, '')), writeErr: (s) => io.err(s.replace(/\n$/, '')) });
  const db = '--db <path>';
  const dbHelp = 'Path to the suprsync db (default: $SUPRSYNC_DB)';
  cmd.command('check').description('Print every row whose local_path is FILE.').argument('<file>').option(db, dbHelp)
    .action(async (file: string, o: { db?: string }) => withDb(o.db, io, async (fm) => {
      for (const f of await fm.getFilesByLocalPath(file)) { io.out(DASHES); io.out(formatFile(f)); io.out(DASHES); }
    }));
  cmd.command('next').description('Print the next file to be copied for ARCHIVE.').argument('<archive>').option(db, dbHelp)
    .action(async (archive: string, o: { db?: string }) => withDb(o.db, io, async (fm) => {
      const [f] = await fm.getCopyableFiles(archive, 1024, 1);
      io.out(f ? formatFile(f) : 'No more files left to be copied');
    }));
  cmd.command('list').description('List the files still to be copied for ARCHIVE.').argument('<archive>').option(db, dbHelp)
    .action(async (archive: string, o: { db?: string }) => withDb(o.db, io, async (fm) => {
      const files = await fm.getCopyableFiles(archive, 1024);
      if (files.length === 0) io.out('No files left to be copied');
      files.forEach((f, i) => io.out(`${i}: ${f.local_path}`));
    }));
  cmd.command('add-local-files').description('Register every file under LOCAL_ROOT not yet in ARCHIVE.')
    .argument('<local_root>').argument('<archive>').option(db, dbHelp)
    .option('--last-edit <seconds>', 'Only files not modified for this many seconds', parseSeconds, 60)
    .option('--create-db', 'Create the tables if missing').option('--dry', 'Only print what would be added')
    .action(async (root: string, archive: string, o: AddOpts) => addLocalFiles(root, archive, o, io));
  return cmd;
}

function parseSeconds(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || Number.isNaN(n)) throw new InvalidArgumentError('not a number');
  return n;
}

/** Runs the CLI; returns the exit status. No subcommand prints help and returns 0. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const cmd = program(io);
  if (argv.length === 0) { io.out(cmd.helpInformation().replace(/\n$/, '')); return 0; }
  try {
    await cmd.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    io.err(err instanceof Error ? `${err.name === 'CliUsageError' || err instanceof CliUsageError ? 'FileNotFoundError' : err.name}: ${err.message}` : String(err));
    return 1;
  }
}
