/**
 * The main job (README command 1), on this machine, no Docker. Agents from the site config
 * config/demo/default.yaml, on the embedded router:
 *
 *   smurf-sim (stream simulator) ──G3 frames over TCP──▶ smurf-recorder ──rotating .g3 files,
 *   registered in the SupRsync db──▶ suprsync-demo (local mode) ──▶ .demo/archive/
 *
 * SupRsync copies every registered file, md5-verifies it, deletes the local copy, and finalizes
 * completed timecode directories; the ocs-client CLI shows the agents' progress until
 * everything is copied, verified and finalized. Besides the recorded stream, the input holds the
 * G3 reference fixtures (../shared/fixtures/g3, when present) and generated .g3 files in older
 * timecode directories, registered with `suprsync add-local-files`.
 *
 * Options: --keep (leave .demo/ for inspection), --timeout SECONDS (default 300),
 * --stream-seconds SECONDS (default 25).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { FrameType, G3Double, G3FileWriter, G3Frame, G3String, G3Time, G3Timestream, TICKS_PER_SECOND } from '@smurf-ocs/g3-frame';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const demo = join(root, '.demo');
const siteFile = join(root, 'config', 'demo', 'default.yaml');
const fixtures = join(root, '..', 'shared', 'fixtures', 'g3');
const run = join(root, 'scripts', 'run');
const keep = process.argv.includes('--keep');
const timeoutArg = process.argv.indexOf('--timeout');
const timeoutS = timeoutArg > 0 ? Number(process.argv[timeoutArg + 1]) : 300;
const streamArg = process.argv.indexOf('--stream-seconds');
const streamS = streamArg > 0 ? Number(process.argv[streamArg + 1]) : 25;
const children: ChildProcess[] = [];

function say(text: string): void {
  process.stdout.write(`\n\x1b[1m== ${text}\x1b[0m\n`);
}

/** Starts one of the project's commands in the background, its log in .demo/logs/<name>.log. */
function startDaemon(name: string, args: string[]): ChildProcess {
  const log = createWriteStream(join(demo, 'logs', `${name}.log`));
  const child = spawn(run, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  children.push(child);
  return child;
}

/** Runs the client CLI (or another project command) to completion and returns its stdout. */
function cli(args: string[], show = true): string {
  const r = spawnSync(run, args, { cwd: root, encoding: 'utf8' });
  if (show) process.stdout.write(r.stdout);
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

const client = (...args: string[]): string[] => ['ocs-client', '--site-file', siteFile, ...args];

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** Writes `count` small but real .g3 files (Observation + Scan frames) into one timecode dir. */
async function generateG3Files(dir: string, ctime0: number, count: number): Promise<number> {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const ctime = ctime0 + i * 60;
    const w = await G3FileWriter.open(join(dir, `${ctime}_${String(i).padStart(3, '0')}.g3`));
    const obs = new G3Frame(FrameType.Observation);
    obs.set('session_id', new G3String(`demo-${ctime0}`));
    await w.write(obs);
    for (let f = 0; f < 5; f++) {
      const start = BigInt(ctime + f) * TICKS_PER_SECOND;
      const samples = Float64Array.from({ length: 200 }, (_, k) => Math.sin((f * 200 + k) / 25));
      const scan = new G3Frame(FrameType.Scan);
      scan.set('time', new G3Time(start));
      scan.set('rms', new G3Double(Math.SQRT1_2));
      scan.set('data', new G3Timestream({ data: samples, start, stop: start + TICKS_PER_SECOND }));
      await w.write(scan);
    }
    await w.close();
  }
  return count;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

interface RunSession {
  status?: string;
  data?: {
    activity?: string;
    counters?: { iterations: number; copies: number; errors_timeout: number; errors_nonzero: number; errors_sqlite: number };
    archive_stats?: { num_files: number; uncopied_files: number; finalized_until: number };
  };
}

async function main(): Promise<void> {
  say('Preparing .demo/ (data, archive, logs)');
  rmSync(demo, { recursive: true, force: true });
  mkdirSync(join(demo, 'logs'), { recursive: true });
  // rsync creates only the last component of --remote-basedir (as with the Python agent).
  mkdirSync(join(demo, 'archive'), { recursive: true });
  const offline = join(demo, 'data', 'offline');
  let nFixtures = 0;
  if (existsSync(fixtures)) {
    const dest = join(offline, '16000', 'fixtures');
    mkdirSync(dest, { recursive: true });
    for (const f of readdirSync(fixtures).filter((n) => /\.g3(\.(gz|bz2|xz))?$/.test(n))) {
      copyFileSync(join(fixtures, f), join(dest, f));
      nFixtures++;
    }
  } else {
    process.stdout.write(`(no ${fixtures}: the G3 reference fixtures are skipped)\n`);
  }
  let nGenerated = 0;
  for (const tc of [16500, 17000, 17500]) {
    nGenerated += await generateG3Files(join(offline, String(tc), 'generated'), tc * 100_000 + 1234, 40);
  }
  process.stdout.write(`${nFixtures} G3 fixtures and ${nGenerated} generated .g3 files under ${relative(root, offline)}\n`);

  say('Starting the embedded OCS router on 127.0.0.1:18001');
  const router = startDaemon('router', ['ocs-router', '--port', '18001']);
  router.on('exit', (code) => code !== null && code !== 0 && process.stderr.write(`router exited ${code} (port 18001 in use?)\n`));
  await waitForRouter();

  say('Registering the files in the SupRsync database (suprsync add-local-files)');
  cli(['suprsync', 'add-local-files', offline, 'timestreams', '--db', join(demo, 'dbs', 'suprsync.db'), '--create-db', '--last-edit', '0']);

  say('Starting the SupRsync agent from config/demo/default.yaml (instance suprsync-demo)');
  startDaemon('suprsync', ['suprsync-agent', '--site-file', siteFile, '--instance-id', 'suprsync-demo']);
  await waitForAgent('suprsync-demo', 'SupRsync');
  cli(client('api', 'suprsync-demo'));

  say('Starting the stream simulator (smurf-sim) and the recorder (smurf-recorder)');
  startDaemon('smurf-sim', ['smurf-stream-simulator', '--site-file', siteFile, '--instance-id', 'smurf-sim']);
  startDaemon('smurf-recorder', ['smurf-recorder', '--site-file', siteFile, '--instance-id', 'smurf-recorder']);
  await waitForAgent('smurf-sim', 'SmurfStreamSimulator');
  await waitForAgent('smurf-recorder', 'SmurfRecorder');
  cli(client('scan'));

  say(`Progress for ${streamS} s of streaming (ocs-client call <agent> <op> status, every 2 s)`);
  const deadline = Date.now() + timeoutS * 1000;
  const streamUntil = Date.now() + streamS * 1000;
  let stopped = false;
  let last = '';
  for (;;) {
    const p = progress();
    if (p.line !== last) process.stdout.write(`${p.line}\n`);
    last = p.line;
    if (!stopped && Date.now() > streamUntil) {
      say('Ending the acquisition: ocs-client call smurf-sim stop call (END frame; the recorder closes its file)');
      cli(client('call', 'smurf-sim', 'stop', 'call'));
      stopped = true;
      say('Progress until every file is copied, verified and finalized');
      last = '';
      await sleep(1000);
      continue;
    }
    if (stopped && p.done) break;
    if (Date.now() > deadline) throw new Error(`not done after ${timeoutS} s; see .demo/logs/`);
    await sleep(2000);
  }

  say('Done. Agent status (ocs-client status <agent>)');
  for (const id of ['smurf-sim', 'smurf-recorder', 'suprsync-demo']) cli(client('status', id));
  const archived = filesUnder(join(demo, 'archive'));
  const finals = archived.filter((f) => f.endsWith('_finalized.yaml'));
  process.stdout.write(
    `\n${archived.length} files in ${relative(root, join(demo, 'archive'))}, ` +
      `${filesUnder(offline).length} left in ${relative(root, offline)} (deleted after verification)\n`,
  );
  if (finals[0]) process.stdout.write(`\n${relative(root, finals[0])}:\n${readFileSync(finals[0], 'utf8')}`);
  const recorded = archived.filter((f) => f.includes('/crate1slot2/')).sort();
  process.stdout.write(`\nrecorded and archived: ${recorded.map((f) => relative(root, f)).join(', ')}\n`);
  if (recorded[0]) {
    say(`g3 verify and g3 dump ${relative(root, recorded[0])}`);
    cli(['g3', 'verify', recorded[0]]);
    const dump = cli(['g3', 'dump', recorded[0]], false).split('\n');
    process.stdout.write(`${dump.slice(0, 40).join('\n')}\n${dump.length > 40 ? `... (${dump.length - 40} more lines)\n` : ''}`);
  }
}

interface Reply<D> {
  session?: { status?: string; data?: D };
}
interface RecorderData {
  connection?: string;
  frames_written?: number;
  files_closed?: number;
  bytes_written?: number;
  current_file?: { path: string } | null;
  suprsync?: { registered: number; pending: number } | null;
}
interface SimData {
  streaming?: boolean;
  frame_num?: number;
}

function status<D>(instanceId: string, op: string): D {
  const reply = JSON.parse(cli(client('--json', 'call', instanceId, op, 'status'), false)) as Reply<D>;
  return reply.session?.data ?? ({} as D);
}

/** One progress line over the three agents, and whether everything is archived. */
function progress(): { line: string; done: boolean } {
  const sim = status<SimData>('smurf-sim', 'stream');
  const rec = status<RecorderData>('smurf-recorder', 'record');
  const d = status<RunSession['data'] & object>('suprsync-demo', 'run');
  const c = d.counters;
  const s = d.archive_stats;
  const tc = finalizedTimecodes();
  const errors = (c?.errors_nonzero ?? 0) + (c?.errors_timeout ?? 0) + (c?.errors_sqlite ?? 0);
  const line =
    `sim: ${sim.streaming ? 'streaming' : 'stopped'} scans=${sim.frame_num ?? 0} | ` +
    `recorder: ${rec.connection ?? '-'} frames=${rec.frames_written ?? 0} ` +
    `files closed=${rec.files_closed ?? 0} registered=${rec.suprsync?.registered ?? 0} | ` +
    `suprsync: copies=${c?.copies ?? 0} errors=${errors} files=${s?.num_files ?? '-'} ` +
    `uncopied=${s?.uncopied_files ?? '-'} finalized tcdirs=${tc.done}/${tc.dataTotal}`;
  // The acquisition is over (END sent, the recorder's last file closed) and every closed file
  // is registered for SupRsync.
  const recorderDone = sim.streaming === false && !rec.current_file && (rec.files_closed ?? 0) > 0 &&
    rec.suprsync?.registered === rec.files_closed && (rec.suprsync?.pending ?? 0) === 0;
  const done = recorderDone && s !== undefined && s.uncopied_files === 0 && s.num_files > 0 && tc.done === tc.dataTotal;
  return { line, done };
}

/** Timecode dirs of the demo archive that are finalized (read from the SupRsync db). */
function finalizedTimecodes(): { done: number; total: number; dataTotal: number } {
  const db = new Database(join(demo, 'dbs', 'suprsync.db'), { readonly: true, fileMustExist: true });
  const rows = db
    .prepare("select timecode, finalized from timecode_dirs_v0 where archive_name = 'timestreams'")
    .all() as { timecode: number; finalized: number }[];
  db.close();
  const current = Math.floor(Date.now() / 1000 / 100_000);
  // The current and previous timecode dirs never complete (spec suprsync-recorder.md A4.8).
  const data = rows.filter((x) => x.timecode < current - 1);
  return { done: data.filter((x) => x.finalized === 1).length, total: rows.length, dataTotal: data.length };
}

async function waitForRouter(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch('http://127.0.0.1:18001/call', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ procedure: 'observatory._router_check_', args: [] }),
      });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error('router did not come up on 127.0.0.1:18001; see .demo/logs/router.log');
}

async function waitForAgent(instanceId: string, agentClass: string): Promise<void> {
  for (let i = 0; i < 150; i++) {
    const res = await fetch('http://127.0.0.1:18001/call', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ procedure: `observatory.${instanceId}`, args: ['get_agent_class'] }),
    });
    const body = (await res.json()) as { error?: string; args?: unknown[] };
    if (body.error === undefined && body.args?.[0] === agentClass) return;
    await sleep(200);
  }
  throw new Error(`agent ${instanceId} did not register; see .demo/logs/`);
}

async function shutdown(): Promise<void> {
  for (const c of children.reverse()) {
    if (c.exitCode === null) {
      c.kill('SIGINT');
      await new Promise((r) => {
        const t = setTimeout(() => {
          c.kill('SIGKILL');
          r(undefined);
        }, 8000);
        c.once('exit', () => {
          clearTimeout(t);
          r(undefined);
        });
      });
    }
  }
}

main()
  .then(async () => {
    await shutdown();
    if (!keep) rmSync(demo, { recursive: true, force: true });
    else process.stdout.write(`\n.demo/ kept for inspection\n`);
    process.stdout.write('\nmain job: OK\n');
  })
  .catch(async (err: unknown) => {
    process.stderr.write(`\nmain job FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
    await shutdown();
    for (const f of filesUnder(join(demo, 'logs'))) {
      const lines = readFileSync(f, 'utf8').trim().split('\n').slice(-15).join('\n');
      process.stderr.write(`\n--- ${relative(root, f)} (last lines)\n${lines}\n`);
    }
    process.exit(1);
  });
