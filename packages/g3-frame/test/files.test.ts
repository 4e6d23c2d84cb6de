/** File reading/writing by suffix (g3-format.md §4) in a temp dir. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeFrames, encodeFrame, FrameType, G3Error, G3FileWriter, G3Frame, G3Int, G3VectorDouble, readG3File, readG3FileAll } from '../src/index.js';
import { fixture } from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'g3-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stream = readFileSync(fixture('smurf_sim_stream.g3'));

describe('G3FileWriter', () => {
  it.each(['out.g3', 'out.g3.gz', 'out.g3.xz'])('writes %s that reads back to the same frames', async (name) => {
    const frames = await readG3FileAll(fixture('smurf_sim_stream.g3'));
    const p = path.join(dir, name);
    const w = await G3FileWriter.open(p);
    for (const f of frames) await w.write(f);
    await w.write(new G3Frame(FrameType.EndProcessing)); // never written
    await w.fsync();
    await w.close();
    await w.close();
    expect(w.framesWritten).toBe(11);
    const back = await readG3FileAll(p);
    expect(Buffer.concat(back.map((f) => f.raw!)).equals(stream)).toBe(true);
    if (name.endsWith('.gz')) expect(gunzipSync(readFileSync(p)).equals(stream)).toBe(true);
  });

  it('appends to plain files and refuses append to compressed ones', async () => {
    const p = path.join(dir, 'append.g3');
    for (let i = 0; i < 2; i++) {
      const w = await G3FileWriter.open(p, { append: true });
      await w.write(new G3Frame(FrameType.Scan, [['n', new G3Int(i)]]));
      await w.close();
    }
    expect((await readG3FileAll(p)).map((f) => f.getInt('n'))).toEqual([0n, 1n]);
    await expect(G3FileWriter.open(path.join(dir, 'x.g3.gz'), { append: true })).rejects.toMatchObject({ code: 'G3_ERR_UNSUPPORTED' });
    await expect(G3FileWriter.open(path.join(dir, 'x.g3.bz2'))).rejects.toMatchObject({ code: 'G3_ERR_UNSUPPORTED' });
  });

  it('keeps call order without awaiting; gzip flush makes written frames readable mid-file', async () => {
    const p = path.join(dir, 'live.g3.gz');
    const w = await G3FileWriter.open(p);
    void w.write(new G3Frame(FrameType.Scan, [['n', new G3Int(1)]]));
    void w.write(new G3Frame(FrameType.Scan, [['n', new G3Int(2)]]));
    await w.flush();
    const partial = gunzipSync(readFileSync(p), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    expect(decodeFrames(partial).map((f) => f.getInt('n'))).toEqual([1n, 2n]);
    await w.close();
  });

  it('writing after close is G3_ERR_CLOSED', async () => {
    const w = await G3FileWriter.open(path.join(dir, 'closed.g3'));
    await w.close();
    await expect(w.write(new G3Frame(FrameType.Scan))).rejects.toMatchObject({ code: 'G3_ERR_CLOSED' });
  });
});

describe('readG3File', () => {
  it('an empty file has no frames', async () => {
    const p = path.join(dir, 'empty.g3');
    writeFileSync(p, '');
    expect(await readG3FileAll(p)).toEqual([]);
  });

  it('a file ending in a partial frame raises G3_ERR_TRUNCATED with the frame offset', async () => {
    const p = path.join(dir, 'partial.g3');
    writeFileSync(p, stream.subarray(0, stream.length - 10));
    const err = await readG3FileAll(p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(G3Error);
    expect((err as G3Error).code).toBe('G3_ERR_TRUNCATED');
    expect((err as G3Error).offset).toBe(3274); // start of the last frame (expected/*.frames.json)
  });

  it('reads in small blocks (frames split across reads)', async () => {
    const frames = await readG3FileAll(fixture('smurf_sim_stream.g3'), { blockSize: 13 });
    expect(frames.length).toBe(11);
  });
});

describe('corrupt compressed files', () => {
  it.each(['bad.g3.gz', 'bad.g3.bz2', 'bad.g3.xz'])('%s raises a G3Error, not a raw library error', async (name) => {
    const src = readFileSync(fixture(`smurf_sim_stream.g3.${name.split('.').pop()}`));
    const bytes = Buffer.from(src);
    for (let i = 20; i < bytes.length - 20; i += 37) bytes[i] = bytes[i]! ^ 0xa5;
    const p = path.join(dir, name);
    writeFileSync(p, bytes);
    const err = await readG3FileAll(p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(G3Error);
  });
});

describe('readG3File on plain files (read-ahead)', () => {
  const frames = [0, 1, 2, 3, 4].map((n) => Buffer.from(encodeFrame(new G3Frame(FrameType.Scan, [['n', new G3Int(n)], ['v', new G3VectorDouble(new Float64Array(40_000).fill(n))]]))));
  const p = path.join(dir, 'ahead.g3');
  writeFileSync(p, Buffer.concat(frames));

  it('frames kept while later ones are read stay intact, with small and default reads', async () => {
    for (const blockSize of [1000, undefined]) {
      const got: G3Frame[] = [];
      for await (const f of readG3File(p, blockSize ? { blockSize } : {})) got.push(f);
      expect(got.map((f) => f.getInt('n'))).toEqual([0n, 1n, 2n, 3n, 4n]);
      got.forEach((f, i) => expect(Buffer.from(f.raw!).equals(frames[i]!)).toBe(true));
    }
  });

  it('stops cleanly when the consumer leaves early', async () => {
    let seen = 0;
    for await (const f of readG3File(p)) {
      seen += Number(f.getInt('n')) + 1;
      break;
    }
    expect(seen).toBe(1);
  });
});
