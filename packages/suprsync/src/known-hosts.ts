/**
 * Host-key check against an OpenSSH known_hosts file, using `ssh-keygen -F` for the lookup (it
 * understands hashed names and `[host]:port`). `acceptNew` mirrors `StrictHostKeyChecking=accept-new`:
 * an unknown host is added, a changed key is always refused.
 */
import { execFile } from 'node:child_process';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { SuprsyncHostKeyError, SuprsyncToolError } from './errors.js';

const execFileP = promisify(execFile);

/** `host` for port 22, `[host]:port` otherwise (OpenSSH's known_hosts spelling). */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** One usable known_hosts entry for a host. */
export interface KnownKey { type: string; blob: Buffer; revoked: boolean }

/** Keys listed for `name` in `file` (empty if none or the file is missing). */
export async function lookupKnownHost(file: string, name: string): Promise<KnownKey[]> {
  let stdout: string;
  try {
    ({ stdout } = await execFileP('ssh-keygen', ['-F', name, '-f', file], { maxBuffer: 1 << 20 }));
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { code?: unknown };
    if (e.code === 'ENOENT') throw new SuprsyncToolError('ssh-keygen not found; install openssh-client', { cause: err });
    return []; // exit 1: no entry (or no file)
  }
  const keys: KnownKey[] = [];
  for (const line of stdout.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.trim().split(/\s+/);
    const revoked = f[0] === '@revoked';
    if (f[0] === '@cert-authority') continue;
    const [type, b64] = f[0]!.startsWith('@') ? [f[2], f[3]] : [f[1], f[2]];
    if (type && b64) keys.push({ type, blob: Buffer.from(b64, 'base64'), revoked });
  }
  return keys;
}

/** Key type named inside an ssh public-key blob (its first length-prefixed string). */
export function blobKeyType(blob: Buffer): string {
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('latin1');
}

/**
 * Verifies the host key `blob` presented by `name`.
 * @throws SuprsyncHostKeyError if it is revoked, changed, or unknown without `acceptNew`.
 */
export async function verifyHostKey(file: string, name: string, blob: Buffer, acceptNew: boolean): Promise<'known' | 'added'> {
  const keys = await lookupKnownHost(file, name);
  if (keys.some((k) => k.revoked && k.blob.equals(blob))) {
    throw new SuprsyncHostKeyError(`host key of ${name} is marked @revoked in ${file}`);
  }
  const good = keys.filter((k) => !k.revoked);
  if (good.some((k) => k.blob.equals(blob))) return 'known';
  if (good.length > 0) {
    throw new SuprsyncHostKeyError(
      `host key of ${name} does not match ${file} (possible man-in-the-middle); remove the old entry with ssh-keygen -R if the change is expected`);
  }
  if (!acceptNew) {
    throw new SuprsyncHostKeyError(
      `host ${name} is not in ${file}; add it (ssh-keyscan) or start with --accept-new-host-keys`);
  }
  await mkdir(dirname(file), { recursive: true });
  await appendFile(file, `${name} ${blobKeyType(blob)} ${blob.toString('base64')}\n`);
  return 'added';
}
