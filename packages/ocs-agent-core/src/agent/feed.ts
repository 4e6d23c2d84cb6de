/**
 * Feeds (ocs-protocol.md 4): topic `R.I.feeds.<name>`, the `[message, feed_info]` envelope, and
 * record-feed blocks with buffering (4.4, quirk Q9: flush only on a later publish or explicitly).
 */
import { float, isWampFloat, toNumber, type WampFloat } from '@smurf-ocs/wamp-codec';
import { FeedError, OCS_ERROR_CODES } from '../errors.js';
import { nowSeconds } from './op-session.js';

/** Options of a feed, as `register_feed` in Python. */
export interface FeedOptions {
  /** Aggregated feed (HK aggregator / InfluxDB); messages are validated blocks. Default false. */
  record?: boolean;
  /** `agg_params` reported in feed_info, e.g. `{ frame_length: 60 }` (4.5). Default `{}`. */
  aggParams?: Record<string, unknown>;
  /** Seconds to buffer record-feed samples before a publish flushes them. Default 0. */
  bufferTime?: number;
  /** Record-feed data fields that carry ints; every other number goes out as a float (8.1). */
  intFields?: readonly string[];
}

/** `feed_info` dict (field order as Python). */
export interface FeedInfo {
  agent_address: string;
  agg_params: Record<string, unknown>;
  feed_name: string;
  address: string;
  record: boolean;
  session_id: string;
  agent_class: string | null;
}

/**
 * A record-feed input message: single sample (`timestamp`) or multi sample (`timestamps`).
 * Timestamps are ctimes (seconds since the Unix epoch), plain numbers or `float(t)`; data values
 * are float (`number` or `float(x)`), int (`number` in an `intFields` field, or `bigint`), str
 * or bool (ocs-protocol.md 4.4, 8.1).
 */
export interface RecordMessage {
  block_name: string;
  timestamp?: number | WampFloat;
  timestamps?: (number | WampFloat)[];
  data: Record<string, unknown>;
}

interface Block {
  fields: string[];
  timestamps: number[];
  data: Record<string, unknown[]>;
}

/** Validated samples of one message: ctimes and one column per field. */
interface Samples {
  ts: number[];
  data: Record<string, unknown[]>;
}

/** Publishes `[message, feed_info]` on a topic; returns false when not connected. */
export type FeedSender = (topic: string, args: unknown[]) => boolean;

const FIELD_RE = /^[A-Za-z0-9_]+$/;

/** Python `verify_data_field_string` rules. */
function checkFieldName(name: string): void {
  const stripped = name.replace(/^_+/, '');
  if (name.length < 1 || name.length > 255 || !FIELD_RE.test(name) || !/^[A-Za-z]/.test(stripped)) {
    throw new FeedError(OCS_ERROR_CODES.feedMessage, `Invalid data field name ${JSON.stringify(name)}: use [A-Za-z0-9_], start with a letter (after leading underscores), 1-255 chars`);
  }
}

function isScalar(v: unknown): boolean {
  return typeof v === 'number' || isWampFloat(v) || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint';
}

/** A timestamp as given by the agent: a `number` or a {@link WampFloat}; its ctime, else undefined. */
function timestampValue(v: unknown): number | undefined {
  return typeof v === 'number' || isWampFloat(v) ? toNumber(v) : undefined;
}

/** One feed of an agent. */
export class Feed {
  readonly name: string;
  readonly record: boolean;
  readonly aggParams: Record<string, unknown>;
  readonly bufferTime: number;
  private readonly intFields: Set<string>;
  private readonly info: FeedInfo;
  private readonly blocks = new Map<string, Block>();
  private bufferStart: number | null = null;

  constructor(name: string, opts: FeedOptions, ctx: { agentAddress: string; sessionId: string; agentClass: string | null }, private readonly send: FeedSender, private readonly onDrop: (err: string) => void) {
    this.name = name;
    this.record = opts.record ?? false;
    this.aggParams = opts.aggParams ?? {};
    this.bufferTime = opts.bufferTime ?? 0;
    this.intFields = new Set(opts.intFields ?? []);
    this.info = {
      agent_address: ctx.agentAddress,
      agg_params: this.aggParams,
      feed_name: name,
      address: `${ctx.agentAddress}.feeds.${name}`,
      record: this.record,
      session_id: ctx.sessionId,
      agent_class: ctx.agentClass,
    };
  }

  /** The topic `R.I.feeds.<name>`. */
  get address(): string {
    return this.info.address;
  }

  /** feed_info as reported in get_api and in every envelope. */
  encoded(): FeedInfo {
    return { ...this.info };
  }

  /**
   * Publish a message. Plain feeds send it as is. Record feeds validate it (throwing
   * {@link FeedError}, nothing buffered) and buffer it; the buffer is flushed when
   * `bufferTime` has elapsed since the first buffered sample.
   */
  publish(message: unknown, now: number = nowSeconds()): void {
    if (!this.record) {
      if (!this.send(this.address, [[message, this.encoded()]])) this.onDrop(`feed ${this.name}: not connected, message dropped`);
      return;
    }
    this.buffer(message as RecordMessage);
    if (this.bufferStart === null) this.bufferStart = now;
    if (now - this.bufferStart >= this.bufferTime) this.flush();
  }

  private buffer(msg: RecordMessage): void {
    if (msg === null || typeof msg !== 'object' || !('data' in msg) || !('block_name' in msg)) {
      throw new FeedError(OCS_ERROR_CODES.feedMessage, `Record feed ${this.name}: message needs block_name and data`);
    }
    if (msg.data === null || typeof msg.data !== 'object' || Array.isArray(msg.data)) {
      throw new FeedError(OCS_ERROR_CODES.feedMessage, `Record feed ${this.name}: data must be a dict of fields`);
    }
    const fields = Object.keys(msg.data);
    fields.forEach(checkFieldName);
    const single = timestampValue(msg.timestamp);
    let samples: Samples;
    if (Array.isArray(msg.timestamps)) samples = this.multiSample(msg.timestamps, msg.data, fields);
    else if (single !== undefined) samples = this.singleSample(single, msg.data, fields);
    else throw new FeedError(OCS_ERROR_CODES.feedMessage, `Invalid message when record=True. keys=${JSON.stringify(Object.keys(msg))}`);
    this.append(msg.block_name, fields, samples);
  }

  private multiSample(timestamps: unknown[], msgData: Record<string, unknown>, fields: string[]): Samples {
    const ts = timestamps.map(timestampValue);
    if (!ts.every((t): t is number => t !== undefined)) throw new FeedError(OCS_ERROR_CODES.feedMessage, `Record feed ${this.name}: timestamps must be a list of float`);
    const data: Record<string, unknown[]> = {};
    for (const f of fields) {
      const col = msgData[f];
      if (!Array.isArray(col) || !col.every(isScalar)) throw new FeedError(OCS_ERROR_CODES.feedMessage, `Record feed ${this.name}: field ${f} must be a list of float, int, str or bool`);
      if (col.length !== ts.length) throw new FeedError(OCS_ERROR_CODES.feedMessage, `Record feed ${this.name}: field ${f} length differs from timestamps`);
      data[f] = col;
    }
    return { ts, data };
  }

  private singleSample(ts: number, msgData: Record<string, unknown>, fields: string[]): Samples {
    const data: Record<string, unknown[]> = {};
    for (const f of fields) {
      const v = msgData[f];
      if (!isScalar(v)) throw new FeedError(OCS_ERROR_CODES.feedMessage, `Record feed ${this.name}: field ${f} must be float, int, str or bool`);
      data[f] = [v];
    }
    return { ts: [ts], data };
  }

  private append(blockName: string, fields: string[], s: Samples): void {
    let block = this.blocks.get(blockName);
    if (!block) {
      block = { fields: [...fields], timestamps: [], data: Object.fromEntries(fields.map((f) => [f, []])) };
      this.blocks.set(blockName, block);
    } else if (block.fields.length !== fields.length || !fields.every((f) => block?.fields.includes(f))) {
      throw new FeedError(OCS_ERROR_CODES.feedBlockStructure, `Block structure does not match: ${blockName}`);
    }
    block.timestamps.push(...s.ts);
    for (const f of fields) block.data[f]?.push(...(s.data[f] ?? []));
  }

  /** Plain numbers become floats unless the field is an int field; `float(x)` stays a float. */
  private wireValue(field: string, v: unknown): unknown {
    if (typeof v === 'number' && !this.intFields.has(field)) return float(v);
    return v;
  }

  /** Publish every non-empty block and clear the buffer, even when the publish fails (4.4). */
  flush(): void {
    const out: Record<string, unknown> = {};
    for (const [name, b] of this.blocks) {
      if (b.timestamps.length === 0) continue;
      const data: Record<string, unknown[]> = {};
      for (const f of b.fields) data[f] = (b.data[f] ?? []).map((v) => this.wireValue(f, v));
      out[name] = { block_name: name, data, timestamps: b.timestamps.map((t) => float(t)) };
      b.timestamps = [];
      for (const f of b.fields) b.data[f] = [];
    }
    this.bufferStart = null;
    if (Object.keys(out).length === 0) return;
    if (!this.send(this.address, [[out, this.encoded()]])) this.onDrop(`feed ${this.name}: not connected, ${Object.keys(out).length} block(s) dropped`);
  }
}
