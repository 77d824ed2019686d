import { hostname } from 'node:os';
import { effectiveStatus, ownerAlive } from '../../record/run-owner.js';
import { UsageError } from '../../sys/duo-error.js';
import { redactedJson } from '../../sys/redact.js';
import type { CancelJson } from '../../wire/run.js';
import type { CancelFlags } from '../flags.js';
import { openSession, resolveRun } from '../setup.js';

/**
 * `duo cancel <runId>`: stops a running run cleanly — SIGINT to the process that owns it, which stops the agents'
 * process groups, saves the run as interrupted and exits (`duo resume` continues from the last completed step).
 * If it does not stop in time, a second SIGINT makes it exit at once (still resumable: the record is written step
 * by step). Works for detached runs and runs in another terminal alike.
 */
export async function cancelCommand(ref: string, flags: CancelFlags): Promise<number> {
  const session = await openSession(process.cwd(), flags.config);
  const runId = await resolveRun(session, ref);
  const state = session.store.load(runId);
  const before = effectiveStatus(state);
  const owner = state.owner;
  const say = (cancelled: boolean, status: CancelJson['status'], text: string) => {
    if (flags.json) process.stdout.write(`${redactedJson({ runId, cancelled, status } satisfies CancelJson)}\n`);
    else process.stdout.write(`${text}\n`);
  };
  if (before !== 'running' || !owner) {
    say(false, before, `run ${runId} is not running (${before}); nothing to cancel.`);
    return 0;
  }
  if (owner.host !== hostname())
    throw new UsageError(`run ${runId} runs on ${owner.host} (process ${owner.pid}); cancel it there.`);
  const graceMs = (flags.timeout === undefined ? 30 : Number(flags.timeout)) * 1000;
  if (!Number.isFinite(graceMs) || graceMs < 0)
    throw new UsageError(`--timeout takes a number of seconds (got "${flags.timeout}").`);
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(owner.pid, sig);
    } catch {
      // Already gone.
    }
  };
  signal('SIGINT');
  let stopped = await until(() => !ownerAlive(owner), graceMs);
  if (!stopped) {
    signal('SIGINT'); // the second one exits at once
    stopped = await until(() => !ownerAlive(owner), 5_000);
  }
  if (!stopped) {
    signal('SIGKILL');
    stopped = await until(() => !ownerAlive(owner), 5_000);
  }
  const after = effectiveStatus(session.store.load(runId));
  if (!stopped) {
    say(false, after, `process ${owner.pid} of run ${runId} did not stop; stop it yourself: kill -9 ${owner.pid}`);
    return 1;
  }
  say(true, after, `stopped run ${runId} (${after}); continue it with: duo resume ${runId}`);
  return 0;
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() >= end) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}
