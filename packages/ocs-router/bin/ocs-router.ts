#!/usr/bin/env node
// ocs-router: see docs/ocs-router.md.
import { runCli } from '../src/cli.js';

await runCli();
