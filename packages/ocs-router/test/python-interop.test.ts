// The real Python client: autobahn-python 22.7.1 from Debian (`apt-get install python3-autobahn
// python3-twisted python3-msgpack python3-cbor2`), the versions the OCS wire transcript was
// recorded with. Fails loudly when /usr/bin/python3 lacks them.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Router, startRouter } from '../src/index.js';
import { quiet } from './helpers.js';

const python = '/usr/bin/python3';
const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/python-client.py');

let router: Router;
beforeAll(async () => {
  router = await startRouter({ logger: quiet, port: 0 });
});
afterAll(() => router.close());

async function runPython(serializer: string): Promise<Record<string, unknown>> {
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(python, [script, router.url, router.httpUrl, serializer], { encoding: 'utf8', timeout: 30_000 }));
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`python client failed (needs ${python} with python3-autobahn, -twisted, -msgpack, -cbor2): ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
  const last = stdout.trim().split('\n').at(-1)!;
  return JSON.parse(last.slice(last.indexOf('{'))) as Record<string, unknown>;
}

describe.each([
  ['json', 'json'],
  ['msgpack', 'msgpack'],
  ['cbor', 'cbor'],
  ['default', 'cbor'], // autobahn offers cbor.batched, cbor, msgpack.batched, ...: the router picks cbor
])('autobahn-python offering %s', (serializer, picked) => {
  it('joins, registers, calls, subscribes and bridges as against crossbar', async () => {
    const out = await runPython(serializer);
    expect(out.failure).toBeUndefined();
    expect(out.serializer).toBe(picked);
    expect(out.welcome).toEqual({ realm: 'test_realm', authrole: 'iocs_agent', authmethod: 'anonymous' });
    expect(out.duplicate).toEqual(['wamp.error.procedure_already_exists', "register for already registered procedure 'observatory.py.echo'"]);
    // 5.0 stays float, 5 int, 2**63-1 int (exact), NaN float, kwarg 1.5 float
    expect(out.echo_types).toEqual(['float', 'int', 'int', 'float', 'float']);
    expect([out.echo_big, out.echo_nan]).toEqual([true, true]);
    expect(out['observatory.nope']).toEqual(['wamp.error.no_such_procedure', 'no callee registered for procedure <observatory.nope>']);
    expect((out['other.proc'] as string[])[0]).toBe('wamp.error.not_authorized');
    expect(out.event).toEqual({ topic: 'observatory.py.feeds.test', types: ['float', 'float'] });
    expect(out.http).toEqual([200, '{"args":[{"args":[5.0,NaN,9223372036854775807],"kwargs":{}}]}']);
    expect(out.leave_reason).toBe('wamp.close.goodbye_and_out');
  });
});
