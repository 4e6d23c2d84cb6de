/** The operator page documents every flag and op (the page is hand-written; this keeps it honest). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { simulatorArgs } from '../src/args.js';
import { SESSION_DATA_KEYS } from './helpers.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const page = readFileSync(path.join(repoRoot, 'docs/agents/smurf-stream-simulator.md'), 'utf8');

describe('docs/agents/smurf-stream-simulator.md', () => {
  it('lists every flag with its default', () => {
    for (const [flag, schema] of Object.entries(simulatorArgs)) {
      const row = page.split('\n').find((l) => l.startsWith(`| \`--${flag}`));
      expect(row, `--${flag}`).toBeDefined();
      const def = schema.safeParse(undefined);
      if (def.success && typeof def.data !== 'boolean') expect(row).toContain(`\`${String(def.data)}\``);
    }
  });

  it('lists the ops and the session.data keys', () => {
    for (const op of ['stream', 'start', 'stop']) expect(page).toContain(`| \`${op}\` |`);
    const example = /## session\.data[\s\S]*?```json\n([\s\S]*?)```/.exec(page)?.[1];
    expect(Object.keys(JSON.parse(example ?? '{}') as object)).toEqual(SESSION_DATA_KEYS);
  });
});
