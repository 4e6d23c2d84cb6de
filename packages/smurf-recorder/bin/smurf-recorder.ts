#!/usr/bin/env node
/** SMuRF Recorder agent entry point: `smurf-recorder --instance-id ... [flags]`. */
import { runAgent } from '@smurf-ocs/ocs-agent-core';
import { smurfRecorderAgent } from '../src/index.js';

await runAgent(smurfRecorderAgent);
