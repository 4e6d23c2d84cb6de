/**
 * Repository-level documentation checks: docs/compatibility.md is generated from the
 * per-package docs/compat/*.md and must be current; every agent package has an operator page.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

describe('docs', () => {
  it('docs/compatibility.md is generated from docs/compat/*.md and current', () => {
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'gen-compat.mjs'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const text = readFileSync(join(root, 'docs', 'compatibility.md'), 'utf8');
    for (const f of readdirSync(join(root, 'docs', 'compat'))) expect(text).toContain(`## ${f.replace(/\.md$/, '')}\n`);
  });

  it('every agent package has an operator page under docs/agents/', () => {
    const agents = readdirSync(join(root, 'packages')).filter((p) =>
      existsSync(join(root, 'packages', p, 'src', 'agent.ts')),
    );
    expect(agents.length).toBeGreaterThanOrEqual(3);
    for (const a of agents) expect(existsSync(join(root, 'docs', 'agents', `${a}.md`)), a).toBe(true);
  });

  it('the README starts with the two commands: the main job and every test', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const commands = [...readme.matchAll(/^(bash scripts\/setup\.sh && pnpm \w+)$/gm)].map((m) => m[1]);
    expect(commands.slice(0, 2)).toEqual(['bash scripts/setup.sh && pnpm demo', 'bash scripts/setup.sh && pnpm test']);
  });
});
