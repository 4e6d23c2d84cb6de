/**
 * SupRsync copy throughput against plain `rsync -a` over the same sshd, measured in one run.
 * Data, db and remote dir live on tmpfs (/dev/shm); sshd is a throw-away one on 127.0.0.1.
 *
 *   node --conditions=source --import tsx bench/suprsync-copy.ts [small|large|batch100|scale|all]
 *
 * Cases (targets from the issue): small = 2000 × 20 KiB (≤ 1.25× rsync), large = 4 × 250 MiB
 * (≤ 1.1×), batch100 = small with --files-per-batch 100 (≤ 2×; batches pipelined, 3 rsync calls in
 * flight, as `--batches-per-iteration` > 1), batch100serial = the same one batch per call, scale = 20000 files with
 * 100-character remote paths in one batch (completes and verifies).
 *
 * "cold" is a freshly started agent (its first batch pays the ssh2 connect, the md5 worker and the
 * OpenSSH ControlMaster); "warm" is the same agent copying the next set over the connections it
 * keeps between iterations (the steady state). `rsync -a` pays its own ssh connection every run.
 * The test sshd gives sessions a clean HOME (test/helpers/sshd.ts), so the machine's root
 * `.bashrc` (pyenv init, ~90 ms per session) is charged to neither side.
 * On loopback the "remote" md5 runs on the same cores as the transfer; on a real archive host it
 * does not. `rsync -a` uses OpenSSH's default cipher; the agent prefers AES-GCM (see
 * docs/agents/suprsync.md, Performance, for figures and what each change bought).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileHandler, FilesManager, SshSession, md5Bytes } from '../packages/suprsync/src/index.js';
import { startSshd, type TestSshd } from '../packages/suprsync/test/helpers/sshd.js';

const log = process.env['LOGLEVEL'] ? (await import('../packages/suprsync/node_modules/pino/pino.js')).default({ level: process.env['LOGLEVEL'] }) : undefined;
const SHM = '/dev/shm';
// the symlink tree rsync reads lives in $TMPDIR (as Python's tempfile); keep it on tmpfs too
process.env['TMPDIR'] ??= SHM;

interface Case { name: string; files: number; size: number; batch?: number; serial?: boolean; pathLen?: number; target?: number }
const CASES: Record<string, Case> = {
  small: { name: 'small', files: 2000, size: 20 * 1024, target: 1.25 },
  large: { name: 'large', files: 4, size: 250 * 1024 * 1024, target: 1.1 },
  batch100: { name: 'batch100', files: 2000, size: 20 * 1024, batch: 100, target: 2 },
  // the same, one batch per call (the agent's default `--batches-per-iteration 1`); no target
  batch100serial: { name: 'batch100serial', files: 2000, size: 20 * 1024, batch: 100, serial: true },
  scale: { name: 'scale', files: 20000, size: 1024, pathLen: 100 },
};

function remoteName(i: number, pathLen: number | undefined): string {
  const base = `17950/sub${i % 20}/file_${String(i).padStart(6, '0')}.dat`;
  if (!pathLen) return base;
  return `17950/sub${i % 20}/${'p'.repeat(Math.max(1, pathLen - base.length))}_${String(i).padStart(6, '0')}.dat`.slice(-pathLen);
}

function makeData(dir: string, c: Case): { paths: string[]; md5s: string[] } {
  const paths: string[] = [];
  const md5s: string[] = [];
  const block = Buffer.alloc(Math.min(c.size, 16 * 1024 * 1024));
  for (let i = 0; i < c.files; i++) {
    const p = join(dir, `f${i}.dat`);
    if (c.size <= block.length) {
      const buf = Buffer.alloc(c.size, i % 251);
      buf.writeUInt32LE(i, 0);
      writeFileSync(p, buf);
      md5s.push(md5Bytes(buf));
    } else {
      execFileSync('sh', ['-c', `head -c ${c.size} /dev/urandom > ${p}`]);
      md5s.push(execFileSync('md5sum', [p]).toString().slice(0, 32));
    }
    paths.push(p);
  }
  return { paths, md5s };
}

function timeIt(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return (performance.now() - t0) / 1000;
}

function plainRsync(sshd: TestSshd, src: string, dest: string): number {
  const rsh = `ssh -F none -p ${sshd.port} -i ${sshd.keyPath} -o BatchMode=yes -o UserKnownHostsFile=${sshd.knownHostsPath} -o GlobalKnownHostsFile=/dev/null`;
  return timeIt(() => execFileSync('rsync', ['-a', '-e', rsh, `${src}/`, `${sshd.sshHost}:${dest}`]));
}

interface OursResult { cold: number; warm: number; ok: number }

/** Cold: a fresh agent (connects first). Warm: the same agent, connected, copies a second set. */
async function ours(sshd: TestSshd, c: Case, work: string, data: { paths: string[]; md5s: string[] }): Promise<OursResult> {
  const fm = FilesManager.open(join(work, 'db.sqlite'), { log });
  const register = (prefix: string): Promise<void> => fm.write(() => {
    data.paths.forEach((p, i) => fm.insertFileTx({ localPath: p, remotePath: `${prefix}${remoteName(i, c.pathLen)}`, archiveName: 'bench' }, data.md5s[i]!, Date.now() / 1000, true));
  });
  const ssh = new SshSession({ sshHost: sshd.sshHost, port: sshd.port, keyPath: sshd.keyPath, knownHostsPath: sshd.knownHostsPath }, log);
  const handler = new FileHandler(fm, ssh, { archiveName: 'bench', remoteBasedir: join(work, 'remote-ours') }, log);
  const drain = async (): Promise<{ secs: number; ok: number }> => {
    const t0 = performance.now();
    let ok = 0;
    for (;;) {
      // batch100: as the agent with `--files-per-batch 100 --batches-per-iteration 1000`
      const reports = c.batch && !c.serial ? await handler.copyBatches(5, c.batch, 1000) : [await handler.copyFiles(5, c.batch ?? null)];
      const failed = reports.find((r) => r.failure);
      if (failed) throw failed.failure;
      const files = reports.flatMap((r) => r.files);
      if (files.length === 0) break;
      ok += files.filter(([, good]) => good).length;
    }
    return { secs: (performance.now() - t0) / 1000, ok };
  };
  try {
    await register('');
    const cold = await drain();
    // free the cold copies first: every side then writes into the same amount of free memory
    // (on this VM, writing a further GB while 2 GB of new pages are held is up to 2x slower)
    rmSync(join(work, 'remote-ours'), { recursive: true, force: true });
    await register('w/');
    const warm = await drain();
    return { cold: cold.secs, warm: warm.secs, ok: Math.min(cold.ok, warm.ok) };
  } finally {
    handler.close();
    await ssh.close();
    fm.close();
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function runCase(sshd: TestSshd, c: Case, reps: number): Promise<void> {
  const work = mkdtempSync(join(SHM, `suprsync-bench-${c.name}-`));
  try {
    const src = join(work, 'src');
    mkdirSync(src);
    const data = makeData(src, c);
    const bytes = c.files * c.size;
    const base: number[] = [];
    const cold: number[] = [];
    const warm: number[] = [];
    let ok = 0;
    for (let i = 0; i < reps; i++) {
      base.push(plainRsync(sshd, src, join(work, 'remote-plain')));
      rmSync(join(work, 'remote-plain'), { recursive: true, force: true });
      const r = await ours(sshd, c, work, data);
      cold.push(r.cold); warm.push(r.warm); ok = r.ok;
      rmSync(join(work, 'remote-ours'), { recursive: true, force: true });
      rmSync(join(work, 'db.sqlite'), { force: true });
    }
    const b = median(base);
    const line = (label: string, secs: number): string => {
      const ratio = secs / b;
      const verdict = c.target === undefined ? '' : ratio <= c.target ? ` target<=${c.target} met` : ` target<=${c.target} NOT met`;
      return `  ${label.padEnd(5)} ${secs.toFixed(2)}s  ${(c.files / secs).toFixed(0)} files/s  ${(bytes / secs / 1e6).toFixed(1)} MB/s  ratio=${ratio.toFixed(2)}${verdict}`;
    };
    console.log(`${c.name}: ${c.files} files x ${c.size} B${c.batch ? `, --files-per-batch ${c.batch}` : ''}, verified=${ok}, median of ${reps}`);
    console.log(`  rsync -a ${b.toFixed(2)}s  ${(c.files / b).toFixed(0)} files/s  ${(bytes / b / 1e6).toFixed(1)} MB/s`);
    console.log(line('cold', median(cold)));
    console.log(line('warm', median(warm)));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const which = process.argv[2] ?? 'all';
const sshd = await startSshd();
try {
  const reps = Number(process.env['REPS'] ?? 3);
  for (const c of which === 'all' ? Object.values(CASES) : [CASES[which]!]) await runCase(sshd, c, c.name === 'scale' ? 1 : reps);
} finally {
  await sshd.close();
}
