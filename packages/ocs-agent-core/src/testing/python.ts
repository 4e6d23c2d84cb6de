/**
 * Real Python WAMP peers for interop tests: autobahn-python 22.7.1 + Twisted from Debian
 * (`python3-autobahn python3-twisted python3-msgpack python3-cbor2`, installed by
 * `scripts/setup.sh`), the versions the Python OCS wire transcript was recorded with.
 * Always `/usr/bin/python3`, never a virtualenv on PATH. A missing module fails the test with an
 * install hint; nothing is skipped.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { OCS_ERROR_CODES, TestingError } from '../errors.js';

/** The interpreter that has the Debian packages. */
export const PYTHON = '/usr/bin/python3';

/** Error code of {@link TestingError}s thrown here. */
export const PYTHON_PEER_ERROR = OCS_ERROR_CODES.pythonPeer;

/** What to install when the Python peer cannot run. */
export const PYTHON_INSTALL_HINT =
  'install the Python peer: `apt-get install python3-autobahn python3-twisted python3-msgpack python3-cbor2` (scripts/setup.sh does this)';

const run = promisify(execFile);

/** The JSON object a peer script prints as its last stdout line. */
export type PythonVerdict = Record<string, unknown>;

/** Options of {@link runPythonPeer}. */
export interface PythonPeerOptions {
  /** Kill the script after this many ms (default 45000, a liveness bound). Scripts also have their own watchdog. */
  timeoutMs?: number;
  /** Extra environment (PATH is passed through; PYTHONPATH etc. are not). */
  env?: Readonly<Record<string, string>>;
}

/**
 * Check that `/usr/bin/python3` imports autobahn, twisted, msgpack and cbor2. Throws
 * {@link TestingError} `OCS_ERR_PYTHON_PEER` with {@link PYTHON_INSTALL_HINT} otherwise.
 * Returns the autobahn version.
 */
export async function requirePythonAutobahn(): Promise<string> {
  const code = 'import autobahn, twisted, msgpack, cbor2; print(autobahn.__version__)';
  try {
    const { stdout } = await run(PYTHON, ['-c', code], { encoding: 'utf8', timeout: 20_000 });
    return stdout.trim();
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new TestingError(PYTHON_PEER_ERROR, `${PYTHON} cannot import the WAMP peer modules; ${PYTHON_INSTALL_HINT}\n${e.stderr ?? e.message}`, { cause: err });
  }
}

/**
 * Run a Python peer script (`/usr/bin/python3 <script> ...argv`) and return the JSON object it
 * prints on its last stdout line. A non-zero exit, a timeout or a missing verdict throws
 * {@link TestingError} `OCS_ERR_PYTHON_PEER` carrying stdout, stderr and the install hint.
 * A verdict with a `failure` key is returned as is (the test asserts on it).
 */
export async function runPythonPeer(script: string, argv: readonly string[], opts: PythonPeerOptions = {}): Promise<PythonVerdict> {
  let stdout = '';
  let stderr = '';
  let failure: unknown;
  try {
    ({ stdout, stderr } = await run(PYTHON, [script, ...argv], {
      encoding: 'utf8',
      timeout: opts.timeoutMs ?? 45_000,
      env: { PATH: process.env.PATH, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', ...opts.env },
    }));
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    [stdout, stderr, failure] = [e.stdout ?? '', e.stderr ?? '', err];
  }
  const last = stdout.trim().split('\n').at(-1) ?? '';
  const brace = last.indexOf('{'); // tolerate a log prefix (Twisted redirects print())
  let verdict: PythonVerdict | undefined;
  try {
    verdict = brace >= 0 ? (JSON.parse(last.slice(brace)) as PythonVerdict) : undefined;
  } catch {
    verdict = undefined;
  }
  if (verdict !== undefined && (failure === undefined || 'failure' in verdict)) return verdict;
  const why = failure instanceof Error ? failure.message : 'no JSON verdict on the last stdout line';
  const hint = /ModuleNotFoundError|ImportError/.test(stderr) ? `\n${PYTHON_INSTALL_HINT}` : '';
  throw new TestingError(PYTHON_PEER_ERROR, `python peer ${script} failed: ${why}${hint}\n--- stdout\n${stdout.slice(-3000)}\n--- stderr\n${stderr.slice(-3000)}`, { cause: failure });
}
