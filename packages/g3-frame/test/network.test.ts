/** G3NetworkSender and G3StreamReader over real TCP on 127.0.0.1 (g3-format.md §5). */
import { connect, createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  FlowControl,
  FLOW_CONTROL_KEY,
  flowControlOf,
  FrameType,
  G3ConnectError,
  G3Error,
  G3Frame,
  G3Int,
  G3NetworkSender,
  G3StreamReader,
  encodeFrame,
} from '../src/index.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function fc(type: number, v: FlowControl): G3Frame {
  return new G3Frame(type, [[FLOW_CONTROL_KEY, new G3Int(v)]]);
}
function scan(n: number): G3Frame {
  return new G3Frame(FrameType.Scan, [['frame_num', new G3Int(n)]]);
}

async function sender(maxQueueSize = 0, host = '127.0.0.1'): Promise<G3NetworkSender> {
  const s = await G3NetworkSender.listen({ port: 0, host, maxQueueSize });
  cleanups.push(() => s.close());
  return s;
}
async function reader(port: number, timeout = -1): Promise<G3StreamReader> {
  const r = await G3StreamReader.connect(`tcp://127.0.0.1:${port}`, { timeout });
  cleanups.push(() => r.close());
  return r;
}
/** Poll (with a deadline) until the sender has `n` connections waiting to be accepted. */
async function until(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('G3NetworkSender + G3StreamReader', () => {
  it('replays the latest metadata frame per type to a new client, then live frames (§5.1 example)', async () => {
    const s = await sender();
    s.send(fc(FrameType.None, FlowControl.Start));
    s.send(new G3Frame(FrameType.Observation, [['session_id', new G3Int(7)]]));
    s.send(fc(FrameType.None, FlowControl.Alive));
    s.send(scan(0)); // lost: nobody connected
    const r = await reader(s.port);
    await until(() => s.waitingClients === 1);
    s.send(scan(1));
    s.send(scan(2));
    const got = [await r.next(), await r.next(), await r.next(), await r.next()];
    expect(got.map((f) => f!.type)).toEqual([FrameType.None, FrameType.Observation, FrameType.Scan, FrameType.Scan]);
    expect(flowControlOf(got[0]!)).toBe(FlowControl.Alive);
    expect(got[2]!.getInt('frame_num')).toBe(1n);
    expect(got[3]!.getInt('frame_num')).toBe(2n);
  });

  it('sends bytes identical to the encoded frames, and ends cleanly at close', async () => {
    const s = await sender();
    const r = await reader(s.port);
    await until(() => s.waitingClients === 1);
    const frames = [scan(1), new G3Frame(FrameType.Wiring, [['dump', new G3Int(1)]]), scan(2)];
    for (const f of frames) s.send(f);
    await s.close();
    const got: G3Frame[] = [];
    for await (const f of r) got.push(f);
    expect(got.map((f) => Buffer.from(f.raw!).toString('hex'))).toEqual(frames.map((f) => Buffer.from(encodeFrame(f)).toString('hex')));
  });

  it('does not send EndProcessing frames (sender on all interfaces, host *)', async () => {
    const s = await sender(0, '*');
    const r = await reader(s.port);
    await until(() => s.waitingClients === 1);
    s.send(scan(1));
    s.send(new G3Frame(FrameType.EndProcessing));
    s.send(scan(2));
    expect((await r.next())!.getInt('frame_num')).toBe(1n);
    expect((await r.next())!.getInt('frame_num')).toBe(2n);
  });

  it('drops only Scan/Timepoint frames for a client whose queue is full', async () => {
    const s = await sender(2);
    const r = await reader(s.port);
    await until(() => s.waitingClients === 1);
    s.send(scan(0)); // accepts the client
    const big = new Uint8Array(4 << 20);
    for (let i = 1; i <= 20; i++) s.send(new G3Frame(FrameType.Scan).setBlob('pad', encodeBlobPad(big, i)));
    s.send(new G3Frame(FrameType.Observation, [['session_id', new G3Int(1)]]));
    expect(s.framesDropped).toBeGreaterThan(0);
    const types: number[] = [];
    for (let f = await r.next(); f && f.type !== FrameType.Observation; f = await r.next()) types.push(f.type);
    expect(types.length).toBeLessThan(21);
    expect(types.length + s.framesDropped).toBe(21);
  });

  it('reader timeout between frames ends the stream cleanly', async () => {
    const s = await sender();
    const r = await reader(s.port, 0.2);
    await until(() => s.waitingClients === 1);
    s.send(scan(1));
    expect((await r.next())!.getInt('frame_num')).toBe(1n);
    expect(await r.next()).toBeUndefined();
    expect(await r.next()).toBeUndefined();
  });

  it('reader timeout inside a frame is G3_ERR_TRUNCATED', async () => {
    const bytes = encodeFrame(scan(3));
    const server: Server = createServer((sock) => sock.write(bytes.subarray(0, 20)));
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
    cleanups.push(() => new Promise((res) => server.close(res)));
    const port = (server.address() as { port: number }).port;
    const r = await reader(port, 0.2);
    await expect(r.next()).rejects.toSatisfy((e: unknown) => e instanceof G3Error && e.code === 'G3_ERR_TRUNCATED');
  });

  it('connect failure is G3ConnectError', async () => {
    const server = createServer();
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
    const port = (server.address() as { port: number }).port;
    await new Promise((res) => server.close(res));
    await expect(G3StreamReader.connect(`tcp://127.0.0.1:${port}`)).rejects.toBeInstanceOf(G3ConnectError);
  });

  it('a client that connects while the sender is idle gets nothing until the next send', async () => {
    const s = await sender();
    s.send(fc(FrameType.None, FlowControl.Alive));
    const sock = connect(s.port, '127.0.0.1');
    cleanups.push(() => sock.destroy());
    let received = 0;
    sock.on('data', (d: Buffer) => (received += d.length));
    await until(() => s.waitingClients === 1);
    await new Promise((r) => setTimeout(r, 50)); // give stray bytes a chance to arrive
    expect(received).toBe(0);
    expect(s.clientCount).toBe(0);
    s.send(scan(1));
    expect(s.clientCount).toBe(1);
  });
});

function encodeBlobPad(big: Uint8Array, i: number): Uint8Array {
  const b = new Uint8Array(big.length);
  b[0] = i;
  return b;
}

describe('reverse direction: reader listens (tcp://*:port), sender connects', () => {
  it('delivers frames', async () => {
    let resolvePort: (p: number) => void = () => {};
    const portP = new Promise<number>((res) => (resolvePort = res));
    const readerP = G3StreamReader.connect('tcp://*:0', { onListening: resolvePort });
    const s = await G3NetworkSender.connect({ host: '127.0.0.1', port: await portP });
    cleanups.push(() => s.close());
    const r = await readerP;
    cleanups.push(() => r.close());
    s.send(scan(5));
    expect((await r.next())!.getInt('frame_num')).toBe(5n);
  });
});

describe('G3NetworkSender.queuedBytes', () => {
  it('counts bytes a slow client has not taken, and drops to 0 once it reads them', async () => {
    const s = await sender();
    const sock = connect(s.port, '127.0.0.1');
    cleanups.push(() => sock.destroy());
    sock.pause();
    await new Promise((r) => sock.once('connect', r));
    while (s.clientCount === 0) {
      s.send(scan(0));
      await new Promise((r) => setTimeout(r, 10));
    }
    const big = new G3Frame(FrameType.Scan).setBlob('data', new Uint8Array(4 << 20));
    for (let i = 0; i < 4; i++) s.send(big);
    expect(s.queuedBytes).toBeGreaterThan(8 << 20); // the kernel cannot hold 16 MiB for a paused reader
    let got = 0;
    sock.on('data', (b: Buffer) => (got += b.length));
    sock.resume();
    await s.flush();
    expect(s.queuedBytes).toBe(0);
    expect(got).toBeGreaterThan(0);
  });
});
