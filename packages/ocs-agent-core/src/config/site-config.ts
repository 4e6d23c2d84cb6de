/**
 * The OCS site config file (SCF, ocs-protocol.md 7.2): hub settings, host blocks, agent instances.
 * Validated with zod; host and instance selection as `ocs/site_config.py`.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError, OCS_ERROR_CODES } from '../errors.js';

const instanceSchema = z.looseObject({
  'agent-class': z.string().optional(),
  'instance-id': z.string(),
  arguments: z.array(z.unknown()).optional(),
  manage: z.string().optional(),
});

const hostSchema = z.looseObject({
  'agent-instances': z.array(instanceSchema).default([]),
  wamp_server: z.string().optional(),
  wamp_http: z.string().optional(),
  wamp_realm: z.string().optional(),
  'log-dir': z.string().optional(),
  crossbar_timeout: z.number().optional(),
});

const siteSchema = z.looseObject({
  hub: z.looseObject({
    wamp_server: z.string(),
    wamp_http: z.string().optional(),
    wamp_realm: z.string(),
    address_root: z.string(),
    access_policy: z.string().optional(),
  }),
  hosts: z.record(z.string(), hostSchema.nullable()),
});

/** A parsed site config file. */
export type SiteConfig = z.output<typeof siteSchema>;
/** One host block. */
export type HostConfig = z.output<typeof hostSchema>;
/** One `agent-instances` entry. */
export type InstanceConfig = z.output<typeof instanceSchema>;

/** Read and validate a site config file; throws {@link ConfigError}. */
export function loadSiteConfig(path: string): SiteConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`Cannot read site config file ${path}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = siteSchema.safeParse(parseYaml(text));
  if (!parsed.success) {
    throw new ConfigError(`Invalid site config ${path}: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  }
  return parsed.data;
}

/** Host block for `[siteHost ?? hostname(), 'localhost']`, first match wins. */
export function selectHost(site: SiteConfig, siteHost: string | undefined): { name: string; host: HostConfig } {
  const names = [siteHost ?? hostname(), 'localhost'];
  for (const name of names) {
    const h = site.hosts[name];
    if (h !== undefined) return { name, host: h ?? { 'agent-instances': [] } };
  }
  throw new ConfigError(`Site config has no host entry for ${names.join(' or ')}.`, { code: OCS_ERROR_CODES.siteNoMatch });
}

/**
 * The instance entry: by `--instance-id`, else the unique entry with this `agent-class`.
 * Throws "Could not find matching device description." as Python.
 */
export function selectInstance(host: HostConfig, instanceId: string | undefined, agentClass: string): InstanceConfig {
  const list = host['agent-instances'];
  if (instanceId !== undefined) {
    const hit = list.find((e) => e['instance-id'] === instanceId);
    if (hit) return hit;
  } else {
    const hits = list.filter((e) => e['agent-class'] === agentClass);
    if (hits.length > 1) {
      throw new ConfigError(`Multiple matching device descriptions for agent-class ${agentClass}; use --instance-id.`, {
        code: OCS_ERROR_CODES.siteNoMatch,
      });
    }
    if (hits[0]) return hits[0];
  }
  throw new ConfigError('Could not find matching device description.', { code: OCS_ERROR_CODES.siteNoMatch });
}
