/**
 * One persistent ssh2 connection for remote commands, plus the OpenSSH options that let rsync's
 * own `ssh` share one ControlMaster connection. Both check host keys against the same known_hosts
 * file (spec §A5.1 ran a new `ssh` per command and checked nothing).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import { SuprsyncHostKeyError, SuprsyncTimeoutError, SuprsyncToolError, SuprsyncUnreachableError } from './errors.js';
import { knownHostsName, lookupKnownHost, verifyHostKey } from './known-hosts.js';
import type { CommandRunner, ExecOptions, ExecResult } from './command-runner.js';
import type { WorkerProcess } from './md5-worker.js';

/** Where and how to connect. */
export interface SshTarget {
  /** `host` or `user@host` (`--ssh-host`). */
  sshHost: string;
  /** `--ssh-port`, default 22. */
  port?: number;
  /** `--ssh-key`: identity file; default: ssh-agent, then ~/.ssh/id_ed25519, id_ecdsa, id_rsa. */
  keyPath?: string;
  /** `--known-hosts`, default ~/.ssh/known_hosts. */
  knownHostsPath?: string;
  /** `--accept-new-host-keys`. */
  acceptNewHostKeys?: boolean;
  /** Connect timeout in ms, default 15000. */
  connectTimeoutMs?: number;
}

/** Splits `user@host` (user defaults to the current user, as ssh does). */
export function parseSshHost(sshHost: string): { user: string; host: string } {
  const at = sshHost.lastIndexOf('@');
  return at < 0 ? { user: userInfo().username, host: sshHost } : { user: sshHost.slice(0, at), host: sshHost.slice(at + 1) };
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

function authConfig(keyPath: string | undefined): Partial<ConnectConfig> {
  if (keyPath) return { privateKey: readFileSync(keyPath) };
  if (process.env['SSH_AUTH_SOCK']) return { agent: process.env['SSH_AUTH_SOCK'] };
  const found = DEFAULT_KEYS.map((k) => join(homedir(), '.ssh', k)).find((p) => existsSync(p));
  return found ? { privateKey: readFileSync(found) } : {};
}

/**
 * OpenSSH's default list with the AES-GCM ciphers moved first. With AES instructions in the CPU,
 * aes128-gcm costs a fraction of chacha20-poly1305 (OpenSSH's first choice): on the bench's
 * loopback, 1 GB went through rsync in ~2.0 s instead of ~2.9 s. The list still ends in every
 * default cipher, so any server that accepted the default list still connects.
 */
export const AES_FIRST_CIPHERS = 'aes128-gcm@openssh.com,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr';

let aesCache: boolean | undefined;
/** True if this CPU has AES instructions (x86 `aes` flag, arm64 `aes` feature in /proc/cpuinfo). */
export function hasAesInstructions(): boolean {
  if (aesCache === undefined) {
    try { aesCache = /^(flags|Features)\s*:.*\baes\b/m.test(readFileSync('/proc/cpuinfo', 'utf8')); } catch { aesCache = false; }
  }
  return aesCache;
}

/** After this long (ms) without a check the ControlMaster may have ended (ControlPersist=120 s). */
const MASTER_RECHECK_MS = 60_000;

/** A reconnecting ssh2 session running commands on the remote host. */
export class SshSession implements CommandRunner {
  readonly user: string;
  readonly host: string;
  readonly port: number;
  readonly knownHostsPath: string;
  private readonly controlDir = mkdtempSync(join(tmpdir(), 'suprsync-ssh-'));
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;
  private closed = false;
  /** When the ControlMaster was last known to be up (ms); see {@link warmMaster}. */
  private masterCheckedAt = 0;
  private warming: Promise<void> | undefined;

  constructor(private readonly target: SshTarget, private readonly log?: Logger) {
    ({ user: this.user, host: this.host } = parseSshHost(target.sshHost));
    this.port = target.port ?? 22;
    this.knownHostsPath = target.knownHostsPath ?? join(homedir(), '.ssh', 'known_hosts');
  }

  /** The ControlMaster socket path pattern (`%C` = hash of host, port, user). */
  get controlPath(): string { return join(this.controlDir, 'cm-%C'); }

  /** `user@host`, as rsync's destination prefix. */
  get destination(): string { return `${this.user}@${this.host}`; }

  /**
   * The `--rsh` command for rsync: OpenSSH multiplexed over one ControlMaster, batch mode, the
   * same known_hosts and host-key policy as the ssh2 session, no ~/.ssh/config (`-F none`).
   */
  rshCommand(): string {
    const q = (s: string): string => (/[\s"'\\]/.test(s) ? `'${s.replace(/'/g, `'\\''`)}'` : s);
    return ['ssh', ...this.sshOptions()].map(q).join(' ');
  }

  /** The options of {@link rshCommand}, unquoted. */
  private sshOptions(): string[] {
    const opts = [
      '-F', 'none', '-p', String(this.port), '-l', this.user,
      '-o', 'ControlMaster=auto', '-o', `ControlPath=${this.controlPath}`, '-o', 'ControlPersist=120',
      '-o', 'BatchMode=yes', '-o', `ConnectTimeout=${Math.ceil((this.target.connectTimeoutMs ?? 15000) / 1000)}`,
      '-o', 'ServerAliveInterval=15', '-o', 'ServerAliveCountMax=3',
      '-o', `UserKnownHostsFile=${this.knownHostsPath}`, '-o', 'GlobalKnownHostsFile=/dev/null',
      '-o', `StrictHostKeyChecking=${this.target.acceptNewHostKeys ? 'accept-new' : 'yes'}`, '-o', 'LogLevel=ERROR',
      ...(hasAesInstructions() ? ['-o', `Ciphers=${AES_FIRST_CIPHERS}`] : []),
    ];
    if (this.target.keyPath) opts.push('-i', this.target.keyPath, '-o', 'IdentitiesOnly=yes');
    return opts;
  }

  /**
   * Makes sure rsync's ControlMaster is up, starting it in the background (`ssh -f -N`) if not,
   * so its handshake (~0.3 s on the bench's loopback) overlaps the local work of a batch instead of
   * delaying rsync. Call it as early as a batch is known; await it before spawning rsync. Never
   * rejects: if the master cannot start, rsync's own ssh connects (and reports the error) as before.
   * Concurrent calls share one attempt, so only one master is ever started.
   */
  warmMaster(): Promise<void> {
    if (Date.now() - this.masterCheckedAt < MASTER_RECHECK_MS) return Promise.resolve();
    this.warming ??= this.startMaster().finally(() => { this.warming = undefined; });
    return this.warming;
  }

  /** Forget that the master was up (after rsync's ssh failed). */
  forgetMaster(): void { this.masterCheckedAt = 0; }

  private async startMaster(): Promise<void> {
    // stdio ignored: the backgrounded master must not hold pipes of ours open
    const run = (extra: string[]): Promise<number | null> => new Promise((resolve) => {
      const child = spawn('ssh', [...extra, ...this.sshOptions(), this.host], { stdio: 'ignore' });
      const timer = setTimeout(() => child.kill('SIGKILL'), (this.target.connectTimeoutMs ?? 15000) + 5000);
      child.once('error', () => { clearTimeout(timer); resolve(null); });
      child.once('exit', (code) => { clearTimeout(timer); resolve(code); });
    });
    if (this.closed) return;
    // -O check: is a master listening?  Else start one (ControlMaster=auto also replaces a stale
    // socket); -f returns once it is authenticated and listening. No rsync of ours starts meanwhile
    // (they await this), and no other process uses our ControlPath, so no second master can appear.
    const up = (await run(['-O', 'check'])) === 0 || (await run(['-f', '-N'])) === 0;
    if (up) this.masterCheckedAt = Date.now();
  }

  /**
   * Connects if not connected (host key verified first).
   * @throws SuprsyncHostKeyError, SuprsyncUnreachableError, SuprsyncTimeoutError.
   */
  async connect(timeoutMs?: number): Promise<Client> {
    if (this.client) return this.client;
    this.connecting ??= this.open(timeoutMs).finally(() => { this.connecting = undefined; });
    return this.connecting;
  }

  private async open(timeoutMs?: number): Promise<Client> {
    const name = knownHostsName(this.host, this.port);
    let auth: Partial<ConnectConfig>;
    try {
      auth = authConfig(this.target.keyPath);
    } catch (err) {
      throw new SuprsyncUnreachableError(`cannot read ssh key ${this.target.keyPath}: ${(err as Error).message}`, { cause: err });
    }
    const known = await lookupKnownHost(this.knownHostsPath, name);
    const types = [...new Set(known.filter((k) => !k.revoked).map((k) => k.type))];
    const readyTimeout = Math.max(1, Math.min(timeoutMs ?? Infinity, this.target.connectTimeoutMs ?? 15000));
    const client = new Client();
    let hostKeyError: Error | undefined;
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve());
      client.on('error', (err) => reject(hostKeyError ?? err)); // later errors: see the handler below
      // a server killed mid-handshake may close the socket without an 'error': never hang on it
      client.once('close', () => reject(hostKeyError ?? new Error('connection closed during the ssh handshake')));
      client.connect({
        host: this.host, port: this.port, username: this.user, readyTimeout,
        keepaliveInterval: 15000, keepaliveCountMax: 3,
        ...(types.length > 0 ? { algorithms: { serverHostKey: types as never } } : {}),
        ...auth,
        hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
          verifyHostKey(this.knownHostsPath, name, key, this.target.acceptNewHostKeys ?? false).then(
            (r) => { if (r === 'added') this.log?.warn({ host: name, file: this.knownHostsPath }, 'new host key added'); verify(true); },
            (err: Error) => { hostKeyError = err; verify(false); });
        },
      });
    }).catch((err: Error & { level?: string }) => {
      client.destroy();
      if (err instanceof SuprsyncHostKeyError || err instanceof SuprsyncToolError) throw err;
      if (/timed out/i.test(err.message)) throw new SuprsyncTimeoutError(`ssh connect to ${name} timed out`, { cause: err });
      throw new SuprsyncUnreachableError(`cannot reach ${this.destination} port ${this.port}: ${err.message}`, { cause: err });
    });
    const drop = (): void => { if (this.client === client) this.client = undefined; };
    client.on('close', drop);
    client.on('end', drop);
    client.on('error', (err) => { this.log?.warn({ err }, 'ssh connection error'); drop(); });
    this.client = client;
    this.log?.info({ host: name, user: this.user }, 'ssh connected');
    return client;
  }

  /** Runs `cmd` on the remote over the persistent connection (reconnecting if needed). */
  async exec(cmd: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const deadline = opts.timeoutMs === undefined ? undefined : Date.now() + opts.timeoutMs;
    const client = await this.connect(opts.timeoutMs);
    const channel = await new Promise<ClientChannel>((resolve, reject) => {
      client.exec(cmd, (err, ch) => (err ? reject(new SuprsyncUnreachableError(`ssh exec failed: ${err.message}`, { cause: err })) : resolve(ch)));
    });
    return collect(channel, cmd, opts.stdin, deadline === undefined ? undefined : Math.max(1, deadline - Date.now()));
  }

  /** Starts a long-lived remote `cmd` on its own channel of the persistent connection. */
  async startWorker(cmd: string): Promise<WorkerProcess> {
    const client = await this.connect();
    const ch = await new Promise<ClientChannel>((resolve, reject) => {
      client.exec(cmd, (err, c) => (err ? reject(new SuprsyncUnreachableError(`ssh exec failed: ${err.message}`, { cause: err })) : resolve(c)));
    });
    const closed = new Promise<void>((resolve) => { ch.once('close', () => resolve()); });
    return { stdin: ch, stdout: ch, stderr: ch.stderr, closed, kill: () => { ch.signal('KILL'); ch.close(); } };
  }

  /** Closes the ssh2 connection and the rsync ControlMaster. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client?.end();
    this.client = undefined;
    await new Promise<void>((resolve) => {
      execFile('ssh', ['-F', 'none', '-o', `ControlPath=${join(this.controlDir, 'cm-%C')}`, '-p', String(this.port),
        '-l', this.user, '-O', 'exit', this.host], () => resolve());
    });
    rmSync(this.controlDir, { recursive: true, force: true });
  }
}

function collect(ch: ClientChannel, cmd: string, stdin: Buffer | undefined, timeoutMs: number | undefined): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    let err = '';
    let code: number | null = null;
    let timedOut = false;
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      ch.signal('KILL');
      ch.close();
    }, timeoutMs);
    ch.on('data', (b: Buffer) => out.push(b));
    ch.stderr.on('data', (b: Buffer) => { if (err.length < 65536) err += b.toString(); });
    ch.on('exit', (c: number | null) => { code = c; });
    ch.on('close', () => {
      clearTimeout(timer);
      if (timedOut) reject(new SuprsyncTimeoutError(`remote command timed out after ${timeoutMs} ms: ${cmd}`));
      else resolve({ code, stdout: Buffer.concat(out), stderr: err });
    });
    ch.end(stdin ?? Buffer.alloc(0));
  });
}
