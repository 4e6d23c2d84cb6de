/**
 * Scope matching shared by the agent's access rules and the client's passwords file
 * (ocs-protocol.md §5.3; Python `ocs.access.ScopeSpec.check` and `pattern_match`).
 */

/** Which agents a rule applies to: everything (`default`), or fnmatch patterns on class and id. */
export interface ScopeSpec {
  default?: boolean | null;
  agent_class?: string | null;
  instance_id?: string | null;
}

/** Python `fnmatch` (posix: case-sensitive) for `*`, `?`, `[seq]` and `[!seq]`. */
export function fnmatch(target: string, pattern: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      re += `[${body}]`;
      i = end;
    } else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's').test(target);
}

/** Comma-separated fnmatch sub-patterns; a leading `!` negates (Python `pattern_match`). */
export function patternMatch(target: string, pattern: string): boolean {
  const pos: boolean[] = [];
  const neg: boolean[] = [];
  for (const sub of pattern.split(',')) {
    const negative = sub.startsWith('!');
    const body = negative ? sub.slice(1) : sub;
    if (body.length === 0) continue;
    (negative ? neg : pos).push(fnmatch(target, body));
  }
  return (pos.length === 0 || pos.some(Boolean)) && !neg.some(Boolean);
}

/** Python `ScopeSpec.check`; a missing scope matches everything. */
export function scopeMatches(scope: ScopeSpec | undefined, agentClass: string, instanceId: string): boolean {
  const s = scope ?? { default: true };
  if (s.default) return true;
  const cls = s.agent_class ?? null;
  const iid = s.instance_id ?? null;
  if (cls === null && iid === null) return false;
  if (cls !== null && !patternMatch(agentClass, cls)) return false;
  if (iid !== null && !patternMatch(instanceId, iid)) return false;
  return true;
}
