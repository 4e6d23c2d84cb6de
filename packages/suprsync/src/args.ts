/**
 * Flags of the SupRsync agent (spec §A1): Python spelling, Python defaults, one zod schema each.
 * The flags after `chmod` are ours (ssh port, host-key policy, allowed roots); see
 * docs/agents/suprsync.md.
 */
import { z } from 'zod';

/** Agent flags: key = flag without dashes. */
export const suprsyncArgs = {
  'archive-name': z.string().describe('Name of the managed archive; only rows with this archive_name are copied or deleted.'),
  'remote-basedir': z.string().describe('Base directory on the destination host (a local path in local mode) to copy files to.'),
  'db-path': z.string().describe('Path to the suprsync sqlite db; its parent directory is created if missing.'),
  'ssh-host': z.string().optional().describe('Remote host as host or user@host. If not set, files are copied locally (local mode).'),
  'ssh-key': z.string().optional().describe('Identity file for ssh.'),
  'delete-local-after': z.number().optional().describe('Seconds after registration after which copied local files are deleted. Unset: never delete; 0: delete once verified.'),
  'max-copy-attempts': z.number().int().default(5).describe('Rows with this many failed copy attempts are not tried again.'),
  'copy-timeout': z.number().optional().describe('Timeout in seconds for the rsync transfer of one batch. Unset: no timeout.'),
  'cmd-timeout': z.number().optional().describe('Timeout in seconds for each remote md5sum command. Unset: no timeout.'),
  'files-per-batch': z.number().int().min(0).optional().describe('Maximum number of files per rsync call. Unset or 0: all copyable files.'),
  'batches-per-iteration': z.number().int().min(1).default(1).describe('Batches of --files-per-batch files copied per iteration, up to 3 rsync calls at a time. Default 1: one rsync call per iteration.'),
  'sleep-time': z.number().default(60).describe('Seconds to sleep between iterations.'),
  compression: z.boolean().default(false).describe('Compress data during the transfer (rsync -z).'),
  bwlimit: z.string().optional().describe('Passed to rsync as --bwlimit=<value>.'),
  'suprsync-file-root': z.string().describe('Local root for the finalization files of completed timecode directories.'),
  'db-echo': z.boolean().default(false).describe('Log every SQL statement (debug level).'),
  'db-pool-size': z.number().int().default(5).describe('Accepted for compatibility with the Python agent; ignored.'),
  'db-pool-max-overflow': z.number().int().default(10).describe('Accepted for compatibility with the Python agent; ignored.'),
  chmod: z.string().default('g+rwX,o+rX').describe('Passed to rsync as -p --chmod=<value>; an empty string drops both.'),
  'ssh-port': z.number().int().min(1).max(65535).default(22).describe('ssh port of the remote host.'),
  'known-hosts': z.string().optional().describe('known_hosts file used to check the remote host key (default ~/.ssh/known_hosts).'),
  'accept-new-host-keys': z.boolean().default(false).describe('Add the key of a host missing from known_hosts (like StrictHostKeyChecking=accept-new); a changed key is always refused.'),
  'allowed-root': z.array(z.string()).optional().describe('Local directory the agent may copy from and delete in (repeatable). Files elsewhere are refused. Unset: no limit (a warning is logged).'),
};
