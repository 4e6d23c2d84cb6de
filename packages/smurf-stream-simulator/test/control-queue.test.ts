import { describe, expect, it } from 'vitest';
import { ControlQueue } from '../src/control-queue.js';

// suprsync-recorder.md §B7: queueing rules of set_stream_on / set_stream_off / stop.
describe('ControlQueue', () => {
  it('starts with START queued, as Python', () => {
    expect(new ControlQueue().snapshot()).toEqual(['start']);
  });

  it('queues START only when stopped or forced, and never twice', () => {
    const q = new ControlQueue([]);
    expect(q.requestStart(true, false)).toBe(false);
    expect(q.requestStart(false, false)).toBe(true);
    expect(q.requestStart(false, true)).toBe(false);
    expect(q.snapshot()).toEqual(['start']);
    q.pop();
    expect(q.requestStart(true, true)).toBe(true);
  });

  it('queues END only when streaming or forced, and never twice', () => {
    const q = new ControlQueue([]);
    expect(q.requestEnd(false, false)).toBe(false);
    expect(q.requestEnd(false, true)).toBe(true);
    expect(q.requestEnd(true, false)).toBe(false);
    expect(q.snapshot()).toEqual(['end']);
  });

  it('process stop queues END (if streaming) then SHUTDOWN', () => {
    const streaming = new ControlQueue([]);
    streaming.requestShutdown(true);
    expect(streaming.snapshot()).toEqual(['end', 'shutdown']);
    const stopped = new ControlQueue([]);
    stopped.requestShutdown(false);
    stopped.requestShutdown(false);
    expect(stopped.snapshot()).toEqual(['shutdown']);
  });

  it('notifies listeners on every queued flag only', () => {
    const q = new ControlQueue([]);
    let n = 0;
    const off = q.onPush(() => n++);
    q.requestEnd(false, false);
    q.requestStart(false, false);
    q.requestStart(false, false);
    off();
    q.requestShutdown(false);
    expect(n).toBe(1);
  });
});
