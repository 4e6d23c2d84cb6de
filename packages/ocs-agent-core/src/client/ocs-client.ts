/**
 * OCSClient: the TypeScript equivalent of Python `ocs.ocs_client.OCSClient`
 * (ocs-protocol.md §2.1, §2.2, §3.1, §5.4).
 *
 * ```ts
 * await using client = await OCSClient.connect('fake-data1', { siteFile: 'site.yaml' });
 * const reply = await client.ops.delay_task!.call({ delay: 1 });   // start, then wait
 * ```
 */
import { HttpControlTransport, type ControlTransport, type TransportKind } from './control-transport.js';
import { ClientUsageError, SiteConfigError } from './errors.js';
import { MatchedProcess, MatchedTask, opNameToKey, type MatchedOp, type OpRequest } from './matched-op.js';
import { resolvePassword, type Privs } from './passwords.js';
import { parseAgentApi, parseOpsReply, type AgentApi, type OCSReply } from './reply.js';
import { resolveHubSettings, type HubSettings, type SiteOptions } from './site-hub.js';
import type { WampClientSession } from './wamp-session.js';
import { WampControlTransport } from './wamp-transport.js';

/** Compile-time description of an agent's ops: op key → kind. Purely for typing `client.ops`. */
export type OpKinds = Record<string, 'task' | 'process'>;

/** `client.ops` typed from {@link OpKinds}. */
export type MatchedOps<K extends OpKinds> = {
  readonly [N in keyof K]: K[N] extends 'task' ? MatchedTask : MatchedProcess;
};

/** Options of {@link OCSClient.connect}. Hub fields override the site config. */
export interface OCSClientOptions extends SiteOptions {
  /** `'http'` (default, as Python OCSClient) uses the caller bridge; `'wamp'` a WebSocket session. */
  transport?: TransportKind;
  /** A password, or a credential level (1–3) looked up in the passwords file (§5.4). */
  privs?: Privs;
  /** Reuse an open WAMP session (transport `'wamp'` only); the client will not close it. */
  session?: WampClientSession;
  /** Environment used for `OCS_CONFIG_DIR` and `OCS_PASSWORDS_FILE` (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Receives warnings, e.g. a dropped password (default `process.emitWarning`). */
  onWarning?: (message: string) => void;
}

async function openTransport(hub: HubSettings, opts: OCSClientOptions): Promise<ControlTransport> {
  if ((opts.transport ?? 'http') === 'http') {
    if (hub.wampHttp === undefined) {
      throw new SiteConfigError('No HTTP bridge URL: pass siteHttp (--site-http) or set hub.wamp_http in the site config.');
    }
    return new HttpControlTransport(hub.wampHttp);
  }
  if (opts.session !== undefined) return new WampControlTransport(opts.session, false);
  if (hub.wampServer === undefined || hub.wampRealm === undefined) {
    throw new SiteConfigError('No WAMP URL/realm: pass siteHub and realm (--site-hub, --site-realm) or set hub.wamp_server and hub.wamp_realm.');
  }
  return WampControlTransport.connect(hub.wampServer, hub.wampRealm);
}

/** A client for one agent instance. Create with {@link OCSClient.connect}. */
export class OCSClient<K extends OpKinds = OpKinds> {
  /** The agent's instance-id. */
  readonly instanceId: string;
  /** The agent address `<address_root>.<instance_id>` (its management procedure). */
  readonly address: string;
  /** The `get_api` result read at connect time. */
  readonly api: AgentApi;
  /** One object per task/process, keyed by op name with `-`/space replaced by `_`. */
  readonly ops: MatchedOps<K>;
  /** The transport in use. */
  readonly transport: ControlTransport;
  readonly #password: string;

  private constructor(instanceId: string, address: string, api: AgentApi, transport: ControlTransport, password: string) {
    this.instanceId = instanceId;
    this.address = address;
    this.api = api;
    this.transport = transport;
    this.#password = password;
    const ops: Record<string, MatchedOp> = {};
    const request = (r: OpRequest): Promise<OCSReply> => this.request(r);
    for (const [name, , info] of api.tasks) ops[opNameToKey(name)] = new MatchedTask(name, info, request);
    for (const [name, , info] of api.processes) ops[opNameToKey(name)] = new MatchedProcess(name, info, request);
    this.ops = ops as MatchedOps<K>;
  }

  /**
   * Resolve the hub, call `get_api` once and build the per-op objects.
   * Throws {@link SiteConfigError} (no URL), {@link ControlClientError} (call failed, e.g.
   * `wamp.error.no_such_procedure` for an absent agent), {@link ReplyShapeError} (bad get_api),
   * {@link PasswordFileError} (privs 2/3 without a usable passwords file).
   */
  static async connect<K extends OpKinds = OpKinds>(instanceId: string, options: OCSClientOptions = {}): Promise<OCSClient<K>> {
    const hub = resolveHubSettings(options, options.env);
    const transport = await openTransport(hub, options);
    try {
      const address = `${hub.addressRoot}.${instanceId}`;
      const api = parseAgentApi(await transport.call(address, ['get_api'], {}));
      let password = resolvePassword(options.privs, api.agent_class, instanceId, options.env);
      if (password !== '' && (api.access_control === undefined || api.access_control === null)) {
        const warn = options.onWarning ?? ((m: string) => process.emitWarning(m, { code: 'OCS_CLIENT_PASSWORD_DROPPED' }));
        warn(`Agent ${address} does not advertise access_control; the password will not be sent.`);
        password = '';
      }
      return new OCSClient<K>(instanceId, address, api, transport, password);
    } catch (err) {
      await transport.close();
      throw err;
    }
  }

  /** The task called `name` (raw name or ops key). Throws {@link ClientUsageError} otherwise. */
  task(name: string): MatchedTask {
    const op = (this.ops as Record<string, MatchedOp | undefined>)[opNameToKey(name)];
    if (op?.kind !== 'task') throw new ClientUsageError(`Agent ${this.address} has no task "${name}".`);
    return op;
  }

  /** The process called `name` (raw name or ops key). Throws {@link ClientUsageError} otherwise. */
  process(name: string): MatchedProcess {
    const op = (this.ops as Record<string, MatchedOp | undefined>)[opNameToKey(name)];
    if (op?.kind !== 'process') throw new ClientUsageError(`Agent ${this.address} has no process "${name}".`);
    return op;
  }

  /**
   * Send one raw ops request to `<address>.ops`, shaped per transport (ocs-protocol.md §2.2):
   * HTTP `args=[action, op_name, params]`, `kwargs={timeout}` for wait, plus `password`;
   * WAMP `args=[action, op_name]`, `kwargs={params, timeout}`, plus `password`.
   */
  async request(req: OpRequest): Promise<OCSReply> {
    const { args, kwargs } = this.#shape(req);
    return parseOpsReply(await this.transport.call(`${this.address}.ops`, args, kwargs));
  }

  #shape(req: OpRequest): { args: unknown[]; kwargs: Record<string, unknown> } {
    const params = req.action === 'start' ? (req.params ?? {}) : undefined;
    const kwargs: Record<string, unknown> = {};
    let args: unknown[];
    if (this.transport.kind === 'http') {
      args = [req.action, req.opName, params ?? {}];
      if (req.action === 'wait') kwargs.timeout = req.timeout ?? null;
    } else {
      args = [req.action, req.opName];
      kwargs.params = params ?? null;
      kwargs.timeout = req.action === 'wait' ? (req.timeout ?? null) : null;
    }
    if (this.#password !== '') kwargs.password = this.#password;
    return { args, kwargs };
  }

  /** Call the management procedure with `q` (`get_api`, `get_tasks`, ...; ocs-protocol.md §2.1). */
  management(q: string): Promise<unknown> {
    return this.transport.call(this.address, [q], {});
  }

  /**
   * Call a special procedure `<address>.<subaddr>` with kwargs, as Python
   * `ControlClient.special` (e.g. the Access Director's `request_exclusive`, ocs-protocol.md §1.2).
   */
  special(subaddr: string, kwargs: Readonly<Record<string, unknown>> = {}): Promise<unknown> {
    return this.transport.call(`${this.address}.${subaddr}`, [], kwargs);
  }

  /** Release the transport (closes an owned WAMP session). Idempotent. */
  close(): Promise<void> {
    return this.transport.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Python's repr: `OCSClient('<instance-id>')`. */
  toString(): string {
    return `OCSClient('${this.instanceId}')`;
  }
}
