/**
 * Runs the benchmark scripts in this folder, one after the other, each in its own Node process
 * (so one benchmark's heap and sockets cannot disturb the next). Every script prints its own
 * figures and, where a baseline exists (plain rsync, md5sum, a plain write stream), the ratio
 * measured in the same run.
 *
 * Usage: `pnpm bench` (all) or `pnpm bench suprsync-copy g3-decode` (by file name, no suffix).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const loader = join(here, '..', 'node_modules', 'tsx', 'dist', 'loader.mjs');
const all = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}\navailable: ${all.join(', ')}\n`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : all) {
  process.stdout.write(`\n=== bench/${name}.ts\n`);
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', loader, join(here, `${name}.ts`)], {
    stdio: 'inherit',
  });
  if (r.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
