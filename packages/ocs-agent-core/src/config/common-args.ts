/**
 * The common arguments every OCS agent accepts (ocs-protocol.md 7.1), as parsed values after the
 * site config filled the gaps (`add_site_attributes`).
 */

/** Common site arguments (camelCase of the Python flag names). */
export interface CommonArgs {
  /** `--site`: site name (`$OCS_CONFIG_DIR/<site>.yaml`), `none` = no site file. */
  site: string | undefined;
  /** `--site-file`: the site config path actually used (undefined with `--site none`). */
  siteFile: string | undefined;
  /** `--site-host`: host name used to pick the `hosts` entry. */
  siteHost: string | undefined;
  /** `--site-hub`: WAMP WebSocket URL (`hub.wamp_server`). */
  siteHub: string;
  /** `--site-http`: HTTP bridge URL (`hub.wamp_http`). */
  siteHttp: string | undefined;
  /** `--site-realm`: WAMP realm. */
  siteRealm: string;
  /** `--instance-id`. */
  instanceId: string;
  /** `--address-root`, default `observatory`. */
  addressRoot: string;
  /** `--registry-address` (deprecated, ignored). */
  registryAddress: string | undefined;
  /** `--log-dir` (absolute, or relative to `--working-dir`). */
  logDir: string | undefined;
  /** `--working-dir`. */
  workingDir: string | undefined;
  /** `--crossbar-timeout` in seconds; 0 = wait forever (6.6). */
  crossbarTimeout: number;
  /** `--access-policy`: `none`, `override:<pw2>,<pw3>` or `director:<id>`. */
  accessPolicy: string;
  /** The agent class (from the definition). */
  agentClass: string;
}

/** Common flags: Python flag -> takes a value. Order as `site_config.add_arguments`. */
export const COMMON_FLAGS: readonly { flag: string; help: string }[] = [
  { flag: 'site', help: 'Site name; loads $OCS_CONFIG_DIR/<site>.yaml ("none" = no site file; default "default").' },
  { flag: 'site-file', help: 'Path to the site config file (instead of --site).' },
  { flag: 'site-host', help: 'Pretend to be this host when matching site config hosts.' },
  { flag: 'site-hub', help: 'Override the WAMP server URL (hub.wamp_server).' },
  { flag: 'site-http', help: 'Override the HTTP bridge URL (hub.wamp_http).' },
  { flag: 'site-realm', help: 'Override the WAMP realm (hub.wamp_realm; default "test_realm").' },
  { flag: 'instance-id', help: 'Agent instance id (site config entry and address suffix).' },
  { flag: 'address-root', help: 'Override the address root (hub.address_root; default "observatory").' },
  { flag: 'registry-address', help: 'Deprecated, ignored.' },
  { flag: 'log-dir', help: 'Log directory; appends to <log-dir>/<address>.log.' },
  { flag: 'working-dir', help: 'Base for relative paths.' },
  { flag: 'crossbar-timeout', help: 'Seconds to wait for a rejoin before shutting down, 0 = forever (host crossbar_timeout; default 10).' },
  { flag: 'access-policy', help: 'none, override:<pw2>,<pw3> or director:<id> (hub.access_policy; default "none").' },
];
