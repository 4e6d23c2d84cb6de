/**
 * Merge of site-config `arguments` with the command line (ocs-protocol.md 7.3, Python
 * `ArgContainer`): ordered flag -> values maps, CLI flags replace SCF flags in place, new CLI flags
 * are appended, CLI positionals always replace SCF positionals.
 */

const POSITIONAL = '\u0000positional';

/** True for a flag token: starts with `-`, first char after the dashes is a letter (`-5` is a value). */
export function isFlagToken(tok: string): boolean {
  const m = /^-+(.)/.exec(tok);
  return m !== null && /[A-Za-z]/.test(m[1] ?? '');
}

/** Split tokens into an ordered map flag -> value tokens (positionals under a private key). */
export function splitArgs(tokens: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>([[POSITIONAL, []]]);
  let current = POSITIONAL;
  for (const tok of tokens) {
    if (isFlagToken(tok)) {
      current = tok;
      out.set(tok, []);
    } else {
      out.get(current)?.push(tok);
    }
  }
  return out;
}

/** Flatten nested SCF argument lists and `str()` every item (Python `str(True)` = `True`). */
export function flattenScfArguments(items: unknown): string[] {
  if (items === undefined || items === null) return [];
  if (!Array.isArray(items)) return [pyStrScalar(items)];
  return items.flatMap((x) => (Array.isArray(x) ? flattenScfArguments(x) : [pyStrScalar(x)]));
}

function pyStrScalar(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null) return 'None';
  return String(v);
}

/** The merged token list: SCF map updated by the CLI map, positionals first. */
export function mergeArgs(scf: readonly string[], cli: readonly string[]): string[] {
  const merged = splitArgs(scf);
  const over = splitArgs(cli);
  for (const [k, v] of over) merged.set(k, v);
  const out: string[] = [...(merged.get(POSITIONAL) ?? [])];
  for (const [k, v] of merged) if (k !== POSITIONAL) out.push(k, ...v);
  return out;
}
