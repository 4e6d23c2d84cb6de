/**
 * URI checks and pattern matching (WAMP spec "URIs", "Pattern-based Subscriptions";
 * ocs-protocol.md 1.2 and 3.4). crossbar's default "loose" rules apply: a component may hold
 * anything but whitespace, `.` and `#`, so `observatory.fake-data1.ops` is valid.
 */

/** Subscription/registration match policy. */
export type MatchPolicy = 'exact' | 'prefix' | 'wildcard';

const LOOSE_EXACT = /^([^\s.#]+\.)*[^\s.#]+$/;
const LOOSE_PATTERN = /^(([^\s.#]+\.)|\.)*([^\s.#]+)?$/;

/**
 * True when `uri` is a valid loose URI for `policy`: exact URIs have no empty component;
 * prefix and wildcard patterns may have empty components (a wildcard's empty component
 * matches any single component).
 */
export function isValidUri(uri: string, policy: MatchPolicy): boolean {
  if (uri.length === 0) return policy === 'prefix';
  return policy === 'exact' ? LOOSE_EXACT.test(uri) : LOOSE_PATTERN.test(uri);
}

/**
 * A compiled wildcard pattern: `observatory..feeds.heartbeat` matches
 * `observatory.<any one component>.feeds.heartbeat`. Component counts must be equal.
 */
export class WildcardPattern {
  private readonly parts: readonly string[];

  constructor(readonly pattern: string) {
    this.parts = pattern.split('.');
  }

  /** True when `topic` matches component by component (empty pattern components match anything). */
  matches(topic: string): boolean {
    const parts = this.parts;
    let start = 0;
    for (let i = 0; i < parts.length; i++) {
      const dot = topic.indexOf('.', start);
      const last = i === parts.length - 1;
      if (last ? dot !== -1 : dot === -1) return false;
      const end = last ? topic.length : dot;
      const want = parts[i]!;
      if (want.length > 0 && (end - start !== want.length || !topic.startsWith(want, start))) return false;
      start = end + 1;
    }
    return true;
  }
}

/** The four actions crossbar permissions distinguish (ocs-protocol.md 3.3). */
export type Action = 'call' | 'register' | 'publish' | 'subscribe';

const ACTION_TEXT: Record<Action, string> = {
  call: 'call procedure',
  register: 'register procedure',
  publish: 'publish to topic',
  subscribe: 'subscribe to topic',
};

/**
 * crossbar's not_authorized text (ocs-protocol.md 3.2), e.g.
 * `session (session_id=1, authid="X", authrole="iocs_agent") is not authorized to call procedure "foo" on realm "test_realm"`.
 */
export function notAuthorizedText(
  s: { id: number; authid: string; authrole: string },
  action: Action,
  uri: string,
  realm: string,
): string {
  return `session (session_id=${s.id}, authid="${s.authid}", authrole="${s.authrole}") is not authorized to ${ACTION_TEXT[action]} "${uri}" on realm "${realm}"`;
}
