/**
 * The `g3` command: `g3 dump FILE|tcp://host:port` (like `spt3g-dump`) and `g3 verify FILE`
 * (checks every frame and its CRC, prints a summary). Output goes to the given stream.
 */
import { Command } from 'commander';
import { G3Error } from './errors.js';
import { readG3File } from './file-reader.js';
import { formatFrame } from './format.js';
import type { G3Frame } from './frame.js';
import { readG3Stream } from './network-reader.js';

/** Where the CLI writes. */
export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

function source(src: string, timeout: number): AsyncIterable<G3Frame> {
  return src.startsWith('tcp://') ? readG3Stream(src, { timeout }) : readG3File(src);
}

async function dump(src: string, opts: { n: string; timeout: string }, io: CliIo): Promise<number> {
  const max = Number(opts.n);
  let i = 0;
  for await (const f of source(src, Number(opts.timeout))) {
    io.out(`${formatFrame(f)}\n`);
    if (max > 0 && ++i >= max) break;
  }
  return 0;
}

async function verify(file: string, io: CliIo): Promise<number> {
  const faults: G3Error[] = [];
  const byType = new Map<string, number>();
  let frames = 0;
  let bytes = 0;
  for await (const f of readG3File(file, { resync: true, reuseBuffer: true, onError: (e) => faults.push(e) })) {
    frames++;
    bytes += f.raw!.length;
    byType.set(f.typeName, (byType.get(f.typeName) ?? 0) + 1);
  }
  for (const e of faults) io.out(`BAD ${e.code} at byte ${e.offset ?? '?'}: ${e.message}\n`);
  const types = [...byType].map(([t, n]) => `${t}=${n}`).join(' ');
  io.out(`${file}: ${frames} frames, ${bytes} bytes in valid frames, ${faults.length} faults${types ? `; ${types}` : ''}\n`);
  io.out(faults.length === 0 ? 'OK: all CRCs match\n' : 'FAILED\n');
  return faults.length === 0 ? 0 : 1;
}

/**
 * Run the CLI with `argv` (without node and script). Resolves to the exit code.
 * G3Errors are printed as `error: CODE message`, exit code 1.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let code = 0;
  const program = new Command('g3')
    .description('Inspect G3 frame files and streams (SPT-3G format)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  program
    .command('dump')
    .description('print frames: type, keys, classes, values (arrays abbreviated)')
    .argument('<source>', 'a .g3[.gz|.bz2|.xz] file or tcp://host:port')
    .option('-n <count>', 'stop after this many frames (0 = all)', '0')
    .option('--timeout <seconds>', 'tcp:// only: end after this many idle seconds (-1 = never)', '-1')
    .action(async (src: string, opts: { n: string; timeout: string }) => {
      code = await dump(src, opts, io);
    });
  program
    .command('verify')
    .description('check every frame and CRC of a file and print a summary (exit 1 on faults)')
    .argument('<file>', 'a .g3[.gz|.bz2|.xz] file')
    .action(async (file: string) => {
      code = await verify(file, io);
    });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof G3Error) {
      io.err(`error: ${e.code} ${e.message}\n`);
      return 1;
    }
    const c = (e as { exitCode?: number }).exitCode;
    if (typeof c === 'number') return c;
    throw e;
  }
  return code;
}
