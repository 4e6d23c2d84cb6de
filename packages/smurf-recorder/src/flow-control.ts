/**
 * SO stream flow control (spec B3.1, g3-format.md §6): the G3Int `sostream_flowcontrol` carried by
 * `N` frames (and by the CLEANSE `O`/`W` frames).
 */
import { FlowControlError } from './errors.js';

/** Frame key holding the flow-control value. */
export const FLOW_CONTROL_KEY = 'sostream_flowcontrol';
/** Frame key holding the stream-id (G3String). */
export const STREAM_ID_KEY = 'sostream_id';

/** Flow-control values, as the Python `FlowControl` enum. */
export enum FlowControl {
  /** Keep-alive, sent about once a second when no data flows. Dropped. */
  ALIVE = 0,
  /** Start of an acquisition: closes the open file. Dropped. */
  START = 1,
  /** End of an acquisition: closes the open file and forgets the last Observation. Dropped. */
  END = 2,
  /** Overwrites the sender's cached Observation/Wiring after END. Dropped. */
  CLEANSE = 3,
}

/**
 * Python `FlowControl(value)`: accepts an integer (G3Int, number or bigint) or an integral float
 * (G3Double 1.0 = START) in 0..3. Anything else throws {@link FlowControlError}.
 */
export function parseFlowControl(value: unknown): FlowControl {
  let n: number | undefined;
  if (typeof value === 'bigint') n = value >= 0n && value <= 3n ? Number(value) : -1;
  else if (typeof value === 'number') n = value;
  if (n === undefined || !Number.isInteger(n) || n < 0 || n > 3) {
    throw new FlowControlError(`${String(value)} is not a valid FlowControl`);
  }
  return n as FlowControl;
}
