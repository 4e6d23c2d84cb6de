/**
 * Frame types (g3-format.md §2.1) and the SO SMuRF flow-control vocabulary (§6).
 *
 * A frame type is a u32. Standard types are one ASCII character; ad-hoc types (since 2020-09) are
 * 1–4 ASCII characters right-justified, first character most significant. Any u32 is accepted.
 */

/** Standard frame types, by their u32 code (`'S'` = 0x53). */
export enum FrameType {
  /** `T`: timepoint (not cached/replayed by G3NetworkSender). */
  Timepoint = 0x54,
  /** `H`: housekeeping. */
  Housekeeping = 0x48,
  /** `O`: observation (SMuRF session metadata). */
  Observation = 0x4f,
  /** `S`: scan (detector data; not cached/replayed, droppable when a client queue is full). */
  Scan = 0x53,
  /** `M`: map. */
  Map = 0x4d,
  /** `I`: instrument status. */
  InstrumentStatus = 0x49,
  /** `W`: wiring (SMuRF status dumps). */
  Wiring = 0x57,
  /** `C`: calibration. */
  Calibration = 0x43,
  /** `G`: GCP slow data. */
  GcpSlow = 0x47,
  /** `P`: pipeline info (dropped by the SMuRF recorder). */
  PipelineInfo = 0x50,
  /** `E`: ephemeris (since 2021-08). */
  Ephemeris = 0x45,
  /** `L`: light curve (since 2021-08). */
  LightCurve = 0x4c,
  /** `R`: statistics (since 2021-08). */
  Statistics = 0x52,
  /** `Z`: end of processing; never written to files nor sent on the network. */
  EndProcessing = 0x5a,
  /** `N`: python `G3FrameType.none`; SMuRF flow-control and keep-alive frames use it. */
  None = 0x4e,
}

/** Key holding the flow-control value in SMuRF stream frames (G3Int, §6). */
export const FLOW_CONTROL_KEY = 'sostream_flowcontrol';

/** Values of `sostream_flowcontrol` (§6): same enum in streamer, simulator and recorder. */
export enum FlowControl {
  /** Keep-alive, sent when there is no data (~1 Hz). */
  Alive = 0,
  /** Start of a stream: the recorder closes its current file. */
  Start = 1,
  /** End of a stream: the recorder closes its file and forgets the last Observation frame. */
  End = 2,
  /** Sent on Observation/Wiring frames after END to overwrite the sender's replay cache. */
  Cleanse = 3,
}

const NAMES = new Map<number, string>(
  Object.entries(FrameType)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => [v as number, k]),
);

/** Python name of a standard type (`Scan`; `none` for 0x4e as python prints it) or undefined. */
export function standardFrameTypeName(code: number): string | undefined {
  return code === FrameType.None ? 'none' : NAMES.get(code);
}

/**
 * Display name of any type code: the standard name, else the ad-hoc ASCII string (`SOST`), else
 * `0x…`.
 */
export function frameTypeName(code: number): string {
  return standardFrameTypeName(code) ?? adhocString(code) ?? `0x${(code >>> 0).toString(16)}`;
}

/** The 1–4 character code of a type (`S`, `SOST`), if it is printable ASCII. */
export function adhocString(code: number): string | undefined {
  let s = '';
  let v = code >>> 0;
  while (v !== 0) {
    const c = v & 0xff;
    if (c < 0x20 || c > 0x7e) return undefined;
    s = String.fromCharCode(c) + s;
    v >>>= 8;
  }
  return s.length > 0 ? s : undefined;
}

/**
 * Type code from 1–4 ASCII characters (`'S'` → 0x53, `'SOST'` → 0x534F5354), §2.1.
 * @throws RangeError on empty, longer than 4 or non-ASCII input
 */
export function frameTypeFromString(s: string): number {
  if (s.length < 1 || s.length > 4) throw new RangeError(`frame type code must be 1-4 chars: ${s}`);
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) throw new RangeError(`frame type code must be ASCII: ${s}`);
    v = v * 256 + c;
  }
  return v >>> 0;
}
