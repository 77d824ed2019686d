import childProcess from 'node:child_process';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

/**
 * The unit layer's definition, enforced: a unit test computes. It starts no process (so no git), writes nothing to
 * disk and opens no socket; reading a fixture is fine. Anything that does is an integration test and belongs in
 * test/integration, where it runs beside real git. This setup file makes each of those calls throw in the unit
 * project, so a test that needs one fails with the reason instead of quietly slowing the fast layer.
 */
function refuse(what: string): never {
  throw new Error(
    `${what} in a unit test: unit tests are pure (no processes, no git, no file writes, no sockets). ` +
      'Move the test to test/integration.',
  );
}

// Setup files run before every test file, and unit files share their workers (isolate: false): patch once.
const PATCHED = Symbol.for('duo.test.pure');
const registry = globalThis as { [PATCHED]?: true };
if (!registry[PATCHED]) {
  registry[PATCHED] = true;
  forbidImpureCalls();
}

function forbidImpureCalls(): void {
  const processCalls = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;
  for (const name of processCalls) {
    Object.assign(childProcess, { [name]: () => refuse(`child_process.${name}`) });
  }

  const writes = [
    'writeFile',
    'appendFile',
    'mkdir',
    'mkdtemp',
    'rm',
    'rmdir',
    'unlink',
    'rename',
    'copyFile',
    'cp',
    'symlink',
    'link',
    'truncate',
    'chmod',
    'utimes',
  ] as const;
  for (const name of writes) {
    Object.assign(fs, {
      [name]: () => refuse(`fs.${name}`),
      [`${name}Sync`]: () => refuse(`fs.${name}Sync`),
    });
    Object.assign(fs.promises, { [name]: async () => refuse(`fs.promises.${name}`) });
  }
  // Opening a file for writing (fs.openSync(path, 'w'), createWriteStream) goes through open with a write flag.
  const { open, openSync } = fs;
  const writing = (flags: unknown) => flags !== undefined && flags !== 'r' && flags !== fs.constants.O_RDONLY;
  Object.assign(fs, {
    openSync: (path: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) =>
      writing(flags) ? refuse(`fs.openSync(…, ${String(flags)})`) : openSync(path, flags ?? 'r', mode),
    open: (path: fs.PathLike, flags: unknown, ...rest: unknown[]) =>
      writing(typeof flags === 'function' ? undefined : flags)
        ? refuse(`fs.open(…, ${String(flags)})`)
        : (open as (...a: unknown[]) => void)(path, flags, ...rest),
    createWriteStream: () => refuse('fs.createWriteStream'),
  });
  const promisesOpen = fs.promises.open;
  Object.assign(fs.promises, {
    open: async (path: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) =>
      writing(flags) ? refuse(`fs.promises.open(…, ${String(flags)})`) : promisesOpen(path, flags, mode),
  });

  net.Server.prototype.listen = () => refuse('listening on a socket');
  net.Socket.prototype.connect = () => refuse('connecting a socket');

  // `import { spawn } from 'node:child_process'` is a live binding: make it see the replacements too.
  syncBuiltinESMExports();
}
