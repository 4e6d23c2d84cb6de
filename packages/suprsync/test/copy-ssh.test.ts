import { readFileSync, statSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { md5Bytes } from '../src/index.js';
import { startSshd, type TestSshd } from './helpers/sshd.js';
import { TestLoop, tempDir, writeFile } from './helpers/loop.js';

let sshd: TestSshd;
beforeAll(async () => { sshd = await startSshd(); });
afterAll(async () => { await sshd?.close(); });

describe('copy over ssh (spec C1.2, C1.3)', () => {
  it('copies, verifies by remote md5 and records the row; other archives untouched', async () => {
    const t = tempDir();
    const loop = new TestLoop({ dbPath: join(t.path, 'db', 's.db'), remoteBasedir: join(t.path, 'remote', 'base'), sshd });
    mkdirSync(join(t.path, 'remote'));
    try {
      const content = 'hello timestreams\n';
      const local = writeFile(join(t.path, 'data', '1795000000_000.g3'), content);
      const other = writeFile(join(t.path, 'data', 'other.g3'), 'other');
      await loop.fm.addFile({ localPath: local, remotePath: '17950/crate1slot2/1795000000_000.g3', archiveName: 'arch' });
      const b = await loop.fm.addFile({ localPath: other, remotePath: '17950/x/other.g3', archiveName: 'B' });
      await loop.iterate();
      expect(loop.state.data.last_copy.error_detail).toBeUndefined();
      const remote = join(t.path, 'remote', 'base', '17950/crate1slot2/1795000000_000.g3');
      expect(readFileSync(remote, 'utf8')).toBe(content);
      expect(statSync(remote).mode & 0o777).toBe(0o664);
      const row = (await loop.fm.getFile(1))!;
      expect(row.remote_md5sum).toBe(md5Bytes(content));
      expect(row.copied).toBeGreaterThan(0);
      expect(row.failed_copy_attempts).toBe(0);
      expect(loop.state.data.last_copy.files).toEqual([[local, true]]);
      expect(loop.state.data.counters.copies).toBe(1);
      expect(await loop.fm.getFile(b.id)).toEqual(b);
      expect(existsSync(join(t.path, 'remote', 'base', '17950/x/other.g3'))).toBe(false);
    } finally {
      await loop.close();
      t.rm();
    }
  });
});
