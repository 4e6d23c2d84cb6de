/**
 * Classification of SQLite failures into Python's `OperationalError` class (spec §A2.4, §A8) and
 * the async busy retry that replaces pysqlite's blocking 5 s busy timeout.
 */
import { setTimeout as delay } from 'node:timers/promises';

const OPERATIONAL = /^SQLITE_(BUSY|LOCKED|READONLY|FULL|IOERR|CANTOPEN|CORRUPT|NOTADB|PROTOCOL)/;

function sqliteCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** True if `err` is a failure Python would raise as `sqlite3.OperationalError`. */
export function isDbOperationalError(err: unknown): boolean {
  const code = sqliteCode(err);
  if (code === undefined) return false;
  if (OPERATIONAL.test(code)) return true;
  return code === 'SQLITE_ERROR' && /no such (table|column)/.test((err as Error).message);
}

function isBusy(err: unknown): boolean {
  const code = sqliteCode(err);
  return code !== undefined && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

/**
 * Calls `fn` until it does not fail with SQLITE_BUSY/LOCKED or `budgetMs` has passed, sleeping
 * 10–200 ms between attempts without blocking the event loop.
 */
export async function retryBusy<T>(fn: () => T, budgetMs: number): Promise<T> {
  const deadline = Date.now() + budgetMs;
  let wait = 10;
  for (;;) {
    try {
      return fn();
    } catch (err) {
      if (!isBusy(err) || Date.now() + wait > deadline) throw err;
      await delay(wait);
      wait = Math.min(wait * 2, 200);
    }
  }
}
