/** Flag parsing details (spec B1) and the SupRsync remote path rule (spec A11). */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBoolish, recorderArgs } from '../src/args.js';
import { fileName, remotePathOf, timecodeDir } from '../src/file-naming.js';

describe('flags', () => {
  it('--auto-start False is false (fixes the Python bool("False") [FLAW])', () => {
    for (const v of ['False', 'false', '0', 'no', 'off', '']) expect(parseBoolish(v)).toBe(false);
    for (const v of ['True', 'true', '1', 'yes']) expect(parseBoolish(v)).toBe(true);
    expect(recorderArgs['auto-start'].parse(undefined)).toBe(false);
  });

  it('has the Python defaults', () => {
    expect(recorderArgs['time-per-file'].parse(undefined)).toBe(600);
    expect(recorderArgs['data-dir'].parse(undefined)).toBe('/data/');
    expect(recorderArgs.port.parse(undefined)).toBe(50000);
    expect(recorderArgs.address.parse(undefined)).toBe('localhost');
    expect(recorderArgs['stream-id'].parse(undefined)).toBe('None');
    expect(recorderArgs['target-rate'].parse(undefined)).toBe(10);
    expect(recorderArgs['suprsync-archive'].parse(undefined)).toBe('timestreams');
  });
});

describe('file naming', () => {
  it('builds <tc5>/<stream-id>/<ctime>_<NNN>.g3 and its remote path', () => {
    expect(timecodeDir(1795012345.9)).toBe('17950');
    expect(fileName(1795012345, 7)).toBe('1795012345_007.g3');
    expect(fileName(1795012345, 1000)).toBe('1795012345_1000.g3');
    expect(remotePathOf(path.join('/data', '17950', 'crate1slot2', '1795012345_000.g3'))).toBe('17950/crate1slot2/1795012345_000.g3');
  });
});
