/**
 * md5 throughput of `md5File` (node:crypto, streaming with a 4 MiB reused buffer) against
 * coreutils `md5sum`, on a 1 GB file on tmpfs, median of 3 runs each, measured in one process.
 *
 *   node --conditions=source --import tsx bench/md5.ts [bytes]
 *
 * Target from the issue: ours >= 0.9 of md5sum's throughput.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { md5File } from '../packages/suprsync/src/index.js';

const bytes = Number(process.argv[2] ?? 1e9);
const dir = mkdtempSync('/dev/shm/suprsync-md5-');
const file = join(dir, 'big.dat');
execFileSync('sh', ['-c', `head -c ${bytes} /dev/urandom > ${file}`]);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  const ours: number[] = [];
  const theirs: number[] = [];
  let a = '';
  let b = '';
  for (let i = 0; i < 3; i++) {
    let t0 = performance.now();
    b = execFileSync('md5sum', [file]).toString().slice(0, 32);
    theirs.push((performance.now() - t0) / 1000);
    t0 = performance.now();
    a = (await md5File(file)).md5;
    ours.push((performance.now() - t0) / 1000);
  }
  if (a !== b) throw new Error(`md5 mismatch: ${a} vs ${b}`);
  const mbs = (s: number): string => (bytes / s / 1e6).toFixed(0);
  const ratio = median(theirs) / median(ours);
  console.log(`md5 of ${(bytes / 1e9).toFixed(2)} GB: md5File ${median(ours).toFixed(2)}s (${mbs(median(ours))} MB/s), ` +
    `md5sum ${median(theirs).toFixed(2)}s (${mbs(median(theirs))} MB/s), throughput ratio ${ratio.toFixed(2)} ` +
    `(target >= 0.9: ${ratio >= 0.9 ? 'met' : 'NOT met'})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
