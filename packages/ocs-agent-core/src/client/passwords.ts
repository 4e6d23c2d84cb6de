/**
 * Client password resolution (ocs-protocol.md §5.4, Python `ocs.access.client_get_password`).
 *
 * `privs` is either the password itself (a string) or a wanted credential level:
 * 1 (or undefined) → no password; 2/3 → looked up in the OCS passwords file, by default
 * `~/.ocs-passwords.yaml`, overridden by `$OCS_PASSWORDS_FILE`.
 *
 * The file is a YAML list of rules `{default?, agent_class?, instance_id?, password_2?, password_3?}`.
 * Among the rules whose selectors match the agent and that hold a suitable password, the most
 * specific one wins; ties go to the later rule.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PasswordFileError } from './errors.js';
import { scopeMatches } from '../agent/scope.js';

export { fnmatch } from '../agent/scope.js';

/** A password (string) or a wanted credential level (1 BASIC, 2 ADVANCED, 3 FULL). */
export type Privs = string | 1 | 2 | 3;

interface PasswordRule {
  default?: boolean | null;
  agent_class?: string | null;
  instance_id?: string | null;
  password_2?: unknown;
  password_3?: unknown;
}

function countKinds(pattern: string): { pos: number; neg: number } {
  const subs = pattern.split(',').filter((s) => s.replace(/^!/, '').length > 0);
  return { pos: subs.filter((s) => !s.startsWith('!')).length, neg: subs.filter((s) => s.startsWith('!')).length };
}

/** Python `ScopeSpec.get_specificity`: 8/4 for positive instance/class patterns, 2/1 for negative. */
function specificity(rule: PasswordRule): number {
  if (rule.default) return 0;
  let bits = 0;
  if (rule.instance_id != null) {
    const k = countKinds(rule.instance_id);
    if (k.pos) bits |= 8;
    if (k.neg) bits |= 2;
  }
  if (rule.agent_class != null) {
    const k = countKinds(rule.agent_class);
    if (k.pos) bits |= 4;
    if (k.neg) bits |= 1;
  }
  return bits === 0 ? -1 : bits;
}

/** Path of the passwords file: `$OCS_PASSWORDS_FILE` or `~/.ocs-passwords.yaml`. */
export function passwordsFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.OCS_PASSWORDS_FILE || path.join(os.homedir(), '.ocs-passwords.yaml');
}

function loadRules(file: string): PasswordRule[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PasswordFileError(`Cannot read OCS passwords file ${file}; create it or set $OCS_PASSWORDS_FILE.`, { cause: err });
  }
  const rules: unknown = parseYaml(text);
  if (!Array.isArray(rules) || !rules.every((r) => r !== null && typeof r === 'object')) {
    throw new PasswordFileError(`OCS passwords file ${file} must hold a YAML list of rules.`);
  }
  return rules as PasswordRule[];
}

/**
 * Resolve the password to send (`''` = none) for `privs` against an agent.
 * Throws {@link PasswordFileError} when level 2/3 is asked and the passwords file is unusable.
 */
export function resolvePassword(
  privs: Privs | undefined,
  agentClass: string | null,
  instanceId: string,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (typeof privs === 'string') return privs;
  if (privs === undefined || privs === 1) return '';
  const rules = loadRules(passwordsFilePath(env));
  let best: { spec: number; index: number; password: string } | undefined;
  rules.forEach((rule, index) => {
    if (!scopeMatches(rule, agentClass ?? '', instanceId)) return;
    // Python: password_2 serves a level-2 request; otherwise password_3 serves level 2 or 3.
    const pw = 'password_2' in rule && privs <= 2 ? rule.password_2 : 'password_3' in rule ? rule.password_3 : undefined;
    if (pw === undefined) return;
    const spec = specificity(rule);
    if (best === undefined || spec > best.spec || (spec === best.spec && index > best.index)) {
      best = { spec, index, password: String(pw) };
    }
  });
  return best?.password ?? '';
}
