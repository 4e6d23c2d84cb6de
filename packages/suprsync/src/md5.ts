/**
 * Streaming md5 of a local file (spec §A3: md5 over the whole content, lowercase hex).
 * Reads with one large reused buffer; see bench/md5.ts for the throughput against `md5sum`.
 */
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';

const CHUNK_BYTES = 4 * 1024 * 1024;

/** md5 and the file's identity while it was hashed. */
export interface Md5Result {
  /** Lowercase hex md5 of the whole file. */
  md5: string;
  /** Size in bytes. */
  size: number;
  /** Modification time in nanoseconds since the Unix epoch. */
  mtimeNs: bigint;
  /** True if size and mtime were the same before and after reading (the file was not changing). */
  stable: boolean;
}

/** Double buffering: the next read runs on the thread pool while this chunk is hashed. */
async function hashOpen(fh: FileHandle): Promise<string> {
  const hash = createHash('md5');
  const bufs = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)] as const;
  let pos = 0;
  let k = 0;
  let pending = fh.read(bufs[0], 0, CHUNK_BYTES, pos);
  for (;;) {
    const { bytesRead } = await pending;
    if (bytesRead === 0) break;
    pos += bytesRead;
    const cur = bufs[k]!;
    k ^= 1;
    pending = fh.read(bufs[k]!, 0, CHUNK_BYTES, pos);
    hash.update(bytesRead === CHUNK_BYTES ? cur : cur.subarray(0, bytesRead));
  }
  return hash.digest('hex');
}

/**
 * md5 of `path` plus its size/mtime before and after hashing.
 * @throws the fs error (ENOENT, EISDIR, EACCES, ...) unchanged.
 */
export async function md5File(path: string): Promise<Md5Result> {
  const fh = await open(path, 'r');
  try {
    const before = await fh.stat({ bigint: true });
    if (!before.isFile()) {
      throw Object.assign(new Error(`EISDIR: not a regular file, ${path}`), { code: 'EISDIR' });
    }
    const md5 = await hashOpen(fh);
    const after = await fh.stat({ bigint: true });
    return {
      md5,
      size: Number(after.size),
      mtimeNs: after.mtimeNs,
      stable: before.size === after.size && before.mtimeNs === after.mtimeNs,
    };
  } finally {
    await fh.close();
  }
}

/** md5 of an in-memory buffer or string (used for the finalization YAML). */
export function md5Bytes(data: string | Buffer): string {
  return createHash('md5').update(data).digest('hex');
}
