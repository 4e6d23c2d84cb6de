/**
 * Hub settings for clients, read from the site config file (SCF, ocs-protocol.md §7.2) the way
 * Python's `site_config.get_control_client` does: `hub.*`, overridden by the matching host
 * block (`[--site-host or hostname, 'localhost']`, first match), overridden by explicit options.
 * A client, unlike an agent, needs no host or instance entry. Parsing and validation are
 * core's `loadSiteConfig` (src/config/site-config.ts).
 */
import path from 'node:path';
import { loadSiteConfig, selectHost, type SiteConfig } from '../config/site-config.js';
import { ConfigError } from '../errors.js';
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

type HubBlock = { wamp_server?: string | undefined; wamp_http?: string | undefined; wamp_realm?: string | undefined };

function str(v: string | undefined): string | undefined {
  return v !== undefined && v.length > 0 ? v : undefined;
}

function locateSiteFile(opts: SiteOptions, env: NodeJS.ProcessEnv): string | undefined {
  if (opts.siteFile !== undefined) return opts.siteFile;
  const site = opts.site ?? 'default';
  if (site === 'none' || !env.OCS_CONFIG_DIR) return undefined;
  return path.join(env.OCS_CONFIG_DIR, `${site}.yaml`);
}

/** Read the SCF with core's loader; a client needs no host entry, so a missing one is fine. */
function readScf(file: string, siteHost: string | undefined): { hub: SiteConfig['hub']; host: HubBlock } {
  let scf: SiteConfig;
  try {
    scf = loadSiteConfig(file);
  } catch (err) {
    throw new SiteConfigError(err instanceof Error ? err.message : String(err), { cause: err });
  }
  try {
    return { hub: scf.hub, host: selectHost(scf, siteHost).host };
  } catch (err) {
    if (err instanceof ConfigError) return { hub: scf.hub, host: {} };
    throw err;
  }
}

/**
 * Resolve hub settings from options, the SCF and the environment (`OCS_CONFIG_DIR`).
 * Throws {@link SiteConfigError} if an SCF is named (or found via `OCS_CONFIG_DIR`) but unreadable.
 */
export function resolveHubSettings(opts: SiteOptions = {}, env: NodeJS.ProcessEnv = process.env): HubSettings {
  const file = locateSiteFile(opts, env);
  let fromFile: HubBlock & { address_root?: string } = {};
  if (file !== undefined) {
    const { hub, host } = readScf(file, opts.siteHost);
    fromFile = {
      wamp_server: str(host.wamp_server) ?? str(hub.wamp_server),
      wamp_http: str(host.wamp_http) ?? str(hub.wamp_http),
      wamp_realm: str(host.wamp_realm) ?? str(hub.wamp_realm),
      address_root: str(hub.address_root),
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
