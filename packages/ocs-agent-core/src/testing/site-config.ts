/**
 * Writes OCS site config files (ocs-protocol.md 7.2) for tests.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** One `agent-instances` entry. */
export interface TestInstance {
  agentClass: string;
  instanceId: string;
  arguments?: unknown[];
}

/** Options of {@link writeSiteConfig}. */
export interface SiteConfigSpec {
  hubUrl: string;
  httpUrl?: string;
  realm?: string;
  addressRoot?: string;
  accessPolicy?: string;
  /** Host block name; default `localhost`. */
  hostName?: string;
  /** Host `crossbar_timeout` (underscore key, Q11). */
  crossbarTimeout?: number;
  logDir?: string;
  instances: TestInstance[];
  /** File name inside `dir`; default `default.yaml`. */
  fileName?: string;
}

/** Write `<dir>/<fileName>` and return its path. */
export function writeSiteConfig(dir: string, spec: SiteConfigSpec): string {
  const host: Record<string, unknown> = {
    'agent-instances': spec.instances.map((i) => ({ 'agent-class': i.agentClass, 'instance-id': i.instanceId, arguments: i.arguments ?? [] })),
  };
  if (spec.crossbarTimeout !== undefined) host.crossbar_timeout = spec.crossbarTimeout;
  if (spec.logDir !== undefined) host['log-dir'] = spec.logDir;
  const hub: Record<string, unknown> = {
    wamp_server: spec.hubUrl,
    wamp_http: spec.httpUrl ?? spec.hubUrl.replace(/^ws/, 'http').replace(/\/ws$/, '/call'),
    wamp_realm: spec.realm ?? 'test_realm',
    address_root: spec.addressRoot ?? 'observatory',
  };
  if (spec.accessPolicy !== undefined) hub.access_policy = spec.accessPolicy;
  const path = join(dir, spec.fileName ?? 'default.yaml');
  writeFileSync(path, stringify({ hub, hosts: { [spec.hostName ?? 'localhost']: host } }));
  return path;
}
