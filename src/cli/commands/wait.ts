import { runProgress } from '../../record/progress.js';
import { UsageError } from '../../sys/duo-error.js';
import type { WaitJson } from '../../wire/run.js';
import type { WaitFlags } from '../flags.js';
import { printJson } from '../json.js';
import { exitCodeFor, printHuman, runSummary } from '../output.js';
import { openSession, resolveRun } from '../setup.js';
import { progressLine } from './status.js';

const STILL_RUNNING = 4;
const POLL_MS = 400;

/**
 * `duo wait [runId] [--timeout <s>]` (default: the newest run): blocks until the run finishes, printing progress as it changes (stderr), then
 * prints the result like `duo run` does (stdout) and exits with the run's own code: 0 green/answered, 1 red,
 * unverified or failed, 3 awaiting a decision, 75 paused, 130 interrupted (help.ts lists them). Still running when the timeout passes: exit 4
 * (`duo wait` again). It only reads the record: waiting never changes, locks or stops the run.
 */
export async function waitCommand(ref: string | undefined, flags: WaitFlags): Promise<number> {
  const timeoutS = flags.timeout === undefined ? undefined : Number(flags.timeout);
  if (timeoutS !== undefined && (!Number.isFinite(timeoutS) || timeoutS < 0))
    throw new UsageError(`--timeout takes a number of seconds (got "${flags.timeout}").`);
  const session = await openSession(process.cwd(), flags.config);
  const runId = await resolveRun(session, ref);
  const deadline = timeoutS === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeoutS * 1000;
  let last = '';
  for (;;) {
    const state = session.store.load(runId);
    const progress = runProgress(session.store, state);
    if (progress.status !== 'running') {
      state.status = progress.status;
      if (flags.json) printJson({ ...runSummary(state, session.store), progress } satisfies WaitJson);
      else {
        printHuman(state, session.store);
        if (progress.logTail && progress.status === 'interrupted')
          process.stdout.write(`the background process ended with:\n${progress.logTail}\n`);
      }
      return exitCodeFor(state);
    }
    const line = progressLine(progress);
    const shown = line.replace(/^\S+ /, ''); // print on change of activity, not of the clock
    if (shown !== last && !flags.quiet) process.stderr.write(`${line}\n`);
    last = shown;
    if (Date.now() >= deadline) {
      if (flags.json) printJson({ runId, status: 'running', timedOut: true, progress } satisfies WaitJson);
      else
        process.stdout.write(
          `duo ${runId} is still running (${progress.phase}); \`duo wait ${runId}\` again to keep waiting.\n`,
        );
      return STILL_RUNNING;
    }
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(0, deadline - Date.now()))));
  }
}
