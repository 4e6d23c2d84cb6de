#!/usr/bin/env node
/** `g3 dump|verify` — see src/cli.ts. */
import { runCli } from '../src/cli.js';

const io = { out: (s: string) => process.stdout.write(s), err: (s: string) => process.stderr.write(s) };
process.exitCode = await runCli(process.argv.slice(2), io);
