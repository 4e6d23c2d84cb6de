/**
 * Review item: record feeds rejected `float()` (WampFloat) timestamps and data values although the
 * docs tell agent authors to use `float()` (ocs-protocol.md 4.4, 8.1). They must be accepted and
 * stay floats on the wire.
 */
import { float, stringifyJson } from '@smurf-ocs/wamp-codec';
import { describe, expect, it } from 'vitest';
import { Feed } from '../src/agent/feed.js';
import { defineAgent, FeedError } from '../src/index.js';
import { startAgent, startRouter, waitFor } from '../src/testing/index.js';
import { rawSubscribe } from './helpers.js';

const ctx = { agentAddress: 'observatory.rec', sessionId: '1.5', agentClass: 'Rec' };

/** A record feed whose publishes are captured as WAMP JSON text of the message. */
function recordFeed(intFields: string[] = []): { feed: Feed; sent: string[] } {
  const sent: string[] = [];
  const feed = new Feed('rec', { record: true, intFields }, ctx, (_topic, args) => {
    sent.push(stringifyJson((args[0] as unknown[])[0]));
    return true;
  }, () => undefined);
  return { feed, sent };
}

describe('record feeds accept float() (WampFloat) values', () => {
  it('single sample: float(t) timestamp and float(x) data values are accepted and go out as floats', () => {
    const { feed, sent } = recordFeed(['n']);
    feed.publish({ block_name: 'b', timestamp: float(1700000000), data: { x: float(2), y: 1, n: 3, s: 'a' } }, 0);
    expect(sent).toEqual(['{"b":{"block_name":"b","data":{"x":[2.0],"y":[1.0],"n":[3],"s":["a"]},"timestamps":[1700000000.0]}}']);
  });

  it('multi sample: float() timestamps and columns of float() values', () => {
    const { feed, sent } = recordFeed();
    feed.publish({ block_name: 'b', timestamps: [float(1), 2.5], data: { x: [float(2), 3] } }, 0);
    expect(sent).toEqual(['{"b":{"block_name":"b","data":{"x":[2.0,3.0]},"timestamps":[1.0,2.5]}}']);
  });

  it('float() samples buffer with plain-number samples in one block', () => {
    const sent: string[] = [];
    const feed = new Feed('rec', { record: true, bufferTime: 10 }, ctx, (_t, args) => {
      sent.push(stringifyJson((args[0] as unknown[])[0]));
      return true;
    }, () => undefined);
    feed.publish({ block_name: 'b', timestamp: float(1), data: { x: 1 } }, 100);
    feed.publish({ block_name: 'b', timestamp: 2, data: { x: float(4) } }, 105);
    expect(sent).toEqual([]);
    feed.flush();
    expect(sent).toEqual(['{"b":{"block_name":"b","data":{"x":[1.0,4.0]},"timestamps":[1.0,2.0]}}']);
  });

  it('non-numeric timestamps are still rejected with a FeedError, nothing buffered', () => {
    const { feed, sent } = recordFeed();
    expect(() => feed.publish({ block_name: 'b', timestamp: '1', data: { x: 1 } }, 0)).toThrow('Invalid message when record=True. keys=["block_name","timestamp","data"]');
    expect(() => feed.publish({ block_name: 'b', timestamps: [1, 'x'], data: { x: [1, 2] } }, 0)).toThrow(FeedError);
    expect(() => feed.publish({ block_name: 'b', timestamp: 1, data: { x: { y: 1 } } }, 0)).toThrow('field x must be float, int, str or bool');
    expect(() => feed.publish({ block_name: 'b', timestamp: 1, data: null }, 0)).toThrow(FeedError);
    feed.flush();
    expect(sent).toEqual([]);
  });

  it('an agent publishing float() values: the JSON EVENT carries floats', async () => {
    await using router = await startRouter();
    const def = defineAgent({
      agentClass: 'Rec',
      feeds: { rec: { record: true } },
      ops: {
        go: {
          kind: 'task',
          start: async ({ agent }) => {
            agent.publish('rec', { block_name: 'b', timestamp: float(1700000000), data: { x: float(2) } });
            return [true, 'ok'];
          },
        },
      },
    });
    await using a = await startAgent(def, ['--site', 'none', '--site-hub', router.url, '--instance-id', 'rec']);
    await using sub = await rawSubscribe(router.url, 'observatory.rec.feeds.rec');
    await a.handle.callOp('rec', 'start', 'go');
    await waitFor(() => sub.events.length > 0);
    expect(sub.events[0]?.raw).toContain('[{"b":{"block_name":"b","data":{"x":[2.0]},"timestamps":[1700000000.0]}},');
  });
});
