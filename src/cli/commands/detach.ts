import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { acquireRunLock } from '../../record/lock.js';
import { DETACHED_LOG } from '../../record/progress.js';
import { ownerRecord } from '../../record/run-owner.js';

import { duoArgv } from '../../sys/bin.js';
import { redactedJson } from '../../sys/redact.js';
import type { DetachedJson } from '../../wire/run.js';
import type { Session } from '../setup.js';

/** A run started in the background, as `--detach --json` prints it. */
export type Detached = DetachedJson;

/**
 * A run in the background, for callers whose own time is short (an agent's shell tool call, an MCP request, a CI
 * step): `duo resume <runId>` in a new session (it survives the terminal or chat that started it), its output to
 * `detached.log` in the run's folder.
 *
 * The record is owned by the background process from the moment it exists: the child waits for a go on its stdin,
 * the parent writes the child's pid (and kernel start time) as the run's owner under the run lock, then lets it go.
 * So `duo status` never shows a detached run as running without a live process behind it, nor as interrupted while
 * it is starting; and a child that dies at any point reads as interrupted, resumable.
 */
export async function launchDetached(session: Session, runId: string): Promise<Detached> {
  const dir = session.store.dir(runId);
  const log = join(dir, DETACHED_LOG);
  // Taken before the child exists: a run another process holds is refused here, with nothing started.
  const release = acquireRunLock(dir);
  let pid: number;
  try {
    const out = openSync(log, 'a');
    // No --config: the run's record holds the configuration it runs on (protocol/run-config.ts).
    const [node, args] = duoArgv('resume', runId, '--yes', '--detached-child');
    const child = spawn(node, args, {
      cwd: session.repoRoot,
      detached: true,
      stdio: ['pipe', out, out],
      env: { ...process.env, NO_COLOR: '1' },
    });
    closeSync(out);
    await new Promise<void>((ok, fail) => {
      child.once('spawn', ok);
      child.once('error', fail);
    });
    pid = child.pid as number;
    const state = session.store.load(runId);
    state.status = 'running';
    state.owner = ownerRecord(pid);
    state.updatedAt = new Date().toISOString();
    session.store.save(state);
    session.store.appendEvent(runId, { type: 'detached', pid, log });
    // The lock goes before the go, so the child can take it.
    release();
    child.stdin?.end('go\n');
    child.unref();
  } catch (e) {
    release();
    throw e;
  }
  return { runId, status: 'running', pid, log };
}

/** In the background process: wait for the parent's go (or its death: end of stdin) before touching the run. */
export async function awaitGo(): Promise<void> {
  await new Promise<void>((done) => {
    process.stdin.on('data', () => {});
    process.stdin.once('end', done);
    process.stdin.once('error', () => done());
    process.stdin.resume();
  });
}

export function printDetached(d: Detached, json: boolean | undefined): void {
  if (json) {
    process.stdout.write(`${redactedJson(d satisfies DetachedJson)}\n`);
    return;
  }
  // The id alone on stdout, so `id=$(duo run --detach "…")` works; the rest is for a person.
  process.stdout.write(`${d.runId}\n`);
  process.stderr.write(
    `duo ${d.runId}: running in the background (pid ${d.pid}); output in ${d.log}\n` +
      `follow it: duo status ${d.runId} · duo wait ${d.runId} · stop it: duo cancel ${d.runId}\n`,
  );
}
