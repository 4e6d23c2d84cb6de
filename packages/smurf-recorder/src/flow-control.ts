/**
 * SO stream flow control (spec B3.1, g3-format.md §6): the G3Int `sostream_flowcontrol` carried by
 * `N` frames (and by the CLEANSE `O`/`W` frames).
 */
import { FlowControl } from '@smurf-ocs/g3-frame';
import { FlowControlError } from './errors.js';

// The enum and key are g3-frame's (shared with the simulator); re-exported for this package's API.
export { FlowControl, FLOW_CONTROL_KEY } from '@smurf-ocs/g3-frame';

/** Frame key holding the stream-id (G3String). */
export const STREAM_ID_KEY = 'sostream_id';

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
