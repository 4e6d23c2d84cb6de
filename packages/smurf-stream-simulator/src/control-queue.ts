/**
 * The control-flag FIFO of the socs simulator (suprsync-recorder.md §B7).
 *
 * Python keeps one `deque` of requests so that only the streaming loop ever touches the
 * G3NetworkSender. Tasks append a flag; the loop looks at the head at fixed points of an iteration
 * and pops it once acted on. This module holds that queue and the rules for *queueing*; the loop in
 * `stream.ts` holds the rules for *consuming*.
 */

/** A request waiting for the streaming loop. */
export type ControlFlag = 'start' | 'end' | 'shutdown';

/** What the loop should do at the current state, derived from the head of the queue. */
export class ControlQueue {
  private readonly flags: ControlFlag[];
  private readonly listeners = new Set<() => void>();

  /** @param initial flags queued before the loop starts (Python starts with `[START]`). */
  constructor(initial: readonly ControlFlag[] = ['start']) {
    this.flags = [...initial];
  }

  /** The flag at the head, or undefined when empty. */
  head(): ControlFlag | undefined {
    return this.flags[0];
  }

  /** Removes the head flag (the loop acted on it). */
  pop(): ControlFlag | undefined {
    return this.flags.shift();
  }

  /** A copy of the queued flags, head first. */
  snapshot(): ControlFlag[] {
    return [...this.flags];
  }

  /**
   * Task `start` (`set_stream_on`): queue START if not streaming (or forced) and START is not
   * already queued. Returns whether a flag was queued.
   */
  requestStart(streaming: boolean, force: boolean): boolean {
    if (streaming && !force) return false;
    return this.push('start');
  }

  /**
   * Task `stop` (`set_stream_off`): queue END if streaming (or forced) and END is not already
   * queued. Returns whether a flag was queued.
   */
  requestEnd(streaming: boolean, force: boolean): boolean {
    if (!streaming && !force) return false;
    return this.push('end');
  }

  /** Process stop (`stop_background_streamer`): END if streaming, then SHUTDOWN (each once). */
  requestShutdown(streaming: boolean): void {
    if (streaming) this.push('end');
    this.push('shutdown');
  }

  /** Calls `fn` whenever a flag is queued (used to cut an idle sleep short). */
  onPush(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private push(flag: ControlFlag): boolean {
    if (this.flags.includes(flag)) return false;
    this.flags.push(flag);
    for (const fn of this.listeners) fn();
    return true;
  }
}
