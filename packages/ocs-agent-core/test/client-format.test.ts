import { describe, expect, it } from 'vitest';
import { isWampFloat } from '@smurf-ocs/wamp-codec';
import {
  ClientUsageError,
  ReplyShapeError,
  formatReply,
  formatStatusTable,
  humanizedTime,
  parseAgentApi,
  parseOpsReply,
  parseParamItem,
  parseParams,
  resolveFeedTopic,
  summarizeFeedMessage,
} from '../src/client/index.js';

const done = {
  session_id: 3,
  op_name: 'delay_task',
  op_code: 5,
  cred_level: 1,
  status: 'done',
  degraded: false,
  success: true,
  start_time: 1000,
  end_time: 1001.5,
  data: { requested_delay: 1.5 },
  messages: [
    [1000, 'Status is now "starting".'],
    [1000.01, 'Status is now "running".'],
    [1001.5, 'Delay complete.'],
    [1001.5, 'Status is now "done".'],
  ],
};

describe('parseOpsReply (ocs-protocol.md §2.3)', () => {
  it('accepts a reply with and without a session', () => {
    expect(parseOpsReply([0, 'No session active.', {}])).toEqual({ status: 0, msg: 'No session active.', session: {} });
    expect(parseOpsReply([0, 'Session active.', done]).session).toEqual(done);
  });

  it('rejects anything that is not [status, msg, session]', () => {
    expect(() => parseOpsReply(null)).toThrow(ReplyShapeError);
    expect(() => parseOpsReply([0, 'x'])).toThrow(ReplyShapeError);
    expect(() => parseOpsReply(['0', 'x', {}])).toThrow(ReplyShapeError);
    expect(() => parseOpsReply([0, 'x', { session_id: 'a' }])).toThrow(ReplyShapeError);
  });

  it('requires op_info.docstring in get_api, as Python OCSClient does', () => {
    const api = { agent_class: 'A', feeds: [], processes: [], tasks: [['t', { op_name: 't', status: 'no_history' }, { op_type: 'task', blocking: true }]] };
    expect(() => parseAgentApi(api)).toThrow(/docstring/);
  });
});

describe('formatReply', () => {
  it('shows code name, message, session summary, data and the last messages', () => {
    const text = formatReply(parseOpsReply([0, 'Operation "delay_task" is currently not running (SUCCEEDED).', done]), 1003.5, 2);
    expect(text.split('\n')).toEqual([
      'OK: Operation "delay_task" is currently not running (SUCCEEDED).',
      '  delay_task[session=3]: status=done, SUCCEEDED, took 1.5 s, ended 2.0 s ago',
      '  data: {"requested_delay":1.5}',
      '  messages (last 2 of 4):',
      '    00:16:41.500  Delay complete.',
      '    00:16:41.500  Status is now "done".',
    ]);
    expect(formatReply({ status: -1, msg: 'No session active.', session: {} })).toBe('ERROR: No session active.\n  (no session)');
  });

  it('renders a status table with idle rows', () => {
    const table = formatStatusTable(
      [
        { op: 'delay_task', kind: 'task', session: parseOpsReply([0, '', done]).session as never },
        { op: 'acq', kind: 'process', session: null },
      ],
      2000,
    );
    expect(table.split('\n')[0]).toMatch(/^op\s+type\s+status\s+op_code\s+session\s+elapsed\s+last message$/);
    expect(table).toMatch(/delay_task\s+task\s+done\s+SUCCEEDED\s+3\s+1\.5 s\s+Status is now "done"\./);
    expect(table).toMatch(/acq\s+process\s+idle\s+NONE/);
  });

  it('humanizes durations like Python _humanized_time', () => {
    expect([humanizedTime(0.5), humanizedTime(12.34), humanizedTime(600), humanizedTime(7200 * 2), humanizedTime(86400 * 3)]).toEqual([
      '0.500000 s',
      '12.3 s',
      '10.0 mins',
      '4.0 hrs',
      '3.0 days',
    ]);
  });
});

describe('CLI params and topics', () => {
  it('parses values as YAML scalars and keeps written floats floats', () => {
    const p = parseParams(['delay=1.5', 'succeed=false', 'name=abc', 'n=3', 'chans=[1, 2]', 'empty=', 'x=null']);
    expect(p).toEqual({ delay: 1.5, succeed: false, name: 'abc', n: 3, chans: [1, 2], empty: '', x: null });
    const [, two] = parseParamItem('delay=2.0');
    expect(isWampFloat(two)).toBe(true);
    expect(() => parseParamItem('novalue')).toThrow(ClientUsageError);
  });

  it('resolves feed shorthands, full topics and wildcards', () => {
    expect(resolveFeedTopic('faker.feeds.false_temperatures', 'observatory')).toEqual({
      topic: 'observatory.faker.feeds.false_temperatures',
      match: 'exact',
    });
    expect(resolveFeedTopic('observatory.faker.feeds.x', 'observatory').topic).toBe('observatory.faker.feeds.x');
    expect(resolveFeedTopic('observatory..feeds.heartbeat', 'observatory')).toEqual({ topic: 'observatory..feeds.heartbeat', match: 'wildcard' });
    expect(resolveFeedTopic('.feeds.heartbeat', 'observatory').match).toBe('wildcard');
  });
});

describe('summarizeFeedMessage', () => {
  it('summarizes record-feed blocks and leaves other messages as JSON', () => {
    const msg = { temps: { block_name: 'temps', data: { c0: [0.1, 0.2], c1: [1, 2] }, timestamps: [1000, 1000.5] } };
    expect(summarizeFeedMessage(msg, true)).toBe('temps: 2 samples 00:16:40.000-00:16:40.500 c0=0.2 c1=2');
    expect(summarizeFeedMessage(msg, false)).toBe(JSON.stringify(msg));
    expect(summarizeFeedMessage({ acq: 3 }, true)).toBe('{"acq":3}');
  });
});
