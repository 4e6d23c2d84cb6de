/**
 * Command line + environment + site config -> parsed agent args (ocs-protocol.md 7.1-7.4),
 * with commander for the final parse (unknown flags -> exit 2 as argparse) and zod validation.
 */
import { Command, CommanderError, Option } from 'commander';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { flattenScfArguments, mergeArgs } from './arg-container.js';
import { COMMON_FLAGS, type CommonArgs } from './common-args.js';
import { loadSiteConfig, selectHost, selectInstance, type HostConfig, type SiteConfig } from './site-config.js';

/** Inputs of {@link parseAgentArgs}. */
export interface ParseArgsInput {
  agentClass: string;
  summary?: string;
  args: Record<string, z.ZodType>;
  /** Removed/renamed flags (without dashes) -> hint shown when used. */
  removedArgs?: Record<string, string>;
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
}

/** Result: all args (camelCase) plus the SCF pieces that were used. */
export interface ParsedAgentArgs {
  args: CommonArgs & Record<string, unknown>;
  site: SiteConfig | undefined;
  host: HostConfig | undefined;
}

const ENV_FLAGS: [string, string][] = [
  ['INSTANCE_ID', '--instance-id'],
  ['SITE_HUB', '--site-hub'],
  ['SITE_HTTP', '--site-http'],
  ['SITE_HOST', '--site-host'],
  ['CROSSBAR_TIMEOUT', '--crossbar-timeout'],
];

function hasFlag(tokens: readonly string[], flag: string): boolean {
  return tokens.some((t) => t === flag || t.startsWith(`${flag}=`));
}

/** Last value of `--flag v` / `--flag=v` in the CLI tokens (the pre-parser of 7.3 step 1). */
function preParse(tokens: readonly string[], flag: string): string | undefined {
  let out: string | undefined;
  tokens.forEach((t, i) => {
    if (t === `--${flag}`) out = tokens[i + 1];
    else if (t.startsWith(`--${flag}=`)) out = t.slice(flag.length + 3);
  });
  return out;
}

/** kebab-case -> camelCase (`num-channels` -> `numChannels`). */
export function camelCase(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

interface ZodIntro {
  base: string;
  isInt: boolean;
  element: ZodIntro | undefined;
  choices: unknown[] | undefined;
  /** The `.default()` value, if any (shown in `--help`). */
  defaultValue?: unknown;
}
function introspect(schema: z.ZodType): ZodIntro {
  let s = schema as unknown as { _zod: { def: Record<string, unknown> }; isInt?: boolean };
  let defaultValue: unknown;
  for (;;) {
    const d = s._zod.def;
    if (d.type === 'default' && defaultValue === undefined) defaultValue = d.defaultValue;
    if (['default', 'optional', 'nullable', 'prefault', 'readonly'].includes(d.type as string) && d.innerType) {
      s = d.innerType as typeof s;
      continue;
    }
    if (d.type === 'pipe' && d.in) {
      s = d.in as typeof s;
      continue;
    }
    break;
  }
  const d = s._zod.def;
  return {
    base: d.type as string,
    isInt: s.isInt === true || d.format === 'safeint',
    element: d.type === 'array' && d.element ? introspect(d.element as z.ZodType) : undefined,
    choices: d.type === 'enum' ? Object.values(d.entries as Record<string, unknown>) : undefined,
    defaultValue,
  };
}

/** Help text of an agent flag: its `.describe()` text, then choices and default as argparse shows them. */
function flagHelp(schema: z.ZodType, intro: ZodIntro): string {
  const parts = [schema.description ?? ''];
  if (intro.choices) parts.push(`(choices: ${intro.choices.map((c) => JSON.stringify(c)).join(', ')})`);
  if (intro.defaultValue !== undefined && intro.base !== 'boolean') parts.push(`(default: ${JSON.stringify(intro.defaultValue)})`);
  return parts.filter((p) => p !== '').join(' ');
}

function convertValue(flag: string, intro: ZodIntro, raw: string): unknown {
  if (intro.base === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || Number.isNaN(n) || (intro.isInt && !Number.isInteger(n))) {
      throw usage(`argument --${flag}: invalid ${intro.isInt ? 'int' : 'float'} value: '${raw}'`);
    }
    return n;
  }
  if (intro.choices && !intro.choices.includes(raw)) {
    throw usage(`argument --${flag}: invalid choice: '${raw}' (choose from ${intro.choices.map((c) => `'${String(c)}'`).join(', ')})`);
  }
  return raw;
}

function usage(message: string): ConfigError {
  return new ConfigError(message, { exitCode: 2 });
}

function buildCommand(input: ParseArgsInput): Command {
  const cmd = new Command(input.agentClass).description(input.summary ?? '').exitOverride();
  cmd.configureOutput({ writeErr: () => undefined, writeOut: (s) => process.stdout.write(s) });
  cmd.allowExcessArguments(false);
  for (const { flag, help } of COMMON_FLAGS) cmd.addOption(new Option(`--${flag} <value>`, help));
  for (const [flag, schema] of Object.entries(input.args)) {
    const intro = introspect(schema);
    const spec = intro.base === 'boolean' ? `--${flag}` : intro.base === 'array' ? `--${flag} <values...>` : `--${flag} <value>`;
    cmd.addOption(new Option(spec, flagHelp(schema, intro)));
  }
  for (const flag of Object.keys(input.removedArgs ?? {})) cmd.addOption(new Option(`--${flag} [value]`).hideHelp());
  return cmd;
}

function parseCommand(input: ParseArgsInput, tokens: string[]): Record<string, unknown> {
  const cmd = buildCommand(input);
  try {
    cmd.parse(tokens, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help') throw new ConfigError('', { exitCode: 0 });
      throw usage(err.message.replace(/^error: /, ''));
    }
    throw err;
  }
  const opts = cmd.opts();
  for (const [flag, hint] of Object.entries(input.removedArgs ?? {})) {
    if (opts[camelCase(flag)] !== undefined) throw usage(`argument --${flag} is no longer supported: ${hint}`);
  }
  return opts;
}

function agentValues(input: ParseArgsInput, opts: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [flag, schema] of Object.entries(input.args)) {
    const key = camelCase(flag);
    const intro = introspect(schema);
    let v = opts[key];
    if (typeof v === 'string') v = convertValue(flag, intro, v);
    else if (Array.isArray(v) && intro.element) v = v.map((x: string) => convertValue(flag, intro.element as ZodIntro, x));
    const r = schema.safeParse(v);
    if (!r.success) throw usage(`argument --${flag}: ${r.error.issues.map((i) => i.message).join('; ')}`);
    out[key] = r.data;
  }
  return out;
}

function siteFilePath(cli: string[], env: ParseArgsInput['env']): string | undefined {
  const site = preParse(cli, 'site');
  const siteFile = preParse(cli, 'site-file');
  if (site !== undefined && siteFile !== undefined) throw usage('Only one of --site and --site-file may be specified.');
  if (siteFile !== undefined) return siteFile;
  if (site === 'none') return undefined;
  const dir = env.OCS_CONFIG_DIR;
  if (dir === undefined) {
    if (preParse(cli, 'site-hub') !== undefined && preParse(cli, 'instance-id') !== undefined) return undefined;
    throw new ConfigError('No site config: pass --site-file, set OCS_CONFIG_DIR, or use --site none with --site-hub and --instance-id.');
  }
  return join(dir, `${site ?? 'default'}.yaml`);
}

/**
 * Parse argv + env + site config for an agent. Throws {@link ConfigError} (`exitCode` 2 for usage
 * errors such as unknown flags, 0 after `--help`). `--help`/`-h` anywhere prints the usage (common
 * site arguments, then the agent's flags with descriptions, choices and defaults) to stdout before
 * any site config, environment or other flag is looked at.
 */
export function parseAgentArgs(input: ParseArgsInput): ParsedAgentArgs {
  if (input.argv.includes('--help') || input.argv.includes('-h')) parseCommand(input, ['--help']);
  const cli = [...input.argv];
  for (const [envName, flag] of ENV_FLAGS) {
    const v = input.env[envName];
    if (v !== undefined && v !== '' && !hasFlag(cli, flag)) cli.push(flag, v);
  }
  const path = siteFilePath(cli, input.env);
  let site: SiteConfig | undefined;
  let host: HostConfig | undefined;
  let scfArgs: string[] = [];
  if (path !== undefined) {
    site = loadSiteConfig(path);
    host = selectHost(site, preParse(cli, 'site-host')).host;
    const cliInstance = preParse(cli, 'instance-id');
    const inst = selectInstance(host, cliInstance, input.agentClass);
    scfArgs = flattenScfArguments(inst.arguments);
    if (cliInstance === undefined) scfArgs.push('--instance-id', inst['instance-id']);
  }
  const opts = parseCommand(input, mergeArgs(scfArgs, cli));
  const common = commonValues(opts, site, host, path, input.agentClass);
  return { args: { ...agentValues(input, opts), ...common }, site, host };
}

function commonValues(opts: Record<string, unknown>, site: SiteConfig | undefined, host: HostConfig | undefined, path: string | undefined, agentClass: string): CommonArgs {
  const s = (k: string): string | undefined => (typeof opts[k] === 'string' ? (opts[k] as string) : undefined);
  const instanceId = s('instanceId');
  if (instanceId === undefined) throw new ConfigError('--instance-id (or $INSTANCE_ID) not provided. Exiting.');
  const siteHub = s('siteHub') ?? host?.wamp_server ?? site?.hub.wamp_server;
  if (siteHub === undefined) throw new ConfigError('No WAMP server: set hub.wamp_server or --site-hub.');
  const timeoutText = s('crossbarTimeout');
  const crossbarTimeout = timeoutText !== undefined ? Number(timeoutText) : (host?.crossbar_timeout ?? 10);
  if (!Number.isInteger(crossbarTimeout)) throw usage(`argument --crossbar-timeout: invalid int value: '${timeoutText ?? ''}'`);
  const workingDir = s('workingDir');
  let logDir = s('logDir') ?? host?.['log-dir'];
  if (logDir !== undefined && !logDir.startsWith('/') && workingDir !== undefined) logDir = resolve(workingDir, logDir);
  return {
    site: s('site'),
    siteFile: path,
    siteHost: s('siteHost'),
    siteHub,
    siteHttp: s('siteHttp') ?? host?.wamp_http ?? site?.hub.wamp_http,
    siteRealm: s('siteRealm') ?? host?.wamp_realm ?? site?.hub.wamp_realm ?? 'test_realm',
    instanceId,
    addressRoot: s('addressRoot') ?? site?.hub.address_root ?? 'observatory',
    registryAddress: s('registryAddress'),
    logDir,
    workingDir,
    crossbarTimeout,
    accessPolicy: s('accessPolicy') ?? site?.hub.access_policy ?? 'none',
    agentClass,
  };
}
