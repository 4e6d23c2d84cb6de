/**
 * Crash safety (new; Python has none). While a file is open, a small marker
 * `<data-dir>/.smurf-recorder/<instance-id>.open` names it. If the recorder dies (`kill -9`, power
 * loss), the next `record` start finds the marker, cuts the file after its last whole frame (a
 * frame may have been half written), fsyncs it and hands it on for SupRsync registration.
 */
import { open, readFile, rm, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FrameDecoder, G3Error } from '@smurf-ocs/g3-frame';
import type { Logger } from 'pino';
import { RecoverError } from './errors.js';

/** Result of {@link OpenFileMarker.recover}. */
export interface RecoveredFile {
  path: string;
  /** Size after repair = end of the last whole frame. */
  bytes: number;
  /** Bytes cut from the end (a partly written frame). */
  truncated: number;
  frames: number;
}

/** The marker file of one recorder instance. */
export class OpenFileMarker {
  readonly path: string;

  constructor(dataDir: string, instanceId: string) {
    this.path = path.join(dataDir, '.smurf-recorder', `${instanceId.replace(/[^\w.-]/g, '_')}.open`);
  }

  /** Record that `filePath` is open. Throws the fs error. */
  async set(filePath: string): Promise<void> {
    await mkdir(path.dirname(this.path), { recursive: true });
    await writeFile(this.path, `${JSON.stringify({ path: filePath })}\n`);
  }

  /** Forget the open file. */
  async clear(): Promise<void> {
    await rm(this.path, { force: true });
  }

  /**
   * If a marker is left, repair the file it names and remove the marker. Resolves undefined if
   * there was nothing to do (or the file is gone). Throws {@link RecoverError}.
   */
  async recover(log: Logger): Promise<RecoveredFile | undefined> {
    let filePath: string;
    try {
      filePath = (JSON.parse(await readFile(this.path, 'utf8')) as { path: string }).path;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      log.warn({ err, marker: this.path }, 'Unreadable open-file marker removed');
      await this.clear();
      return undefined;
    }
    const r = await repairFile(filePath).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new RecoverError(filePath, 'cannot repair the file left open', { cause: err });
    });
    await this.clear();
    if (r) log.warn({ path: r.path, bytes: r.bytes, truncated: r.truncated }, 'Recovered file left open by a previous run');
    return r;
  }
}

/** Cut `filePath` after its last whole, CRC-valid frame and fsync it. */
export async function repairFile(filePath: string): Promise<RecoveredFile> {
  const fh = await open(filePath, 'r+');
  try {
    const decoder = new FrameDecoder();
    const { size } = await fh.stat();
    let frames = 0;
    let good = 0;
    const buf = Buffer.alloc(1 << 20);
    for (let pos = 0; pos < size; ) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      try {
        frames += decoder.push(Buffer.from(buf.subarray(0, bytesRead))).length;
      } catch (err) {
        if (!(err instanceof G3Error)) throw err;
        good = decoder.position; // start of the first bad frame
        break;
      }
      good = decoder.position;
    }
    if (good < size) await fh.truncate(good);
    await fh.sync();
    return { path: filePath, bytes: good, truncated: size - good, frames };
  } finally {
    await fh.close();
  }
}
