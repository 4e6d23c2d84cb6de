/**
 * The `ocs-router` command line: options as crossbar's OCS docker image takes them
 * (`OCS_PORT`, `OCS_REALM`, `OCS_ADDRESS_ROOT`; ocs-protocol.md 3.3), pino JSON logs to stdout,
 * clean close on SIGINT/SIGTERM.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { pino } from 'pino';
import { RouterError } from './errors.js';
import { startRouter } from './router.js';

function intArg(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
    return n;
  };
}

function collect(v: string, prev: string[] | undefined): string[] {
  return [...(prev ?? []), v];
}

/** Builds the commander program (exported for tests and docs). */
export function buildProgram(): Command {
  return new Command('ocs-router')
    .description('Small crossbar-compatible WAMP router with the HTTP caller bridge, for tests and local OCS sites. Real sites: use crossbar.')
    .addOption(new Option('--port <port>', 'TCP port (0 = ephemeral)').env('OCS_PORT').default(8001).argParser(intArg('--port')))
    .addOption(new Option('--host <host>', 'interface to listen on (0.0.0.0 for all)').env('OCS_HOST').default('127.0.0.1'))
    .addOption(new Option('--realm <realm>', 'realm to serve, repeatable; the first also serves the HTTP bridge (default: test_realm)').env('OCS_REALM').argParser(collect))
    .addOption(new Option('--address-root <root>', 'URI prefix sessions may use').env('OCS_ADDRESS_ROOT').default('observatory'))
    .addOption(new Option('--allow-all', 'allow every URI (no address-root check)').default(false))
    .addOption(new Option('--ping-interval <ms>', 'WebSocket ping interval in ms, 0 = off').default(10_000).argParser(intArg('--ping-interval')))
    .addOption(new Option('--ping-timeout <ms>', 'pong deadline in ms').default(5_000).argParser(intArg('--ping-timeout')))
    .addOption(new Option('--max-message-size <bytes>', 'largest WebSocket message / HTTP body').default(16 * 1024 * 1024).argParser(intArg('--max-message-size')))
    .addOption(new Option('--log-level <level>', 'pino log level').env('LOGLEVEL').default('info'));
}

interface CliOptions {
  port: number;
  host: string;
  realm?: string[] | string;
  addressRoot: string;
  allowAll: boolean;
  pingInterval: number;
  pingTimeout: number;
  maxMessageSize: number;
  logLevel: string;
}

/**
 * Runs the CLI until SIGINT/SIGTERM. Resolves after a clean close; exits the process with code 1
 * if the router cannot start.
 */
export async function runCli(argv: readonly string[] = process.argv): Promise<void> {
  const opts = buildProgram().parse([...argv]).opts<CliOptions>();
  const log = pino({ name: 'ocs-router', level: opts.logLevel });
  // An env value arrives as a plain string, repeated flags as a list.
  const realms = opts.realm === undefined ? ['test_realm'] : Array.isArray(opts.realm) ? opts.realm : [opts.realm];
  let router;
  try {
    router = await startRouter({
      port: opts.port,
      host: opts.host,
      realms,
      addressRoot: opts.addressRoot,
      allowAll: opts.allowAll,
      pingIntervalMs: opts.pingInterval,
      pingTimeoutMs: opts.pingTimeout,
      maxMessageBytes: opts.maxMessageSize,
      logger: log,
    });
  } catch (err) {
    log.fatal({ err }, err instanceof RouterError ? 'invalid router options' : 'router failed to start');
    process.exitCode = 1;
    return;
  }
  log.info({ url: router.url, httpUrl: router.httpUrl, realms, addressRoot: opts.addressRoot }, 'ocs-router ready');
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      log.info({ signal }, 'signal received, closing');
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await router.close();
}
