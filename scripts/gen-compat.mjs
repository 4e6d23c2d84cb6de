// Builds docs/compatibility.md — every deliberate difference from the Python agents and from
// crossbar — from the per-package sources in docs/compat/*.md (each package's engineers keep their
// own list next to their work). `node scripts/gen-compat.mjs --check` fails if the file is stale.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'docs', 'compat');
const out = join(root, 'docs', 'compatibility.md');
// Order: the wire first, then the agents an operator swaps, then the libraries.
const order = ['ocs-agent-core', 'ocs-router', 'suprsync', 'smurf-recorder', 'smurf-stream-simulator', 'g3-frame'];
const files = readdirSync(srcDir).filter((f) => f.endsWith('.md')).map((f) => f.slice(0, -3));
files.sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));

const header = `# Compatibility with the Python agents

Every deliberate difference between smurf-ocs and the Python originals (simonsobs/ocs,
simonsobs/socs, crossbar, spt3g). Where a spec lists a Python quirk that a client can observe
(codes, field names, types, file names, table columns), we match it; what is listed here are plain
bugs we fixed, [FLAW]s of the specs we fixed, and additions. Each section is kept beside its
package in \`docs/compat/<package>.md\`; this page is generated from them by
\`node scripts/gen-compat.mjs\` (a test checks it is current).

Contents: ${files.map((f) => `[${f}](#${f})`).join(' · ')}
`;
const body = files
  .map((f) => {
    const text = readFileSync(join(srcDir, `${f}.md`), 'utf8').trim();
    // Demote the source's own headings one level under this page's section heading.
    const demoted = text.replace(/^(#+) /gm, '#$1 ').replace(/^## .*\n+/, '');
    return `## ${f}\n\n${demoted}\n`;
  })
  .join('\n');
const text = `${header}\n${body}`;
if (process.argv.includes('--check')) {
  const current = readFileSync(out, 'utf8');
  if (current !== text) {
    console.error('docs/compatibility.md is stale: run node scripts/gen-compat.mjs');
    process.exit(1);
  }
} else {
  writeFileSync(out, text);
}
