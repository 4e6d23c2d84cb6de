/**
 * A throw-away OpenSSH server on 127.0.0.1 for tests: host and user keys generated with
 * ssh-keygen in a temp dir, `sshd -D -e -f <config>` (no daemonizing), a random free port.
 * Fails loudly when sshd, ssh-keygen or rsync are missing.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

const SSHD = '/usr/sbin/sshd';

/** A running test sshd. */
export interface TestSshd {
  port: number;
  /** `user@127.0.0.1`. */
  sshHost: string;
  /** Private key accepted by the server. */
  keyPath: string;
  /** A known_hosts file that already lists the server's host key. */
  knownHostsPath: string;
  /** A known_hosts path that does not exist yet. */
  emptyKnownHostsPath: string;
  dir: string;
  /** Stops the listener and every session process it forked (by pid). */
  stop(): Promise<void>;
  /** Starts the listener again on the same port. */
  start(): Promise<void>;
  /** SIGSTOP / SIGCONT the listener (a hanging remote). */
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

/** Throws a clear error if a required tool is missing. */
export function requireTools(): void {
  for (const t of [SSHD, '/usr/bin/ssh', '/usr/bin/ssh-keygen', '/usr/bin/rsync']) {
    if (!existsSync(t)) throw new Error(`required tool missing: ${t} (apt-get install openssh-server openssh-client rsync)`);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitListening(port: number, proc: ChildProcess, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`sshd exited with ${proc.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('data', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
      setTimeout(() => { s.destroy(); resolve(false); }, 500);
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('sshd did not start listening');
}

/**
 * sshd processes forked by the listener (one or two per connection). Only sshd processes: the
 * users' shells are left to exit on EOF, so their rc files (e.g. a `pyenv rehash` lock) are never
 * interrupted half-way.
 */
function sshdDescendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (!stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).startsWith('sshd')) continue;
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(d));
      children.set(ppid, list);
    } catch { /* process exited while scanning */ }
  }
  const out: number[] = [];
  const walk = (p: number): void => { for (const c of children.get(p) ?? []) { out.push(c); walk(c); } };
  walk(pid);
  return out;
}

/** Starts a test sshd. Register `close()` right away. */
export async function startSshd(): Promise<TestSshd> {
  requireTools();
  if (!existsSync('/run/sshd')) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(join(tmpdir(), 'suprsync-sshd-'));
  const kg = (f: string): void => { execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, f)]); };
  kg('host_key'); kg('user_key');
  mkdirSync(join(dir, 'home'));
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'user_key.pub')));
  const port = await freePort();
  writeFileSync(join(dir, 'sshd_config'), [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${join(dir, 'host_key')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`, 'StrictModes no', 'PasswordAuthentication no',
    'KbdInteractiveAuthentication no', 'UsePAM no', 'PermitRootLogin prohibit-password', `PidFile none`,
    'MaxStartups 100', 'MaxSessions 100', 'LogLevel ERROR', 'Subsystem sftp internal-sftp',
    // sessions get a clean HOME: the test user's shell rc files (on this machine root's .bashrc
    // runs `pyenv init`, ~90 ms and a rehash lock per session) are not part of what we test
    `SetEnv HOME=${join(dir, 'home')}`, '',
  ].join('\n'));
  const hostPub = readFileSync(join(dir, 'host_key.pub'), 'utf8').trim().split(/\s+/);
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostPub[0]} ${hostPub[1]}\n`);
  let proc: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    if (proc && proc.exitCode === null && proc.signalCode === null) return;
    proc = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr!.on('data', () => { /* drained; sshd logs to stderr with -e */ });
    await waitListening(port, proc);
  };
  const stop = async (): Promise<void> => {
    if (!proc || proc.exitCode !== null) return;
    const p = proc;
    for (const pid of [...sshdDescendants(p.pid!), p.pid!]) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    if (p.exitCode === null && p.signalCode === null) await new Promise((r) => p.once('exit', r));
  };
  await start();
  return {
    port, sshHost: `${userInfo().username}@127.0.0.1`, keyPath: join(dir, 'user_key'),
    knownHostsPath: join(dir, 'known_hosts'), emptyKnownHostsPath: join(dir, 'kh-new', 'known_hosts'), dir,
    stop, start,
    pause: () => { if (proc?.pid) process.kill(proc.pid, 'SIGSTOP'); },
    resume: () => { if (proc?.pid) process.kill(proc.pid, 'SIGCONT'); },
    close: async () => { if (proc?.pid) { try { process.kill(proc.pid, 'SIGCONT'); } catch { /* gone */ } } await stop(); rmSync(dir, { recursive: true, force: true }); },
  };
}
