/**
 * The `ocs-client` command line (commander), in the spirit of Python `ocs-client-cli`.
 *
 * ```
 * ocs-client [--site-file F] [--site-http URL] [--site-hub URL] [--site-realm R] [--address-root R]
 *            [--transport http|wamp] [--privs PW|LEVEL] [--json] <command>
 *   scan [--duration s]                 agents heard on <root>..feeds.heartbeat
 *   listen <feed> [--duration s] [--count n]
 *   api <instance-id> [--doc]
 *   call <instance-id> <op> <action> [--param k=v ...] [--timeout s]
 *   status <instance-id> [op]
 *   watch <instance-id> <op> [--interval s]
 * ```
 * Exit codes: 0 success, 1 failed request or non-OK reply, 2 usage error.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { setAutobahnWarn } from '../autobahn-types.js';
import { ControlClientError, OcsClientError } from '../errors.js';
import { OCS_ERROR_CODES } from '../../errors.js';
import type { Privs } from '../passwords.js';
import { apiCommand, callCommand, listenCommand, scanCommand, statusCommand, watchCommand, type CommandIo, type GlobalOptions } from './commands.js';

/** Output sinks of the CLI (defaults: process stdout/stderr) and an optional stop signal. */
export interface CliIo {
  out?(text: string): void;
  err?(text: string): void;
  /** Stops `listen`/`watch`; by default SIGINT does. */
  signal?: AbortSignal;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('expected a number of seconds');
  return n;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parsePrivs(value: string): Privs {
  return value === '1' || value === '2' || value === '3' ? (Number(value) as 1 | 2 | 3) : value;
}

interface RawGlobals {
  siteFile?: string;
  site?: string;
  siteHost?: string;
  siteHub?: string;
  siteHttp?: string;
  siteRealm?: string;
  addressRoot?: string;
  transport: 'http' | 'wamp';
  privs?: string;
  json?: boolean;
}

function globals(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals<RawGlobals>();
  const g: GlobalOptions = { transport: o.transport, json: o.json === true };
  if (o.siteFile !== undefined) g.siteFile = o.siteFile;
  if (o.site !== undefined) g.site = o.site;
  if (o.siteHost !== undefined) g.siteHost = o.siteHost;
  if (o.siteHub !== undefined) g.siteHub = o.siteHub;
  if (o.siteHttp !== undefined) g.siteHttp = o.siteHttp;
  if (o.siteRealm !== undefined) g.realm = o.siteRealm;
  if (o.addressRoot !== undefined) g.addressRoot = o.addressRoot;
  if (o.privs !== undefined) g.privs = parsePrivs(o.privs);
  return g;
}

/** Build the commander program; each action stores its exit code in `result.code`. */
export function buildProgram(io: CommandIo, result: { code: number }): Command {
  const program = new Command('ocs-client')
    .description('Talk to OCS agents: discover them, read their API, run and watch their operations, listen to feeds.')
    .option('--site-file <path>', 'site config file (default: $OCS_CONFIG_DIR/<site>.yaml)')
    .option('--site <name>', 'site name, i.e. $OCS_CONFIG_DIR/<name>.yaml ("none" = no file)')
    .option('--site-host <host>', 'host name used to select the hosts block of the site config')
    .option('--site-hub <url>', 'WAMP WebSocket URL (overrides hub.wamp_server)')
    .option('--site-http <url>', 'HTTP caller-bridge URL (overrides hub.wamp_http)')
    .option('--site-realm <realm>', 'WAMP realm (overrides hub.wamp_realm)')
    .option('--address-root <root>', 'address root (overrides hub.address_root)')
    .addOption(new Option('--transport <kind>', 'how to call agents').choices(['http', 'wamp']).default('http'))
    .option('--privs <password|level>', 'password, or credential level 1-3 looked up in ~/.ocs-passwords.yaml')
    .option('--json', 'machine-readable JSON output')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  // Each action gets (…arguments, options, command); the command is last.
  const run: Runner = (fn) => async (...a: unknown[]) => {
    result.code = await fn(a[a.length - 1] as Command);
  };
  addFeedCommands(program, run, io);
  addAgentCommands(program, run, io);
  return program;
}

type Runner = (fn: (cmd: Command) => Promise<number>) => (...a: unknown[]) => Promise<void>;

/** `scan` and `listen`: WAMP subscriptions. */
function addFeedCommands(program: Command, run: Runner, io: CommandIo): void {
  program
    .command('scan')
    .description('listen for heartbeats and list the agents seen')
    .option('--duration <s>', 'seconds to listen', seconds, 2)
    .action(run((cmd) => scanCommand(globals(cmd), cmd.opts<{ duration: number }>(), io)));

  program
    .command('listen <feed>')
    .description('print events of a feed: <instance-id>.feeds.<name>, a full topic, or a wildcard with ".."')
    .option('--duration <s>', 'stop after this many seconds', seconds)
    .option('--count <n>', 'stop after this many events', positiveInt)
    .option('--raw', 'print record-feed messages in full instead of a per-block summary', false)
    .action(run((cmd) => listenCommand(globals(cmd), cmd.args[0]!, cmd.opts(), io)));
}

/** `api`, `call`, `status`, `watch`: OCSClient requests to one agent. */
function addAgentCommands(program: Command, run: Runner, io: CommandIo): void {
  program
    .command('api <instance-id>')
    .description("print the agent's API: ops with type and session status, feeds")
    .option('--doc', 'also print op docstrings', false)
    .action(run((cmd) => apiCommand(globals(cmd), cmd.args[0]!, cmd.opts<{ doc: boolean }>(), io)));

  program
    .command('call <instance-id> <op> <action>')
    .description('run one action (start, wait, status, abort, stop; call = start+wait / status)')
    .option('-p, --param <key=value>', 'op parameter, value parsed as YAML (repeatable)', collect, [] as string[])
    .option('--timeout <s>', 'wait timeout in seconds (negative = do not wait)', seconds)
    .action(
      run((cmd) =>
        callCommand(globals(cmd), { instanceId: cmd.args[0]!, op: cmd.args[1]!, action: cmd.args[2]! }, cmd.opts<{ param: string[]; timeout?: number }>(), io),
      ),
    );

  program
    .command('status <instance-id> [op]')
    .description("table of every op's session status, or one op's status in full")
    .action(run((cmd) => statusCommand(globals(cmd), cmd.args[0]!, cmd.args[1], io)));

  program
    .command('watch <instance-id> <op>')
    .description('poll an op and print status and session.data changes until it is done (or Ctrl-C)')
    .option('--interval <s>', 'poll interval in seconds', seconds, 1)
    .action(run((cmd) => watchCommand(globals(cmd), cmd.args[0]!, cmd.args[1]!, cmd.opts<{ interval: number }>(), io)));
}

function describeError(err: unknown): string {
  if (err instanceof ControlClientError) return `error: ${err.uri}${err.args.length ? ' ' + err.args.map(String).join(' ') : ''}`;
  if (err instanceof OcsClientError) return `error: ${err.message}`;
  return `error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
}

/**
 * Run the CLI with `argv` (as `process.argv`: node, script, args...). Returns the exit code;
 * never calls `process.exit`.
 */
export async function runClientCli(argv: readonly string[], cliIo: CliIo = {}): Promise<number> {
  const controller = new AbortController();
  const onSigint = (): void => {
    // listen/watch end cleanly on the abort; anything still blocked (a long wait) is ended
    // shortly after, as Ctrl-C would end Python's client.
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    if (cliIo.signal === undefined) setTimeout(() => process.exit(130), 1000).unref();
  };
  if (cliIo.signal === undefined) process.on('SIGINT', onSigint);
  else cliIo.signal.addEventListener('abort', onSigint, { once: true });
  const io: CommandIo = {
    out: cliIo.out ?? ((t) => process.stdout.write(`${t}\n`)),
    err: cliIo.err ?? ((t) => process.stderr.write(`${t}\n`)),
    signal: controller.signal,
  };
  // autobahn writes every connection close to console.warn; the CLI owns stderr.
  setAutobahnWarn(() => {});
  const result = { code: 0 };
  try {
    await buildProgram(io, result).parseAsync([...argv]);
    return result.code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    io.err(describeError(err));
    return err instanceof OcsClientError && err.code === OCS_ERROR_CODES.clientUsage ? 2 : 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
