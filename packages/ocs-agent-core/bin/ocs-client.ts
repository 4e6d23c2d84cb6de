#!/usr/bin/env node
// ocs-client: talk to OCS agents from the shell (see docs/ocs-client.md).
import { runClientCli } from '../src/client/index.js';

process.exitCode = await runClientCli(process.argv);
