// Runs the whole vitest suite and ends with one plain summary line, `tests: N passed, N failed`,
// so CI logs say at a glance what ran. Extra arguments are passed to vitest (e.g. a package path).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'smurf-ocs-tests-'));
const report = join(dir, 'report.json');
const res = spawnSync(
  'pnpm',
  ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
let summary = 'tests: 0 passed, 0 failed';
try {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = r.numPendingTests + r.numTodoTests;
  summary = `tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : '');
  if (r.numTotalTests === 0) summary += ' (no test ran)';
} catch (err) {
  summary = `tests: 0 passed, 1 failed (no vitest report: ${err.message})`;
}
rmSync(dir, { recursive: true, force: true });
console.log(summary);
process.exit(res.status ?? 1);
