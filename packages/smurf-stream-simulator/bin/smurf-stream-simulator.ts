#!/usr/bin/env node
/**
 * SmurfStreamSimulator CLI:
 * `smurf-stream-simulator --instance-id smurf-stream --site-file site.yaml [--auto-start True] [--port 50000]`.
 */
import { runAgent } from '@smurf-ocs/ocs-agent-core';
import { smurfStreamSimulatorAgent } from '../src/agent.js';

await runAgent(smurfStreamSimulatorAgent);
