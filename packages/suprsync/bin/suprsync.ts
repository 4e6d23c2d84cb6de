#!/usr/bin/env node
/** `suprsync check|next|list|add-local-files ...` (see src/cli.ts). */
import { runCli } from '../src/cli.js';

process.exitCode = await runCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  env: process.env,
});
