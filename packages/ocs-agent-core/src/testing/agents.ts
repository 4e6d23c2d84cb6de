/**
 * Start agents for tests: in-process ({@link startAgent}) or as a child process
 * ({@link spawnAgent}, `node --conditions=source --import tsx <bin>`). Both are
 * `await using`-disposable.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { z } from 'zod';
import { createAgent, type AgentInstance, type CreateAgentOptions } from '../agent/define-agent.js';
import type { AgentDefinition } from '../agent/types.js';
import { OCS_ERROR_CODES, TestingError } from '../errors.js';

/** An in-process agent that is closed on dispose. */
export type TestAgent<A extends Record<string, z.ZodType>, State> = AgentInstance<A, State> & AsyncDisposable;

/**
 * Create an agent in this process and wait until it registered (default timeout 10 s).
 * JSON logs are discarded unless `LOGLEVEL` is set in the test environment (`--log-dir` files
 * are still written); `opts.env` defaults to `{}` (the test process env is not used).
 *
 * Drive it with the re-exported `OCSClient`, as an operator would:
 * ```ts
 * await using router = await startRouter();
 * await using agent = await startAgent(myAgent, ['--site', 'none', '--site-hub', router.url, '--instance-id', 'a1']);
 * await using client = await OCSClient.connect('a1', { site: 'none', siteHttp: router.httpUrl });
 * const reply = await client.ops.acq.start();          // { status, msg, session }
 * ```
 * (`agent.handle.callOp(...)` calls it from the agent side instead.)
 */
export async function startAgent<A extends Record<string, z.ZodType>, State>(
  def: AgentDefinition<A, State>,
  argv: readonly string[],
  opts: CreateAgentOptions & { waitRegistered?: boolean; timeoutMs?: number } = {},
): Promise<TestAgent<A, State>> {
  const quiet = process.env.LOGLEVEL === undefined;
  const agent = await createAgent(def, argv, {
    ...opts,
    env: { LOGLEVEL: process.env.LOGLEVEL ?? 'info', ...opts.env },
    logDestination: opts.logDestination ?? (quiet ? { write: () => undefined } : undefined),
  });
  const t = agent as TestAgent<A, State>;
  t[Symbol.asyncDispose] = async () => {
    await agent.close();
  };
  if (opts.waitRegistered ?? true) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_r, reject) => {
      timer = setTimeout(() => reject(new TestingError(OCS_ERROR_CODES.agentStart, `agent ${agent.address} did not register`)), opts.timeoutMs ?? 10_000);
    });
    try {
      await Promise.race([agent.ready, timeout]);
    } catch (err) {
      await agent.close();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
  return t;
}

/** A spawned agent process. */
export interface SpawnedAgent extends AsyncDisposable {
  readonly proc: ChildProcess;
  /** Parsed JSON log lines seen so far (stdout). */
  readonly logs: Record<string, unknown>[];
  /** stderr text so far. */
  stderr(): string;
  /** Resolves with `{ code, signal }` when the process exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Send a signal. */
  kill(signal?: NodeJS.Signals): void;
}

const tsxImport = import.meta.resolve('tsx');

/**
 * Spawn `node --conditions=source --import tsx <binPath> ...argv`, and (by default) wait until its
 * log says `registered`. On dispose: SIGINT, then SIGKILL after 10 s.
 *
 * With a site file from `writeSiteConfig`, the same file serves the re-exported `OCSClient`:
 * ```ts
 * const site = writeSiteConfig(dir.path, { hubUrl: router.url, httpUrl: router.httpUrl, instances: [{ agentClass: 'FakeDataAgent', instanceId: 'fd1' }] });
 * await using proc = await spawnAgent(bin, ['--site-file', site, '--instance-id', 'fd1']);
 * await using client = await OCSClient.connect('fd1', { siteFile: site });
 * ```
 */
export async function spawnAgent(
  binPath: string,
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
  opts: { waitRegistered?: boolean; timeoutMs?: number; cwd?: string } = {},
): Promise<SpawnedAgent> {
  const proc = spawn(process.execPath, ['--conditions=source', '--import', tsxImport, binPath, ...argv], {
    env: { PATH: process.env.PATH, LOGLEVEL: 'info', ...env },
    cwd: opts.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let err = '';
  let buf = '';
  proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buf += chunk;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: line, raw: true });
      }
    }
  });
  proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const agent: SpawnedAgent = {
    proc,
    logs,
    stderr: () => err,
    exited,
    kill: (signal = 'SIGINT') => void proc.kill(signal),
    [Symbol.asyncDispose]: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGINT');
      const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
  if (opts.waitRegistered ?? true) {
    const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
    while (!logs.some((l) => l.msg === 'registered')) {
      if (proc.exitCode !== null || Date.now() > deadline) {
        await agent[Symbol.asyncDispose]();
        throw new TestingError(OCS_ERROR_CODES.agentStart, `agent ${binPath} did not register (exit ${proc.exitCode}); stderr: ${err.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return agent;
}
