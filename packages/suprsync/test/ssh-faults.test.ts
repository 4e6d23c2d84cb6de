/**
 * Faults on the ssh side with a real sshd (spec §A8, C1.7–10): remote down, hanging, dying
 * mid-copy, md5 timeout; host-key checks; long batches and odd file names.
 */
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { md5Bytes, type SupRsyncFile } from '../src/index.js';
import { startSshd, type TestSshd } from './helpers/sshd.js';
import { TestLoop, loopFixture, tempDir, writeFile } from './helpers/loop.js';

let sshd: TestSshd;
beforeAll(async () => { sshd = await startSshd(); });
afterAll(async () => { await sshd?.close(); });
const { setup, onCleanup } = loopFixture(() => ({ sshd }));

async function rows(loop: TestLoop): Promise<SupRsyncFile[]> { return loop.fm.getKnownFiles('arch'); }

describe('remote unreachable (C1.7)', () => {
  it('counts nonzero, changes no row, backs off, recovers when the host returns', async () => {
    const { dir, dest, loop } = setup({ sleepTime: 0.5 });
    await loop.fm.addFile({ localPath: writeFile(join(dir, 'a'), 'a'), remotePath: 'misc/a', archiveName: 'arch' });
    const before = await rows(loop);
    await sshd.stop();
    onCleanup(() => sshd.start().catch(() => undefined));
    await loop.iterate();
    const c = loop.state.data.counters;
    expect(c.errors_nonzero).toBe(1);
    expect(loop.state.data.last_copy.error).toBe('nonzero exit');
    expect(loop.state.data.last_copy.files).toBeUndefined();
    expect(loop.degraded).toBe(true);
    expect(await rows(loop)).toEqual(before);
    await loop.iterate(); // inside the back-off window: no attempt at all
    expect(c.errors_nonzero).toBe(1);
    expect(loop.state.data.last_copy.backoff_until).toBeGreaterThan(Date.now() / 1000 - 1);
    expect(loop.state.data.archive_stats).toBeDefined(); // stats still published
    await sshd.start();
    await new Promise((r) => setTimeout(r, 1100));
    await loop.iterate();
    expect(loop.degraded).toBe(false);
    expect(readFileSync(join(dest, 'misc/a'), 'utf8')).toBe('a');
    expect((await rows(loop))[0]).toMatchObject({ remote_md5sum: md5Bytes('a'), failed_copy_attempts: 0 });
  });
});

describe('remote hangs (C1.8)', () => {
  it('--copy-timeout: the batch is abandoned as timed out, rows unchanged', async () => {
    const { dir, loop } = setup({ handler: { copyTimeoutMs: 1500 } });
    await loop.fm.addFile({ localPath: writeFile(join(dir, 'a'), 'a'), remotePath: 'misc/a', archiveName: 'arch' });
    const before = await rows(loop);
    sshd.pause();
    onCleanup(() => sshd.resume());
    await loop.iterate();
    sshd.resume();
    expect(loop.state.data.counters.errors_timeout).toBe(1);
    expect(loop.state.data.last_copy.error).toBe('timed out');
    expect(await rows(loop)).toEqual(before);
  });
});

describe('remote dies mid-copy (C1.9)', () => {
  it('rows stay unchanged; the next iteration after the restart copies and verifies', async () => {
    const { dir, dest, loop } = setup({ handler: { bwlimit: '300' } });
    const big = Buffer.alloc(600_000, 7); // ~2 s at --bwlimit 300 (KiB/s)
    await loop.fm.addFile({ localPath: writeFile(join(dir, 'big'), big), remotePath: 'misc/big', archiveName: 'arch' });
    const before = await rows(loop);
    const it1 = loop.iterate();
    // wait until rsync is writing its temp file on the "remote", then kill sshd and its sessions
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !(existsSync(join(dest, 'misc')) && (await import('node:fs')).readdirSync(join(dest, 'misc')).length > 0)) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await sshd.stop();
    await it1;
    expect(loop.state.data.last_copy.error).toBe('nonzero exit');
    expect(loop.state.data.counters.errors_nonzero).toBe(1);
    expect(await rows(loop)).toEqual(before);
    await sshd.start();
    loop.state.backoffUntil = 0;
    await loop.iterate();
    expect((await rows(loop))[0]).toMatchObject({ remote_md5sum: md5Bytes(big), failed_copy_attempts: 0 });
  });
});

describe('md5 timeout (C1.10)', () => {
  it('--cmd-timeout too short: errors_timeout every iteration, rows never change', async () => {
    // rsync skips a file already complete on the remote (same size and mtime), so only the remote
    // md5 can verify it; that md5 times out every time (the livelock C1.10 documents)
    const { dir, dest, loop } = setup({ handler: { cmdTimeoutMs: 1 } });
    const local = writeFile(join(dir, 'a'), 'a');
    const remote = writeFile(join(dest, 'misc/a'), 'a');
    const t = new Date(Date.now() - 60_000);
    utimesSync(local, t, t);
    utimesSync(remote, t, t);
    await loop.fm.addFile({ localPath: local, remotePath: 'misc/a', archiveName: 'arch' });
    const before = await rows(loop);
    await loop.iterate();
    await loop.iterate();
    expect(loop.state.data.counters.errors_timeout).toBe(2);
    expect(await rows(loop)).toEqual(before);
  });

  it('a file rsync sends is verified by its %C (no remote command), whatever --cmd-timeout', async () => {
    const { dir, dest, loop } = setup({ handler: { cmdTimeoutMs: 1 } });
    await loop.fm.addFile({ localPath: writeFile(join(dir, 'a'), 'a'), remotePath: 'misc/a', archiveName: 'arch' });
    await loop.iterate();
    expect(loop.state.data.counters.errors_timeout).toBe(0);
    expect(readFileSync(join(dest, 'misc/a'), 'utf8')).toBe('a');
    expect((await rows(loop))[0]).toMatchObject({ remote_md5sum: md5Bytes('a'), failed_copy_attempts: 0 });
  });
});

describe('host keys', () => {
  it('an unknown host is refused; --accept-new-host-keys adds it; a changed key is always refused', async () => {
    const t = tempDir();
    onCleanup(() => t.rm());
    mkdirSync(join(t.path, 'remote'));
    const kh = join(t.path, 'kh', 'known_hosts');
    const mk = (acceptNewHostKeys: boolean): TestLoop => {
      const loop = new TestLoop({ dbPath: join(t.path, 's.db'), remoteBasedir: join(t.path, 'remote', 'b'), sshd, sshTarget: { knownHostsPath: kh, acceptNewHostKeys } });
      onCleanup(() => loop.close());
      return loop;
    };
    const strict = mk(false);
    await strict.fm.addFile({ localPath: writeFile(join(t.path, 'a'), 'a'), remotePath: 'misc/a', archiveName: 'arch' });
    await strict.iterate();
    expect(strict.state.data.last_copy.error_detail).toMatch(/not in .*known_hosts/);
    expect(existsSync(kh)).toBe(false);
    const accept = mk(true);
    await accept.iterate();
    expect(readFileSync(kh, 'utf8')).toMatch(new RegExp(`^\\[127\\.0\\.0\\.1\\]:${sshd.port} ssh-ed25519 `));
    expect((await rows(accept))[0]!.remote_md5sum).toBe(md5Bytes('a'));
    writeFileSync(kh, `[127.0.0.1]:${sshd.port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n`);
    const changed = mk(true);
    await changed.fm.addFile({ localPath: writeFile(join(t.path, 'b'), 'b'), remotePath: 'misc/b', archiveName: 'arch' });
    await changed.iterate();
    expect(changed.state.data.last_copy.error_detail).toMatch(/does not match/);
  });
});

describe('bad ssh key', () => {
  it('a missing --ssh-key is reported and backed off, not a crash', async () => {
    const { dir, loop } = setup({ sshTarget: { keyPath: '/nonexistent/key' } });
    await loop.fm.addFile({ localPath: writeFile(join(dir, 'a'), 'a'), remotePath: 'misc/a', archiveName: 'arch' });
    await loop.iterate();
    expect(loop.state.data.counters.errors_nonzero).toBe(1);
    expect(loop.state.data.last_copy.error_detail).toMatch(/cannot read ssh key/);
    expect(loop.state.backoffUntil).toBeGreaterThan(Date.now() / 1000);
  });
});

describe('long batches and odd names', () => {
  it('2000 files with 100+ character remote paths in one batch (over 128 KiB of paths) copy and verify', async () => {
    const { dir, loop } = setup();
    const long = 'd'.repeat(90);
    await loop.fm.write(() => {
      for (let i = 0; i < 2000; i++) {
        const p = writeFile(join(dir, 'src', `f${i}`), `c${i}`);
        loop.fm.insertFileTx({ localPath: p, remotePath: `misc/${long}/file_${String(i).padStart(5, '0')}`, archiveName: 'arch' }, md5Bytes(`c${i}`), 1, true);
      }
    });
    await loop.iterate();
    expect(loop.state.data.last_copy.files?.filter(([, ok]) => ok)).toHaveLength(2000);
    expect(loop.state.data.archive_stats?.uncopied_files).toBe(0);
  });

  it('remote paths with spaces, quotes and shell characters verify', async () => {
    const { dir, dest, loop } = setup();
    const names = ["misc/with space/a b.dat", "misc/quote'n\"/x$(id).dat", 'misc/back\\slash/n;1'];
    for (const [i, n] of names.entries()) await loop.fm.addFile({ localPath: writeFile(join(dir, `s${i}`), n), remotePath: n, archiveName: 'arch' });
    await loop.iterate();
    expect(loop.state.data.last_copy.files?.map(([, ok]) => ok)).toEqual([true, true, true]);
    expect(readFileSync(join(dest, names[1]!), 'utf8')).toBe(names[1]);
  });
});
