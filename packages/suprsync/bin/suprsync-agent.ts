#!/usr/bin/env node
/** SupRsync agent: `suprsync-agent --instance-id <id> [--site-file F] --archive-name A ...`. */
import { runAgent } from '@smurf-ocs/ocs-agent-core';
import { suprsyncAgent } from '../src/agent.js';

await runAgent(suprsyncAgent);
