/** The bin as operators run it: a child process joining a real router, streaming with --auto-start. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnAgent, startRouter, tmpDir, waitFor, writeSiteConfig } from '@smurf-ocs/ocs-agent-core/testing';
import { expect, it } from 'vitest';
import { Collector } from '../helpers.js';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/smurf-stream-simulator.ts');

it('bin: auto-starts, serves frames, exits cleanly on SIGINT', async () => {
  await using router = await startRouter();
  await using dir = tmpDir();
  const site = writeSiteConfig(dir.path, {
    hubUrl: router.url,
    httpUrl: router.httpUrl,
    instances: [
      {
        agentClass: 'SmurfStreamSimulator',
        instanceId: 'smurf-stream',
        arguments: [['--auto-start', true], ['--bind-address', '127.0.0.1'], ['--port', '0'], ['--num-chans', '8'], ['--frame-rate', '10']],
      },
    ],
  });
  await using agent = await spawnAgent(bin, ['--site-file', site, '--instance-id', 'smurf-stream']);
  const listening = await waitFor(() => agent.logs.find((l) => l.msg === 'G3NetworkSender listening'), { what: 'listening log', timeout: 15_000 });
  // The sender lives in the child process; the assertions below only need the tail of the stream.
  const client = await Collector.connect(listening.port as number);
  try {
    await client.waitFor((t) => t.filter((x) => x.startsWith('S')).length >= 2, '2 Scans');
    agent.kill('SIGINT');
    const exit = await agent.exited;
    expect(exit.code).toBe(0);
    await client.done;
    expect(client.tokens).toMatch(/N2 O3 W3$/); // graceful: END and CLEANSE before exit
  } finally {
    client.close();
  }
});
