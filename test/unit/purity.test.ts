import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The unit layer stays pure because it cannot be anything else (test/support/pure.ts): a unit test that starts a
 * process, writes a file or opens a socket fails and says where it belongs. Reading a file stays allowed.
 */
describe('a unit test', () => {
  it('cannot start a process, so no git', () => {
    expect(() => execFileSync('git', ['--version'])).toThrow(/unit tests are pure.*test\/integration/);
    expect(() => spawn('true')).toThrow(/child_process\.spawn in a unit test/);
  });

  it('cannot write a file or make a temp folder', async () => {
    expect(() => writeFileSync(join(tmpdir(), 'duo-unit-write'), 'x')).toThrow(/fs\.writeFileSync in a unit test/);
    expect(() => mkdtempSync(join(tmpdir(), 'duo-unit-'))).toThrow(/fs\.mkdtempSync in a unit test/);
    await expect(writeFile(join(tmpdir(), 'duo-unit-write'), 'x')).rejects.toThrow(/in a unit test/);
  });

  it('cannot listen on a socket', () => {
    expect(() => createServer().listen(0)).toThrow(/listening on a socket in a unit test/);
  });

  it('can read a file', () => {
    expect(JSON.parse(readFileSync('package.json', 'utf8')).name).toBe('duo-pair');
  });
});
