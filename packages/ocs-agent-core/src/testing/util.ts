/**
 * Small test helpers: disposable temp dirs and a polling wait.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OCS_ERROR_CODES, TestingError } from '../errors.js';

/** A temp dir removed on dispose. */
export interface TmpDir extends AsyncDisposable {
  readonly path: string;
}

/** Create a fresh temp dir (`await using dir = tmpDir()`). */
export function tmpDir(prefix = 'ocs-test-'): TmpDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    [Symbol.asyncDispose]: async () => rmSync(path, { recursive: true, force: true }),
  };
}

/**
 * Poll `predicate` (sync or async) every `interval` ms until it returns a truthy value, which is
 * returned. Throws {@link TestingError} `OCS_ERR_TIMEOUT` after `timeout` ms (default 10000).
 */
export async function waitFor<T>(predicate: () => T | Promise<T>, opts: { timeout?: number; interval?: number; what?: string } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (opts.timeout ?? 10_000);
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await predicate();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline) {
      throw new TestingError(OCS_ERROR_CODES.timeout, `waitFor timed out${opts.what ? `: ${opts.what}` : ''}`, { cause: lastErr });
    }
    await new Promise((r) => setTimeout(r, opts.interval ?? 50));
  }
}
