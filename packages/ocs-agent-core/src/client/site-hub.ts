/**
 * Hub settings for clients, read from the site config file (SCF, ocs-protocol.md §7.2) the way
 * Python's `site_config.get_control_client` does: `hub.*`, overridden by the matching host
 * block (`[--site-host or hostname, 'localhost']`, first match), overridden by explicit options.
 * A client, unlike an agent, needs no host or instance entry.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SiteConfigError } from './errors.js';

/** Default `address_root` when neither options nor site config give one (ocs-protocol.md §1.2). */
export const DEFAULT_ADDRESS_ROOT = 'observatory';

/** Where to find the hub; every field overrides the site config. */
export interface SiteOptions {
  /** Explicit SCF path (`--site-file`). */
  siteFile?: string;
  /** Site name → `$OCS_CONFIG_DIR/<site>.yaml` (`--site`, default `default`); `none` = no file. */
  site?: string;
  /** Host name used to pick the `hosts` block (`--site-host`, default `os.hostname()`). */
  siteHost?: string;
  /** WebSocket URL override (`--site-hub`), e.g. `ws://127.0.0.1:8001/ws`. */
  siteHub?: string;
  /** HTTP bridge URL override (`--site-http`), e.g. `http://127.0.0.1:8001/call`. */
  siteHttp?: string;
  /** Realm override (`--site-realm`). */
  realm?: string;
  /** Address root override (`--address-root`). */
  addressRoot?: string;
}

/** Resolved hub settings. URLs are undefined when neither options nor SCF define them. */
export interface HubSettings {
  /** `hub.wamp_server`. */
  wampServer?: string;
  /** `hub.wamp_http`. */
  wampHttp?: string;
  /** `hub.wamp_realm`. */
  wampRealm?: string;
  /** `hub.address_root`. */
  addressRoot: string;
  /** The SCF that was read, if any. */
  siteFile?: string;
}

type HubBlock = { wamp_server?: unknown; wamp_http?: unknown; wamp_realm?: unknown; address_root?: unknown };

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function locateSiteFile(opts: SiteOptions, env: NodeJS.ProcessEnv): string | undefined {
  if (opts.siteFile !== undefined) return opts.siteFile;
  const site = opts.site ?? 'default';
  if (site === 'none' || !env.OCS_CONFIG_DIR) return undefined;
  return path.join(env.OCS_CONFIG_DIR, `${site}.yaml`);
}

function readScf(file: string): { hub: HubBlock; hosts: Record<string, HubBlock> } {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SiteConfigError(`Cannot read site config ${file}: ${(err as Error).message}`, { cause: err });
  }
  const root = (doc ?? {}) as { hub?: unknown; hosts?: unknown };
  if (root.hub === null || typeof root.hub !== 'object') {
    throw new SiteConfigError(`Site config ${file} has no "hub" block.`);
  }
  const hosts = root.hosts !== null && typeof root.hosts === 'object' ? (root.hosts as Record<string, HubBlock>) : {};
  return { hub: root.hub as HubBlock, hosts };
}

/**
 * Resolve hub settings from options, the SCF and the environment (`OCS_CONFIG_DIR`).
 * Throws {@link SiteConfigError} if an SCF is named (or found via `OCS_CONFIG_DIR`) but unreadable.
 */
export function resolveHubSettings(opts: SiteOptions = {}, env: NodeJS.ProcessEnv = process.env): HubSettings {
  const file = locateSiteFile(opts, env);
  let fromFile: HubBlock = {};
  if (file !== undefined) {
    const scf = readScf(file);
    const hostNames = [opts.siteHost ?? os.hostname(), 'localhost'];
    const hostName = hostNames.find((h) => scf.hosts[h] !== undefined && scf.hosts[h] !== null);
    const host = hostName === undefined ? {} : (scf.hosts[hostName] ?? {});
    fromFile = {
      wamp_server: str(host.wamp_server) ?? str(scf.hub.wamp_server),
      wamp_http: str(host.wamp_http) ?? str(scf.hub.wamp_http),
      wamp_realm: str(host.wamp_realm) ?? str(scf.hub.wamp_realm),
      address_root: str(scf.hub.address_root),
    };
  }
  const settings: HubSettings = {
    addressRoot: opts.addressRoot ?? str(fromFile.address_root) ?? DEFAULT_ADDRESS_ROOT,
  };
  const wampServer = opts.siteHub ?? str(fromFile.wamp_server);
  const wampHttp = opts.siteHttp ?? str(fromFile.wamp_http);
  const wampRealm = opts.realm ?? str(fromFile.wamp_realm);
  if (wampServer !== undefined) settings.wampServer = wampServer;
  if (wampHttp !== undefined) settings.wampHttp = wampHttp;
  if (wampRealm !== undefined) settings.wampRealm = wampRealm;
  if (file !== undefined) settings.siteFile = file;
  return settings;
}
