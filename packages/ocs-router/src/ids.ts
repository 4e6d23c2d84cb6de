/**
 * WAMP id allocation: global-scope ids (sessions, publications, subscriptions, registrations)
 * are random in [1, 2^53], as the WAMP spec asks and crossbar does.
 */

/** A random id in [1, 2^53] not present in `taken`. */
export function randomId(taken?: { has(id: number): boolean }): number {
  for (;;) {
    const id = Math.floor(Math.random() * 2 ** 53) + 1;
    if (taken === undefined || !taken.has(id)) return id;
  }
}

/** A session-scope sequential id generator in [1, 2^53] (INVOCATION request ids). */
export class IdSequence {
  private next = 0;
  /** The next id, wrapping after 2^53. */
  take(): number {
    this.next = this.next >= 2 ** 53 ? 1 : this.next + 1;
    return this.next;
  }
}

const AUTHID_ALPHABET = '3456789ABCDEFGHJKLMNPQRSTUVWXY';

/**
 * An anonymous authid in crossbar's serial-number style (`XXXX-XXXX-XXXX-XXXX-XXXX-XXXX`).
 */
export function anonymousAuthid(): string {
  const groups: string[] = [];
  for (let g = 0; g < 6; g++) {
    let s = '';
    for (let i = 0; i < 4; i++) s += AUTHID_ALPHABET[Math.floor(Math.random() * AUTHID_ALPHABET.length)];
    groups.push(s);
  }
  return groups.join('-');
}
