/**
 * pino logging for agents: JSON lines to stdout, level from `LOGLEVEL` (default `info`), and with
 * a log dir also an appended text file `<log_dir>/<address>.log` whose lines look like Python's
 * `YYYY-MM-DDTHH-MM-SS.ffffff <text>` in UTC (ocs-protocol.md 6.10).
 */
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Logger name (e.g. the agent address). */
  name: string;
  /** pino level; default `$LOGLEVEL` or `info`. */
  level?: string;
  /** Existing directory for the text log; `<logDir>/<fileName ?? name>.log` is appended. */
  logDir?: string;
  /** Base name of the log file; default `name`. */
  fileName?: string;
  /** Destination for JSON lines; default stdout. */
  destination?: pino.DestinationStream;
}

/** Python `log_formatter` timestamp: `2026-11-22T02-10-06.123000` (UTC, microseconds). */
export function pyLogTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-11-22T02:10:06.123Z
  return `${iso.slice(0, 10)}T${iso.slice(11, 19).replace(/:/g, '-')}.${iso.slice(20, 23)}000`;
}

function textFileStream(file: WriteStream): pino.DestinationStream {
  return {
    write(line: string): void {
      try {
        const o = JSON.parse(line) as { time?: number; msg?: string };
        file.write(`${pyLogTimestamp(o.time ?? Date.now())} ${o.msg ?? ''}\n`);
      } catch {
        file.write(line);
      }
    },
  };
}

/**
 * Create the agent logger. A missing log dir is reported on the logger (as Python does) and
 * otherwise ignored.
 */
export function createLogger(opts: LoggerOptions): Logger {
  const level = opts.level ?? process.env.LOGLEVEL ?? 'info';
  const dest = opts.destination ?? pino.destination({ dest: 1, sync: false });
  const streams: pino.StreamEntry[] = [{ stream: dest, level: level as pino.Level }];
  let missingDir: string | undefined;
  if (opts.logDir !== undefined) {
    if (existsSync(opts.logDir)) {
      const file = createWriteStream(join(opts.logDir, `${opts.fileName ?? opts.name}.log`), { flags: 'a' });
      streams.push({ stream: textFileStream(file), level: level as pino.Level });
    } else missingDir = opts.logDir;
  }
  const log = pino({ name: opts.name, level }, pino.multistream(streams));
  if (missingDir !== undefined) log.error(`Log directory does not exist: ${missingDir}`);
  return log;
}
