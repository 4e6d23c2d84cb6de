/**
 * Access control (ocs-protocol.md 5): policies `none` and `override:<pw2>,<pw3>`, credential
 * levels and the exact rejection texts. `director:<id>` policies are accepted with a minimal
 * implementation: every caller is level 0 (blocked) until a director publishes rules, which this
 * port does not evaluate (documented gap); startup ops still get level 4.
 */
import { float, type WampFloat } from '@smurf-ocs/wamp-codec';
import { ConfigError, OCS_ERROR_CODES } from '../errors.js';

/** `CredLevel` names by value. */
const LEVEL_NAMES = ['BLOCKED', 'BASIC', 'ADVANCED', 'FULL', 'SUPERUSER'] as const;

/** String form of a credential level, e.g. `2-ADVANCED`. */
export function credLevelName(level: number): string {
  return `${level}-${LEVEL_NAMES[level] ?? 'UNKNOWN'}`;
}

/** Parsed `--access-policy`. */
export type AccessPolicy =
  | { kind: 'none' }
  | { kind: 'override'; pw2: string; pw3: string }
  | { kind: 'director'; directorId: string };

/** Parse `none` / `""` / `override:pw2,pw3` / `director:<id>`; anything else is a ConfigError. */
export function parseAccessPolicy(text: string | undefined | null): AccessPolicy {
  if (text === undefined || text === null || text === '' || text === 'none') return { kind: 'none' };
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const rest = colon < 0 ? '' : text.slice(colon + 1);
  if (kind === 'override') {
    const [pw2 = '', pw3 = ''] = rest.split(',');
    return { kind: 'override', pw2, pw3 };
  }
  if (kind === 'director') return { kind: 'director', directorId: rest === '' ? 'access-director' : rest };
  throw new ConfigError(`Invalid access policy ${JSON.stringify(text)}: use none, override:<pw2>,<pw3> or director:<id>`, {
    code: OCS_ERROR_CODES.accessPolicy,
  });
}

/** Marker for internal (startup) launches: the superuser key of Python. */
export const SUPERUSER = Symbol('ocs-superuser');

/** `access_control` block of get_api. */
export interface AccessControlInfo {
  version: 1;
  policy: 'none' | 'override' | 'director';
  update_timestamp: WampFloat;
  update_count: number;
  step: number;
}

/** Evaluates caller credentials for one agent. */
export class AccessController {
  readonly policy: AccessPolicy;
  private readonly updateTimestamp: number;
  private readonly updateCount = 0;
  private readonly step = 0;

  constructor(policy: AccessPolicy, startTime: number) {
    this.policy = policy;
    this.updateTimestamp = startTime;
  }

  /** Credential level of a caller (`password` undefined = none sent). */
  credLevel(password: string | typeof SUPERUSER | undefined): number {
    if (this.policy.kind === 'none') return 1;
    if (password === SUPERUSER) return 4;
    if (this.policy.kind === 'director') return 0;
    let level = 1;
    if (typeof password === 'string') {
      if (password === this.policy.pw2) level = 2;
      if (password === this.policy.pw3) level = 3;
    }
    return level;
  }

  /** Detail appended to start rejections (policy none only in this port). */
  rejectionDetail(): string {
    return this.policy.kind === 'none' ? 'No access policy -- level 1 for all.' : '';
  }

  /** Rejection text; `withDetail` for `start` only (ocs-protocol.md 5.3). */
  rejection(required: number, have: number, withDetail: boolean): string {
    const base = `The action requires credential level ${credLevelName(required)} but the client has only level ${credLevelName(have)}`;
    const detail = withDetail ? this.rejectionDetail() : '';
    return detail === '' ? base : `${base} ${detail}`;
  }

  /** The get_api `access_control` dict. */
  info(): AccessControlInfo {
    return {
      version: 1,
      policy: this.policy.kind,
      update_timestamp: float(this.updateTimestamp),
      update_count: this.updateCount,
      step: this.step,
    };
  }
}
