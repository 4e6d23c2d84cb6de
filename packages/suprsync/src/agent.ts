/**
 * SupRsync agent (spec suprsync-recorder.md Part A): copies the files registered in a SQLite db
 * for one archive to a remote directory with rsync over ssh (or locally), verifies each one by
 * md5 on the destination, deletes local copies after `--delete-local-after`, and writes a
 * finalization file for every completed, fully synced timecode directory. One Process, `run`,
 * started with the agent; feeds `transfer_stats` and `archive_stats`.
 */
import { defineAgent, type OpContext, type ParsedArgs, type StopContext } from '@smurf-ocs/ocs-agent-core';
import { suprsyncArgs } from './args.js';
import { initialLoopState, runIteration } from './iteration.js';
import { encodeSessionData, openRun, type SuprsyncFlags } from './run-loop.js';

const RUN_DOC = `run()

**Process** - Main loop of the SupRsync agent. Each iteration copies the
uncopied files of the archive to the remote basedir with rsync, checks their
md5 on the remote, publishes archive and transfer statistics, deletes local
files older than --delete-local-after once they are verified, and finalizes
completed timecode directories.

Notes:
    An example of the session data::

        >>> response.session['data']
        {'activity': 'idle',
         'timestamp': 1795304291.2,
         'last_copy': {'start_time': 1795304290.1,
                       'files': [['/data/17950/x.g3', True]],
                       'stop_time': 1795304291.2},
         'archive_stats': {'finalized_until': 1795304291.2,
                           'num_files': 12,
                           'uncopied_files': 0,
                           'last_file_added': '/data/17950/x.g3',
                           'last_file_copied': '/data/17950/x.g3'},
         'counters': {'iterations': 1, 'copies': 1, 'errors_timeout': 0,
                      'errors_nonzero': 0, 'errors_sqlite': 0,
                      'errors_delete': 0, 'errors_finalize': 0}}
`;

/** Parsed flags (camelCase) plus the common site arguments. */
type Args = ParsedArgs<typeof suprsyncArgs>;

/** The `run` process: `while (!signal.aborted)` over {@link runIteration}. */
async function run(ctx: OpContext<Record<string, unknown>, undefined, Args>): Promise<readonly [boolean, string]> {
  const { agent, session, signal, log } = ctx;
  const flags: SuprsyncFlags = agent.args;
  const res = openRun(flags, agent.instanceId, log);
  const st = initialLoopState();
  session.data = encodeSessionData(st.data);
  try {
    while (!signal.aborted) {
      const r = await runIteration({
        fm: res.fm, handler: res.handler, config: res.config, log,
        publish: (feed, message) => agent.publish(feed, message),
        setActivity: (a) => { st.data.activity = a; session.data = encodeSessionData(st.data); },
      }, st);
      if (r.degraded !== undefined) session.degraded = r.degraded;
      session.data = encodeSessionData(st.data);
      await ctx.sleep(r.sleepSeconds * 1000);
    }
  } finally {
    await res.close();
  }
  return [true, 'Stopped run process'];
}

function stop({ session }: StopContext<undefined, Args>): void {
  session.setStatus('stopping');
}

const COUNTERS = ['iterations', 'copies', 'errors_timeout', 'errors_nonzero', 'errors_sqlite'];

/** The SupRsync agent definition. */
export const suprsyncAgent = defineAgent({
  agentClass: 'SupRsync',
  summary: 'Copies files registered in a SQLite db to a remote archive with rsync and verifies them by md5.',
  args: suprsyncArgs,
  feeds: {
    transfer_stats: { record: true, aggParams: { exclude_aggregator: true }, intFields: COUNTERS },
    archive_stats: { record: true, intFields: ['num_files', 'uncopied_files'] },
  },
  ops: {
    run: { kind: 'process', blocking: true, startup: true, docstring: RUN_DOC, start: run, stop },
  },
});
