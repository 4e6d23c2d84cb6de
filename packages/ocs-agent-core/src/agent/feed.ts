/**
 * Feeds (ocs-protocol.md 4): topic `R.I.feeds.<name>`, the `[message, feed_info]` envelope, and
 * record-feed blocks with buffering (4.4, quirk Q9: flush only on a later publish or explicitly).
 */
import { float } from '@smurf-ocs/wamp-codec';
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

/** A record-feed input message: single sample (`timestamp`) or multi sample (`timestamps`). */
export interface RecordMessage {
  block_name: string;
  timestamp?: number;
  timestamps?: number[];
  data: Record<string, unknown>;
}

interface Block {
  fields: string[];
  timestamps: number[];
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
  return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint';
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
    const fields = Object.keys(msg.data);
    fields.forEach(checkFieldName);
    let samples: { ts: number[]; data: Record<string, unknown[]> };
    if (Array.isArray(msg.timestamps)) {
      const data: Record<string, unknown[]> = {};
      for (const f of fields) {
        const col = msg.data[f];
        if (!Array.isArray(col) || !col.every(isScalar)) throw new FeedError(OCS_ERROR_CODES.feedMessage, `Record feed ${this.name}: field ${f} must be a list of float, int, str or bool`);
        if (col.length !== msg.timestamps.length) throw new FeedError(OCS_ERROR_CODES.feedMessage, `Record feed ${this.name}: field ${f} length differs from timestamps`);
        data[f] = col;
      }
      samples = { ts: msg.timestamps, data };
    } else if (typeof msg.timestamp === 'number') {
      const data: Record<string, unknown[]> = {};
      for (const f of fields) {
        const v = msg.data[f];
        if (!isScalar(v)) throw new FeedError(OCS_ERROR_CODES.feedMessage, `Record feed ${this.name}: field ${f} must be float, int, str or bool`);
        data[f] = [v];
      }
      samples = { ts: [msg.timestamp], data };
    } else {
      throw new FeedError(OCS_ERROR_CODES.feedMessage, `Invalid message when record=True. keys=${JSON.stringify(Object.keys(msg))}`);
    }
    this.append(msg.block_name, fields, samples);
  }

  private append(blockName: string, fields: string[], s: { ts: number[]; data: Record<string, unknown[]> }): void {
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
