/**
 * @smurf-ocs/suprsync — SupRsync: copies files registered in a SQLite db to an archive with rsync
 * and verifies them by md5 (spec suprsync-recorder.md Part A).
 *
 * Library exports (no WAMP needed): {@link FilesManager} and the copy/delete/finalize steps;
 * the agent definition {@link suprsyncAgent}; the CLI {@link runCli}.
 */
export { suprsyncAgent } from './agent.js';
export { suprsyncArgs } from './args.js';
export { runCli, formatFile } from './cli.js';
export type { CliIo } from './cli.js';
export { FilesManager } from './files-manager.js';
export type { AddFileOptions, ArchiveStats, CopyResult, FileIdentity, FilesManagerOptions } from './files-manager.js';
export type { SupRsyncFile, TimecodeDir } from './schema.js';
export { SUPERSYNC_V0_DDL, TIMECODE_DIRS_V0_DDL, SUPERSYNC_COLUMNS } from './schema.js';
export { checkTimecode, splitPath, remotePathProblem } from './paths.js';
export { md5File, md5Bytes } from './md5.js';
export type { Md5Result } from './md5.js';
export { FileHandler } from './file-handler.js';
export type { FileHandlerOptions, CopyReport } from './file-handler.js';
export { deleteFiles } from './delete-files.js';
export type { DeleteOptions, DeleteReport } from './delete-files.js';
export { updateAllTimecodeDirs, renderFinalizationYaml, finalizationPaths } from './finalization.js';
export type { FinalizationInfo, UpdateTcdirsOptions } from './finalization.js';
export { LocalRunner } from './command-runner.js';
export type { CommandRunner, ExecOptions, ExecResult } from './command-runner.js';
export { SshSession, parseSshHost } from './ssh-session.js';
export type { SshTarget } from './ssh-session.js';
export { runIteration, initialLoopState } from './iteration.js';
export type { Counters, IterationDeps, IterationResult, LastCopy, LoopConfig, LoopState, SessionData } from './iteration.js';
export * from './errors.js';
