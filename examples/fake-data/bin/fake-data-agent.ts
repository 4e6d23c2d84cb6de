#!/usr/bin/env node
/**
 * FakeDataAgent CLI: `fake-data-agent --instance-id fake-data1 --site-file site.yaml [--mode acq]`.
 */
import { runAgent } from '@smurf-ocs/ocs-agent-core';
import { fakeDataAgent } from '../src/agent.js';

await runAgent(fakeDataAgent);
