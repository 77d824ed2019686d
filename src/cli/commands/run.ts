import { givenCommands } from '../../config/verify-command.js';
import { createRunState, executeRun } from '../../protocol/engine.js';
import type { EnginePorts } from '../../protocol/ports.js';
import type { RunState } from '../../protocol/types.js';
import { acquireRunLock } from '../../record/lock.js';
import { effectiveStatus, ownerRecord } from '../../record/run-owner.js';
import { untouchedSetupFiles } from '../../record/setup-files.js';
import { UsageError } from '../../sys/duo-error.js';
import type { RunCommandJson } from '../../wire/run.js';
import { existingRunBranches } from '../../workspace/index.js';
import { canPrompt, terminalDecider } from '../decider.js';
import type { ResumeFlags, RunFlags } from '../flags.js';
import { printJson } from '../json.js';
import { exitCodeFor, printHuman, runSummary } from '../output.js';
import { checkVerifyCommands, locateAgents, panelWarning, verifyWarnings } from '../preflight.js';
import { progressView } from '../render.js';
import { openRunSession, openSession, prepareRecords, type Session } from '../setup.js';
import { type ApplyOutcome, applyToTree } from './apply.js';
import { awaitGo, launchDetached, printDetached } from './detach.js';
import { branchGone } from './workspace.js';

/** `duo run -` reads the task from stdin: no character of it is ever seen by a shell (the plugin's commands use it). */
async function readTask(words: string[]): Promise<string> {
  if (words.length !== 1 || words[0] !== '-') return words.join(' ').trim();
  if (process.stdin.isTTY)
    throw new UsageError('`duo run -` reads the task from stdin; pipe it in, or give it as words.');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

export async function runCommand(taskWords: string[], flags: RunFlags): Promise<number> {
  const task = await readTask(taskWords);
  if (!task)
    throw new UsageError(
      'duo needs a task: duo "<what to change>" (or duox "<task>"). `duo --help` lists the commands.',
    );
  const parallel = flags.parallel === undefined ? undefined : parseParallel(flags.parallel);
  if (flags.panel && (flags.mode === 'solo' || flags.mode === 'answer'))
    throw new UsageError(`--panel needs two reviewing agents: --mode pair or invert (not ${flags.mode}).`);
  const session = await openSession(process.cwd(), flags.config);
  if (flags.driver) session.config.roles.driver = flags.driver;
  if (flags.skeptic) session.config.roles.skeptic = flags.skeptic;
  if (parallel !== undefined) session.config.parallel = parallel;
  // Everything below is checked before the run exists: no record, no branch, no token spent on a run that cannot
  // finish. createRunState only builds the record (auto mode routes it by risk and headroom), so the roles checked
  // are the ones the run will have.
  const state = createRunState(
    session.ports as EnginePorts,
    {
      task,
      mode: flags.mode ?? session.config.mode ?? 'pair',
      options: {
        verify: flags.verify ?? [],
        includeUncommitted: !!flags.includeUncommitted,
        apply: !!flags.apply,
        ...(flags.panel ? { panel: true } : {}),
      },
      configPath: session.configPath,
    },
    session.repoRoot,
  );
  locateAgents(session.config, state.roles, session.repoRoot);
  const lonePanel = panelWarning(session.config, state.roles, session.repoRoot);
  const verify = givenCommands([
    { source: 'flag', commands: flags.verify },
    { source: 'config', commands: session.config.verify },
  ]);
  await checkVerifyCommands(verify, session.repoRoot);
  const warnings = [
    ...(await verifyWarnings(session.ports.gate, session.repoRoot, verify, state.mode)),
    ...(lonePanel ? [lonePanel] : []),
  ];
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);

  prepareRecords(session);
  // Owned by this process from the first write (a detached run's background process takes it over a moment later),
  // so no reader ever sees a fresh run as interrupted.
  state.owner = ownerRecord(process.pid);
  session.store.save(state);
  // duo's own set-up files (what `duo init` wrote, untouched since) are not the user's changes.
  const setup = new Set(untouchedSetupFiles(session.repoRoot));
  const dirty = (await session.ports.workspace.userTreeState()).dirty.filter((p) => !setup.has(p));
  // Said even with --json (it goes to stderr): a user must know their uncommitted work is not in the run.
  if (dirty.length && !flags.includeUncommitted && !flags.quiet) {
    process.stderr.write(
      `note: your ${dirty.length} uncommitted change(s) are not part of this run and will not be touched ` +
        '(--include-uncommitted bases the run on them).\n',
    );
  }
  if (flags.detach) {
    if (state.triage && !flags.json && !flags.quiet) process.stderr.write(`auto: ${state.triage.reason}\n`);
    printDetached(await launchDetached(session, state.runId), flags.json);
    return 0;
  }
  if (!flags.json && !flags.quiet) {
    process.stderr.write(`duo ${state.runId}: ${state.mode} run on branch duo/${state.runId}\n`);
    if (state.triage) process.stderr.write(`auto: ${state.triage.reason}\n`);
  }
  if (!state.triage && !flags.quiet) warnIfOut(session, state);
  return drive(session, state, flags, warnings);
}

function parseParallel(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 16)
    throw new UsageError(`--parallel takes a whole number from 1 to 16 (got "${value}").`);
  return n;
}

export async function resumeCommand(ref: string | undefined, flags: ResumeFlags): Promise<number> {
  // The background process of a detached run: wait for the parent's go first.
  if (flags.detachedChild) await awaitGo();
  // The run's own configuration (kept in its record), unless --config replaces it on purpose.
  const { session, state, configNote } = await openRunSession(process.cwd(), ref, flags.config);
  const runId = state.runId;
  const until = state.status === 'paused' ? state.pause?.until : null;
  if (until && Date.parse(until) > Date.now() && !flags.quiet)
    process.stderr.write(
      `note: ${state.pause?.agent}'s limit resets at ${new Date(until).toLocaleTimeString()}; resuming before that may pause again.\n`,
    );
  const replace = flags.verify ?? [];
  const finished = ['green', 'red', 'unverified', 'answered'].includes(state.status);
  // A finished run has nothing to resume, unless its gate is to run again with other commands.
  if (finished && (replace.length === 0 || state.mode === 'answer')) {
    if (flags.json) printJson(runSummary(state, session.store) satisfies RunCommandJson);
    else
      process.stderr.write(
        `run ${runId} already finished (${state.status}); nothing to resume` +
          `${state.mode === 'answer' ? '' : ' (`--verify "<cmd>"` runs its gate again with other commands)'}.\n`,
      );
    return exitCodeFor(state);
  }
  if ('workspace' in state.steps && !(await existingRunBranches(session.repoRoot)).has(runId))
    throw new UsageError(branchGone(runId, 'it cannot be resumed'));
  locateAgents(session.config, state.roles, session.repoRoot);
  if (configNote && !flags.quiet) process.stderr.write(`note: ${configNote}\n`);
  let warnings: string[] = [];
  if (replace.length) {
    await checkVerifyCommands(replace, session.repoRoot);
    warnings = await verifyWarnings(session.ports.gate, session.repoRoot, replace, state.mode);
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    replaceVerifyCommands(state, replace);
    process.stderr.write(
      `verify commands replaced: ${replace.map((c) => `"${c}"`).join(', ')}; the run's earlier verify results ` +
        'are set aside and the gate runs again with these.\n',
    );
  }
  if (flags.detach) {
    if (effectiveStatus(state) === 'running')
      throw new UsageError(
        `run ${runId} is already running (process ${state.owner?.pid}); \`duo wait ${runId}\` follows it.`,
      );
    // The background process resumes what is on disk: the replaced verify commands and configuration included.
    if (replace.length || configNote) session.store.save(state);
    prepareRecords(session);
    printDetached(await launchDetached(session, runId), flags.json);
    return 0;
  }
  return drive(session, state, flags, warnings);
}

/**
 * `resume --verify`: the run's commands become these, and every journaled step that depends on the gate (keys under
 * `verify/` and `gate/`) is dropped, so the replay runs the gate — and whatever follows from it — again.
 */
function replaceVerifyCommands(state: RunState, commands: string[]): void {
  state.options.verify = commands;
  for (const key of Object.keys(state.steps)) {
    if (key.startsWith('verify/') || key.startsWith('gate/')) delete state.steps[key];
  }
}

/** Runs the engine with a lock, Ctrl-C handling and the live view; prints the result. */
export async function drive(
  session: Session,
  state: RunState,
  flags: { yes?: boolean; json?: boolean; quiet?: boolean; detachedChild?: boolean },
  warnings: string[] = [],
): Promise<number> {
  prepareRecords(session);
  const release = acquireRunLock(session.store.dir(state.runId));
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    // A background run is stopped by `duo cancel`, with no keyboard to press Ctrl-C on again.
    process.stderr.write(
      flags.detachedChild
        ? '\nstopping the agents and saving the run…\n'
        : '\nstopping the agents and saving the run… (Ctrl-C again to quit at once)\n',
    );
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const view = progressView(process.stderr, !!flags.quiet);
  let final: RunState;
  try {
    final = await executeRun(
      {
        ...session.ports,
        progress: (e) => view.onEvent(e),
        signal: controller.signal,
        ...(canPrompt(flags) ? { decider: terminalDecider({ root: session.repoRoot, runId: state.runId }) } : {}),
      },
      state,
    );
  } finally {
    view.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    release();
  }
  const apply = final.options.apply ? await applyAtTheEnd(session, final, !!flags.json) : null;
  // `apply` in the JSON: a green run whose change could not be brought over is not a success (exit 1).
  if (flags.json) printJson({ ...runSummary(final, session.store, warnings), apply } satisfies RunCommandJson);
  else printHuman(final, session.store);
  // The human block above already ends with the next step; the JSON does not, so stderr says it.
  if (flags.json && (final.status === 'interrupted' || final.status === 'paused'))
    process.stderr.write(`resume with: duo resume ${final.runId}\n`);
  return apply && !apply.applied && final.status === 'green' ? 1 : exitCodeFor(final);
}

/** `run --apply`: a green run's change into the working tree; any other outcome says why it was not applied. */
async function applyAtTheEnd(session: Session, final: RunState, json: boolean): Promise<ApplyOutcome> {
  if (final.status !== 'green' || !final.worktree)
    return {
      applied: false,
      files: [],
      conflicts: [],
      message: `not applied: the run is ${final.status}, and --apply brings in green runs only`,
    };
  const outcome = await applyToTree(session, final);
  if (outcome.applied) {
    final.notes.push(`Applied to your working tree: ${outcome.files.join(', ') || '(no files)'}`);
    if (!json) process.stderr.write(`applied ${outcome.files.length} file(s) to your working tree\n`);
  } else {
    // The run itself is green and kept; only bringing it over failed, and nothing of the user's was touched.
    final.notes.push(`Not applied: ${outcome.message}`);
    process.stderr.write(`duo: the run is green but was not applied: ${outcome.message}\n`);
  }
  session.store.save(final);
  await session.store.writeArtifacts(final);
  return outcome;
}

/** A mode chosen by hand on an agent that is out of room: say so before the run pauses at its first call. */
function warnIfOut(session: Session, state: RunState): void {
  const agents = [...new Set([state.roles.driver, state.roles.skeptic, state.roles.dispatcher].filter(Boolean))];
  for (const agent of agents as string[]) {
    const h = session.budget.headroom(agent);
    if (h.level !== 'out') continue;
    process.stderr.write(
      `note: ${agent} is out of room (${h.why}); the run will pause when it needs ${agent}. ` +
        '`--mode auto` routes around it; `duo budget` shows the figures.\n',
    );
  }
}
