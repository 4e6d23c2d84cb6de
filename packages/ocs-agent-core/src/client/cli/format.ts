/**
 * Human-readable rendering of replies, APIs and status tables for the `ocs-client` CLI.
 * Pure functions: values in, text out (`now` in ctime seconds is injectable for tests).
 */
import { stringifyJson } from '@smurf-ocs/wamp-codec';
import { hasSession, opCodeName, responseCodeName, type AgentApi, type ApiOpEntry, type OCSReply, type ReplySession } from '../reply.js';

/** Python `ocs_client._humanized_time`: seconds → `0.123456 s`, `12.3 s`, `4.5 mins`, `2.0 hrs`, `3.1 days`. */
export function humanizedTime(t: number): string {
  const a = Math.abs(t);
  if (a < 1) return `${t.toFixed(6)} s`;
  if (a < 120) return `${t.toFixed(1)} s`;
  if (a < 120 * 60) return `${(t / 60).toFixed(1)} mins`;
  if (a < 48 * 3600) return `${(t / 3600).toFixed(1)} hrs`;
  return `${(t / 86400).toFixed(1)} days`;
}

/** A ctime as `HH:MM:SS.mmm` UTC. */
export function clockTime(ctime: number): string {
  return new Date(ctime * 1000).toISOString().slice(11, 23);
}

/** Compact JSON for display (NaN/Infinity and bigint survive). */
export function compactJson(value: unknown): string {
  try {
    return stringifyJson(value);
  } catch {
    return String(value);
  }
}

/** Render rows as left-aligned columns separated by two spaces. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** One-line run state of a session: `status=done, SUCCEEDED, took 1.0 s, ended 3.0 s ago`. */
export function sessionSummary(s: ReplySession, now: number): string {
  const parts = [`status=${s.status}`, opCodeName(s.op_code)];
  if (s.status === 'done' && typeof s.end_time === 'number') {
    parts.push(`took ${humanizedTime(s.end_time - s.start_time)}`, `ended ${humanizedTime(now - s.end_time)} ago`);
  } else {
    parts.push(`for ${humanizedTime(now - s.start_time)}`);
  }
  if (s.degraded === true) parts.push('degraded');
  return parts.join(', ');
}

/**
 * Render an ops reply: response code and message, then the session (if any): summary, data,
 * and the last `maxMessages` session messages.
 */
export function formatReply(reply: OCSReply, now = Date.now() / 1000, maxMessages = 5): string {
  const lines = [`${responseCodeName(reply.status)}: ${reply.msg}`];
  if (!hasSession(reply)) {
    lines.push('  (no session)');
    return lines.join('\n');
  }
  const s = reply.session;
  lines.push(`  ${s.op_name}[session=${s.session_id}]: ${sessionSummary(s, now)}`);
  if (s.data !== undefined && !(typeof s.data === 'object' && s.data !== null && Object.keys(s.data).length === 0)) {
    lines.push(`  data: ${compactJson(s.data)}`);
  }
  const messages = s.messages ?? [];
  if (messages.length > 0) {
    const shown = messages.slice(-maxMessages);
    lines.push(`  messages (last ${shown.length} of ${messages.length}):`);
    for (const [t, text] of shown) lines.push(`    ${clockTime(t)}  ${text}`);
  }
  return lines.join('\n');
}

function yesNo(v: unknown): string {
  return v === true ? 'yes' : v === false ? 'no' : '-';
}

function sessionCell(session: ApiOpEntry[1]): string {
  if (!('session_id' in session)) return session.status;
  const s = session as ReplySession;
  return `${s.status} (${opCodeName(s.op_code)}, session ${s.session_id})`;
}

function opRows(entries: ApiOpEntry[], kind: 'task' | 'process'): string[][] {
  return entries.map(([name, session, info]) => [
    name,
    kind,
    yesNo(info.blocking),
    kind === 'task' ? yesNo(info.abortable) : '-',
    String(info.min_privs ?? '-'),
    sessionCell(session),
  ]);
}

/** Render a `get_api` result: identity, access control, ops table, feeds table, docstrings optional. */
export function formatApi(address: string, api: AgentApi, withDocs = false): string {
  const out = [
    `${address}  agent_class=${api.agent_class ?? '(none)'}  host=${api.instance_hostname ?? '?'}  pid=${api.instance_pid ?? '?'}`,
  ];
  const ac = api.access_control;
  out.push(ac ? `access_control: policy=${ac.policy} version=${ac.version}` : 'access_control: (not advertised)');
  out.push('', 'Operations:');
  const rows = [...opRows(api.tasks, 'task'), ...opRows(api.processes, 'process')];
  out.push(indent(table(['name', 'type', 'blocking', 'abortable', 'min_privs', 'session'], rows)));
  out.push('', 'Feeds:');
  const feedRows = api.feeds.map(([name, info]) => [name, String(info.record), compactJson(info.agg_params), info.address]);
  out.push(indent(table(['name', 'record', 'agg_params', 'address'], feedRows)));
  if (withDocs) {
    for (const [name, , info] of [...api.tasks, ...api.processes]) {
      out.push('', `--- ${name} ---`, info.docstring ?? '(no docstring)');
    }
  }
  return out.join('\n');
}

function indent(text: string, by = '  '): string {
  return text
    .split('\n')
    .map((l) => by + l)
    .join('\n');
}

/** One row of the compact status table. */
export interface StatusRow {
  op: string;
  kind: 'task' | 'process';
  session: ReplySession | null;
}

/** Compact status table: op, type, status, op code, session id, elapsed, last message. */
export function formatStatusTable(rows: StatusRow[], now = Date.now() / 1000): string {
  const body = rows.map(({ op, kind, session: s }) => {
    if (s === null) return [op, kind, 'idle', 'NONE', '-', '-', ''];
    const end = s.status === 'done' && typeof s.end_time === 'number' ? s.end_time : now;
    const last = s.messages?.at(-1)?.[1] ?? '';
    return [op, kind, s.status, opCodeName(s.op_code), String(s.session_id), humanizedTime(end - s.start_time), last];
  });
  return table(['op', 'type', 'status', 'op_code', 'session', 'elapsed', 'last message'], body);
}

/** Status rows from a `get_api` result (`no_history` sessions become idle rows). */
export function statusRowsFromApi(api: AgentApi): StatusRow[] {
  const row = (kind: 'task' | 'process') => ([name, session]: ApiOpEntry): StatusRow => ({
    op: name,
    kind,
    session: 'session_id' in session ? (session as ReplySession) : null,
  });
  return [...api.tasks.map(row('task')), ...api.processes.map(row('process'))];
}

function isRecordBlock(v: unknown): v is { data: Record<string, unknown[]>; timestamps: number[] } {
  if (v === null || typeof v !== 'object') return false;
  const b = v as { data?: unknown; timestamps?: unknown };
  return Array.isArray(b.timestamps) && b.data !== null && typeof b.data === 'object';
}

/**
 * One-line summary of a feed message. A record-feed message (ocs-protocol.md §4.4,
 * `{block: {block_name, data: {field: [..]}, timestamps: [..]}}`) becomes
 * `temps: 29 samples 02:27:26.971-02:27:29.918 channel_00=0.0963 channel_01=0.1064` (last values);
 * anything else is compact JSON.
 */
export function summarizeFeedMessage(message: unknown, record: boolean): string {
  if (!record || message === null || typeof message !== 'object' || Array.isArray(message)) return compactJson(message);
  const blocks = Object.entries(message as Record<string, unknown>);
  if (blocks.length === 0 || !blocks.every(([, b]) => isRecordBlock(b))) return compactJson(message);
  return blocks
    .map(([name, b]) => {
      const { data, timestamps } = b as { data: Record<string, unknown[]>; timestamps: number[] };
      const span = timestamps.length > 0 ? ` ${clockTime(timestamps[0]!)}-${clockTime(timestamps.at(-1)!)}` : '';
      const fields = Object.entries(data).map(([f, vals]) => `${f}=${compactJson(vals.at(-1))}`);
      return `${name}: ${timestamps.length} samples${span} ${fields.join(' ')}`.trimEnd();
    })
    .join(' | ');
}
