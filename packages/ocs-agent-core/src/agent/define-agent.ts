/**
 * `defineAgent` / `createAgent` / `runAgent`: turn an {@link AgentDefinition} into a running
 * agent (in-process handle or a CLI process with signal handling, ocs-protocol.md 6.7).
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import { parseAgentArgs } from '../config/parse-args.js';
import { ConfigError } from '../errors.js';
import { createLogger } from '../logging.js';
import type { SerializerName } from '../wamp/serializers.js';
import { AgentRuntime } from './runtime.js';
import type { AgentDefinition, AgentHandle, ParsedArgs } from './types.js';

/** Identity helper that types an agent definition. */
export function defineAgent<A extends Record<string, z.ZodType>, State = unknown>(def: AgentDefinition<A, State> & { removedArgs?: Record<string, string> }): AgentDefinition<A, State> & { removedArgs?: Record<string, string> } {
  return def;
}

/** Options of {@link createAgent}. */
export interface CreateAgentOptions {
  /** Environment (INSTANCE_ID, SITE_HUB, ..., OCS_CONFIG_DIR, LOGLEVEL); default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Logger to use instead of a new pino logger (then `--log-dir` is not applied). */
  log?: Logger;
  /** Destination of the JSON log lines of a new logger; default stdout. */
  logDestination?: { write(line: string): void };
  /** WAMP serializers, preferred first; default `['json']`. */
  serializers?: readonly SerializerName[];
}

/** A created (and connecting) agent. */
export interface AgentInstance<A extends Record<string, z.ZodType> = Record<string, z.ZodType>, State = unknown> {
  /** Agent address `R.I`. */
  readonly address: string;
  readonly args: ParsedArgs<A>;
  readonly log: Logger;
  /** The agent handle (same object ops receive). */
  readonly handle: AgentHandle<State, ParsedArgs<A>>;
  /** Resolves on the first successful registration. */
  readonly ready: Promise<void>;
  /** Resolves with the exit status once the agent shut down (signal, watchdog or close()). */
  readonly closed: Promise<number>;
  /** 6.7 shutdown: stop/abort ops, wait up to 3 s, leave. Idempotent. */
  close(exitCode?: number): Promise<number>;
}

/**
 * Parse args (argv + env + site config), run `setup`, register feeds and ops and start
 * connecting. Throws {@link ConfigError} for bad arguments.
 */
export async function createAgent<A extends Record<string, z.ZodType>, State>(
  def: AgentDefinition<A, State> & { removedArgs?: Record<string, string> },
  argv: readonly string[],
  opts: CreateAgentOptions = {},
): Promise<AgentInstance<A, State>> {
  const env = opts.env ?? process.env;
  const parsed = parseAgentArgs({ agentClass: def.agentClass, summary: def.summary, args: def.args ?? {}, removedArgs: def.removedArgs, argv, env });
  const args = parsed.args as ParsedArgs<A> & typeof parsed.args;
  const address = `${args.addressRoot}.${args.instanceId}`;
  const log = opts.log ?? createLogger({ name: address, level: env.LOGLEVEL, logDir: args.logDir, destination: opts.logDestination });
  const rt = new AgentRuntime({ agentClass: def.agentClass, args, log, serializers: opts.serializers });
  const feeds = typeof def.feeds === 'function' ? def.feeds(args) : (def.feeds ?? {});
  for (const [name, f] of Object.entries(feeds)) rt.registerFeed(name, f);
  const handle = rt as unknown as AgentHandle<State, ParsedArgs<A>>;
  if (def.setup) rt.state = await def.setup({ args, log, agent: handle });
  const ops = typeof def.ops === 'function' ? def.ops(args) : def.ops;
  for (const [name, op] of Object.entries(ops)) rt.addOp(name, op as never);
  let closing: Promise<number> | null = null;
  let resolveClosed!: (code: number) => void;
  const closed = new Promise<number>((r) => (resolveClosed = r));
  const close = (exitCode = 0): Promise<number> => {
    closing ??= (async () => {
      log.info('shutting down');
      await rt.shutdown();
      if (def.teardown) await def.teardown({ state: rt.state as State, log });
      resolveClosed(exitCode);
      return exitCode;
    })();
    return closing;
  };
  rt.onWatchdog = () => void close(0);
  log.info({ address, agentClass: def.agentClass, hub: args.siteHub, realm: args.siteRealm }, `ocs: starting ${def.agentClass} @ ${address}`);
  rt.connect();
  return { address, args, log, handle, ready: rt.ready, closed, close };
}

/**
 * CLI entry point: create the agent from `process.argv`, install SIGINT/SIGTERM handlers
 * (6.7: stop/abort ops, wait up to 3 s, exit 0) and exit when the agent closes. Argument errors
 * print the message to stderr and exit 2 (usage, as argparse) or 1.
 */
export async function runAgent<A extends Record<string, z.ZodType>, State>(
  def: AgentDefinition<A, State> & { removedArgs?: Record<string, string> },
  opts: CreateAgentOptions & { argv?: readonly string[] } = {},
): Promise<AgentInstance<A, State>> {
  let agent: AgentInstance<A, State>;
  try {
    agent = await createAgent(def, opts.argv ?? process.argv.slice(2), opts);
  } catch (err) {
    if (err instanceof ConfigError) {
      if (err.message !== '') process.stderr.write(`${def.agentClass}: error: ${err.message}\n`);
      process.exit(err.exitCode);
    }
    throw err;
  }
  const onSignal = (sig: NodeJS.Signals): void => {
    agent.log.info({ signal: sig }, 'caught signal; stopping ops');
    void agent.close(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  void agent.closed.then((code) => {
    agent.log.flush?.();
    setTimeout(() => process.exit(code), 50);
  });
  return agent;
}
