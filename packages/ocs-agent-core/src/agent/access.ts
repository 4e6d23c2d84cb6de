/**
 * Access control (ocs-protocol.md 5, Python `ocs/access.py`): policies `none`,
 * `override:<pw2>,<pw3>` and `director:<id>`, rule evaluation with scopes, hashed passwords and
 * lockouts, and the exact rejection texts.
 */
import { float, type WampFloat } from '@smurf-ocs/wamp-codec';
import { createHash } from 'node:crypto';
import { ConfigError, OCS_ERROR_CODES } from '../errors.js';
import { scopeMatches, type ScopeSpec } from './scope.js';

export { patternMatch } from './scope.js';

const LEVEL_NAMES = ['BLOCKED', 'BASIC', 'ADVANCED', 'FULL', 'SUPERUSER'] as const;

/** String form of a credential level, e.g. `2-ADVANCED`. */
export function credLevelName(level: number): string {
  return `${level}-${LEVEL_NAMES[level] ?? 'UNKNOWN'}`;
}

/** A hashed password of a rule (`HashedPass`). Empty `value` matches any password. */
export interface HashedPass {
  hash: string;
  value?: string;
}

/** Which agents a rule applies to (`ScopeSpec`). */
export type { ScopeSpec } from './scope.js';

/** One access rule, as built locally or received from an Access Director (`AccessRule`). */
export interface AccessRule {
  hashed_pass: HashedPass | null;
  cred_level: number;
  scope_spec?: ScopeSpec;
  lockout_id?: string | null;
  lockout_owner?: string | null;
  lockout_levels?: number[] | null;
}

/** Parsed `--access-policy`. */
export type AccessPolicy = { kind: 'none' } | { kind: 'override'; pw2: string; pw3: string } | { kind: 'director'; directorId: string };

/** Parse `none` / `""` / `override:pw2,pw3` / `director:<id>`; anything else is a ConfigError. */
export function parseAccessPolicy(text: string | undefined | null): AccessPolicy {
  if (text === undefined || text === null || text === '' || text === 'none') return { kind: 'none' };
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const rest = colon < 0 ? '' : text.slice(colon + 1);
  if (colon >= 0 && kind === 'override') {
    const pws = rest.split(',');
    if (pws.length < 2) throw new ConfigError(`Invalid access policy "${text}": override needs two passwords, override:<pw2>,<pw3>`, { code: OCS_ERROR_CODES.accessPolicy });
    return { kind: 'override', pw2: pws[0] ?? '', pw3: pws[1] ?? '' };
  }
  if (colon >= 0 && kind === 'director') return { kind: 'director', directorId: rest === '' ? 'access-director' : rest };
  throw new ConfigError(`Invalid policy "${kind}": use none, override:<pw2>,<pw3> or director:<id>`, { code: OCS_ERROR_CODES.accessPolicy });
}

/** Marker for internal (startup/shutdown) launches: Python's superuser key. */
export const SUPERUSER = Symbol('ocs-superuser');

/** `access_control` block of get_api. */
export interface AccessControlInfo {
  version: 1;
  policy: 'none' | 'override' | 'director';
  update_timestamp: WampFloat;
  update_count: number;
  step: number;
}

function passMatches(p: HashedPass | null, password: string | undefined): boolean {
  if (p === null) return false;
  if (p.hash === 'blocked') return false;
  const value = p.value ?? '';
  if (value === '') return true;
  const pw = password ?? '';
  if (p.hash === 'none') return pw === value;
  if (p.hash === 'md5') return createHash('md5').update(pw, 'utf8').digest('hex').slice(0, 16) === value;
  return false;
}

function defaultRules(policy: AccessPolicy): AccessRule[] {
  const free: HashedPass = { hash: 'none' };
  if (policy.kind === 'override') {
    return [
      { hashed_pass: free, cred_level: 1 },
      { hashed_pass: { hash: 'none', value: policy.pw2 }, cred_level: 2 },
      { hashed_pass: { hash: 'none', value: policy.pw3 }, cred_level: 3 },
    ];
  }
  const blocked: HashedPass = { hash: 'blocked' };
  return [1, 2, 3].map((cred_level) => ({ hashed_pass: policy.kind === 'none' ? free : blocked, cred_level }));
}

/** Evaluates caller credentials for one agent (`agent_get_creds`). */
export class AccessController {
  readonly policy: AccessPolicy;
  private rules: AccessRule[];
  private updateTimestamp: number;
  private updateCount = 0;
  private step = 0;

  constructor(policy: AccessPolicy, startTime: number, private readonly agentClass: string, private readonly instanceId: string) {
    this.policy = policy;
    this.rules = defaultRules(policy);
    this.updateTimestamp = startTime;
  }

  /** Credential level of a caller and the lockout detail (`""` unless lowered by lockouts). */
  creds(password: string | typeof SUPERUSER | undefined): { level: number; detail: string } {
    if (this.policy.kind === 'none') return { level: 1, detail: 'No access policy -- level 1 for all.' };
    if (password === SUPERUSER) return { level: 4, detail: 'Super-user.' };
    const levels = [0];
    const blocked = new Set<number>();
    const owners = new Set<string>();
    for (const rule of this.rules) {
      if (!scopeMatches(rule.scope_spec, this.agentClass, this.instanceId)) continue;
      if (passMatches(rule.hashed_pass, password)) levels.push(rule.cred_level);
      else if (rule.lockout_levels && rule.lockout_levels.length > 0) {
        rule.lockout_levels.forEach((l) => blocked.add(l));
        owners.add(`${rule.lockout_id ?? 'None'}[${rule.lockout_owner ?? 'None'}]`);
      }
    }
    let level = Math.max(...levels);
    let diminished = false;
    while (level > 0 && blocked.has(level)) {
      level -= 1;
      diminished = true;
    }
    const list = [...owners].map((o) => `'${o}'`).join(', ');
    return { level, detail: diminished ? `Privileges diminished; lockouts active: [${list}]` : '' };
  }

  /** Credential level only. */
  credLevel(password: string | typeof SUPERUSER | undefined): number {
    return this.creds(password).level;
  }

  /** Rejection text; the detail is appended for `start` only (ocs-protocol.md 5.3). */
  rejection(required: number, have: number, detail: string | null): string {
    const base = `The action requires credential level ${credLevelName(required)} but the client has only level ${credLevelName(have)}`;
    return detail ? `${base} ${detail}` : base;
  }

  /**
   * Apply an Access Director `controls` message (`_access_handler`): ignored unless
   * `ac_version == 1` and (`reset` or `target == instance_id`). Returns true when applied.
   */
  applyDirectorMessage(message: unknown, now: number): boolean {
    if (message === null || typeof message !== 'object') return false;
    const m = message as { ac_version?: unknown; reset?: unknown; target?: unknown; rules?: unknown; step?: unknown };
    if (m.ac_version !== 1) return false;
    if (!m.reset && m.target !== this.instanceId) return false;
    this.rules = Array.isArray(m.rules) ? (m.rules as AccessRule[]) : [];
    this.updateTimestamp = now;
    this.updateCount += 1;
    this.step = typeof m.step === 'number' ? m.step : this.step;
    return true;
  }

  /** The get_api `access_control` dict. */
  info(): AccessControlInfo {
    return { version: 1, policy: this.policy.kind, update_timestamp: float(this.updateTimestamp), update_count: this.updateCount, step: this.step };
  }
}
