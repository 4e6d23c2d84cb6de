/** Test helpers: a frame collector over a real TCP reader and a compact frame notation. */
import { setTimeout as delay } from 'node:timers/promises';
import { FrameType, G3StreamReader, flowControlOf, type G3Frame, type G3NetworkSender } from '@smurf-ocs/g3-frame';

/**
 * One token per frame: `N<flow>` for flow-control frames of type N, `O3`/`W3` for CLEANSE,
 * `O` for a real Observation, `S<frame_num>` for Scans, else the type name.
 */
export function token(f: G3Frame): string {
  const flow = flowControlOf(f);
  if (flow !== undefined) return `${f.typeName === 'none' ? 'N' : f.typeName[0]}${flow}`;
  if (f.type === FrameType.Scan) return `S${f.getInt('frame_num')}`;
  if (f.type === FrameType.Observation) return 'O';
  return f.typeName;
}

/** Reads every frame of one connection in the background. */
export class Collector {
  readonly frames: G3Frame[] = [];
  readonly done: Promise<void>;
  private constructor(readonly reader: G3StreamReader) {
    this.done = (async () => {
      for await (const f of reader) this.frames.push(f);
    })();
  }

  /**
   * Connect to a sender on 127.0.0.1 and wait until the sender has seen the connection (it
   * accepts a connection only when it sends its next frame, g3-format.md §5.1). Without
   * `sender` (a child process) there is nothing to wait on.
   */
  static async connect(port: number, sender?: () => G3NetworkSender | undefined): Promise<Collector> {
    const before = sender?.()?.clientCount ?? 0;
    const c = new Collector(await G3StreamReader.connect(`tcp://127.0.0.1:${port}`, { timeout: 20 }));
    if (!sender) return c;
    const deadline = Date.now() + 10_000;
    for (let s = sender(); !s || (s.waitingClients === 0 && s.clientCount <= before); s = sender()) {
      if (Date.now() > deadline) throw new Error('the sender never saw the connection');
      await delay(5);
    }
    return c;
  }

  /** Tokens of the frames received so far, space-separated. */
  get tokens(): string {
    return this.frames.map(token).join(' ');
  }

  /** Polls until `pred` holds (deadline 15 s), failing with the frames seen so far. */
  async waitFor(pred: (tokens: string[]) => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (!pred(this.frames.map(token))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got: ${this.tokens}`);
      await delay(10);
    }
  }

  close(): void {
    this.reader.close();
  }
}

/** Keys of the `stream` process's session.data (docs/agents/smurf-stream-simulator.md). */
export const SESSION_DATA_KEYS = ['streaming', 'frame_num', 'frames_sent', 'clients', 'port', 'num_chans', 'frame_rate', 'sample_rate', 'samples_per_frame', 'last_scan_time', 'timestamp'];
