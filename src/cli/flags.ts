/**
 * Every command-line flag, declared once: its spelling, its help, and the type of the value commander hands the
 * command. main.ts adds each command's flags from here (addFlags) and each command takes `FlagValues<…>` of the
 * same list, so a flag's type can no longer drift from its declaration (`--config` was declared fourteen times, and
 * typed by hand in each command besides). A flag whose help differs by command keeps its type: `json.says(…)`.
 *
 * Cheap to load (no imports but commander's types): the command line reads it before it knows which command runs.
 */

import type { Command, Option } from 'commander';
import { EVAL_MODES, MODES } from '../config/modes.js';

/** One flag: `key` is the property commander gives it (its attribute name), `T` the value's type. */
export interface Flag<K extends string = string, T = unknown> {
  readonly key: K;
  readonly spec: string;
  readonly help: string;
  /** Given again, it adds a value: the command gets all of them, in order. */
  readonly repeatable?: boolean;
  readonly choices?: readonly string[];
  readonly defaultValue?: string;
  readonly hidden?: boolean;
  /** The same flag with another help text (its spelling and type unchanged). */
  says(help: string): Flag<K, T>;
  /** Only in the types: the value. */
  readonly _value?: T;
}

type Options = Pick<Flag, 'repeatable' | 'choices' | 'defaultValue' | 'hidden'>;

function flag<T, K extends string = string>(key: K, spec: string, help: string, options: Options = {}): Flag<K, T> {
  return { key, spec, help, ...options, says: (text) => flag<T, K>(key, spec, text, options) };
}

/** The values a command gets for some flags (a union of them), typed by their declarations; absent when not given. */
export type FlagValues<F extends Flag> = { [X in F as X['key']]?: NonNullable<X['_value']> };

/** Adds `flags` to `cmd`; `defaults` supplies a default decided when the command line is read (duox's mode). */
export function addFlags(
  cmd: Command,
  flags: readonly Flag[],
  makeOption: (spec: string, help: string) => Option,
  defaults: Record<string, string | undefined> = {},
): Command {
  for (const f of flags) {
    const option = makeOption(f.spec, f.help);
    if (f.choices) option.choices(f.choices);
    if (f.repeatable) option.argParser((value: string, previous: string[] = []) => [...previous, value]);
    const value = f.key in defaults ? defaults[f.key] : f.defaultValue;
    if (value !== undefined) option.default(value);
    if (f.hidden) option.hideHelp();
    cmd.addOption(option);
  }
  return cmd;
}

// Flags several commands share.
export const config = flag<string, 'config'>('config', '--config <file>', 'config file');
export const json = flag<boolean, 'json'>('json', '--json', 'as JSON');
export const quiet = flag<boolean, 'quiet'>('quiet', '-q, --quiet', 'no progress output');
export const yes = flag<boolean, 'yes'>('yes', '-y, --yes', 'never prompt');
export const detach = flag<boolean, 'detach'>(
  'detach',
  '--detach',
  'run in the background and print the run id at once',
);
export const verify = flag<string[], 'verify'>(
  'verify',
  '--verify <cmd>',
  'a verify command duo runs itself (repeatable); default: detected',
  { repeatable: true },
);
export const driver = flag<string, 'driver'>(
  'driver',
  '--driver <agent>',
  'agent for the driver role (default: claude)',
);
export const skeptic = flag<string, 'skeptic'>(
  'skeptic',
  '--skeptic <agent>',
  'agent for the skeptic role (default: codex)',
);
export const panel = flag<boolean, 'panel'>(
  'panel',
  '--panel',
  'both agents review the diff, independently and in parallel (findings labelled by who caught them)',
);
export const parallel = flag<string, 'parallel'>('parallel', '--parallel <n>', 'runs at a time (default 1)');
export const timeout = flag<string, 'timeout'>('timeout', '--timeout <seconds>', 'stop waiting after this long');
export const force = flag<boolean, 'force'>(
  'force',
  '--force',
  'apply a red or unverified run anyway, or an applied one again',
);
export const htmlPage = flag<boolean, 'html'>('html', '--html', "write the run's page and print its path");
export const open = flag<boolean, 'open'>('open', '--open', 'with --html: open the page in your browser');
export const since = flag<string, 'since'>(
  'since',
  '--since <when>',
  'only runs since: 7d, 2w, or a date like 2026-01-31',
);
export const limit = flag<string, 'limit'>('limit', '--limit <n>', 'at most n runs (default 20; 0 for all)');
export const allRepos = flag<boolean, 'allRepos'>('allRepos', '--all-repos', 'every repository you ran duo in');

// duo run / duox
export const runMode = flag<(typeof MODES)[number], 'mode'>(
  'mode',
  '--mode <mode>',
  `${MODES.join(' | ')} (default: "mode" in the config, else pair)`,
  { choices: MODES },
);
export const includeUncommitted = flag<boolean, 'includeUncommitted'>(
  'includeUncommitted',
  '--include-uncommitted',
  'base the run on a snapshot of your uncommitted changes (your tree is not touched)',
);
export const apply = flag<boolean, 'apply'>(
  'apply',
  '--apply',
  'apply the result to your working tree when the run is green',
);
/** Internal: this process is the background half of `--detach` (detach.ts). */
export const detachedChild = flag<boolean, 'detachedChild'>('detachedChild', '--detached-child', 'internal', {
  hidden: true,
});

/** `duo run` (and duox): the flags of a new run. */
export const RUN_FLAGS = [
  runMode,
  driver,
  skeptic,
  verify,
  includeUncommitted,
  apply,
  parallel.says('independent sub-tasks run at most n at a time (default: 2, or "parallel" in config)'),
  yes.says('never prompt: a decision card stops the run (exit 3) for `duo decide`'),
  json.says('print one JSON object with the result on stdout'),
  quiet,
  detach.says('run in the background: print the run id at once (--json: {runId, status, pid})'),
  panel,
  config.says('config file (default: duo.config.json in the repo root)'),
] as const;
export type RunFlags = FlagValues<(typeof RUN_FLAGS)[number]>;

export const RESUME_FLAGS = [
  verify.says("replace the run's verify commands (repeatable); the gate runs again with them"),
  yes,
  json.says('print the result as JSON'),
  quiet,
  detach.says('continue in the background and print the run id at once'),
  detachedChild,
  config,
] as const;
export type ResumeFlags = FlagValues<(typeof RESUME_FLAGS)[number]>;

export const DECIDE_FLAGS = [
  flag<string, 'pick'>('pick', '--pick <choice>', 'driver | skeptic (any case) | "<your own decision>" (required)'),
  flag<boolean, 'amend'>(
    'amend',
    '--amend',
    'replace the decision on this card, as long as no step of the run has used it yet',
  ),
  flag<string | boolean, 'rule'>(
    'rule',
    '--rule [text]',
    'keep the decision as a house rule in .duo/RULES.md (optionally in these words)',
  ),
  json.says('print the recorded decision as JSON'),
  config,
] as const;
export type DecideFlags = FlagValues<(typeof DECIDE_FLAGS)[number]>;

export const LOG_FLAGS = [
  flag<string, 'search'>(
    'search',
    '--search <text>',
    'only runs whose task, findings, rebuttals, disagreements or decisions hold every word',
  ),
  flag<string[], 'status'>('status', '--status <status>', 'only these statuses, e.g. red,paused (repeatable)', {
    repeatable: true,
  }),
  flag<string[], 'mode'>(
    'mode',
    '--mode <mode>',
    'only these modes: pair, invert, solo, answer, review, or auto for auto-routed',
    { repeatable: true },
  ),
  since.says('only runs since: 7d, 24h, 2w, or a date like 2026-01-31'),
  limit,
  allRepos,
  htmlPage.says('write the record page, .duo/index.html: every run, searchable, with charts; print its path'),
  open,
  json,
  config.says('config file (checked; the list does not need one)'),
] as const;
export type LogFlags = FlagValues<(typeof LOG_FLAGS)[number]>;

export const SHOW_FLAGS = [
  json.says('the run as JSON'),
  htmlPage.says("write the run's page (report.html beside report.md) and print its path"),
  open,
  config,
] as const;
export type ShowFlags = FlagValues<(typeof SHOW_FLAGS)[number]>;

export const DIFF_FLAGS = [
  flag<boolean, 'stat'>('stat', '--stat', 'only the files and how many lines each gained and lost'),
  json.says('the files and the patch as JSON'),
  /** commander's --no-pager: false when given. */
  flag<boolean, 'pager'>('pager', '--no-pager', 'print straight to the terminal'),
  config,
] as const;
export type DiffFlags = FlagValues<(typeof DIFF_FLAGS)[number]>;

export const APPLY_FLAGS = [force, json.says('print what was applied (or why not) as JSON'), config] as const;
export type ApplyFlags = FlagValues<(typeof APPLY_FLAGS)[number]>;

export const CLEAN_FLAGS = [
  flag<boolean, 'all'>('all', '--all', 'remove the records too'),
  force.says('also runs that can still be resumed or applied'),
  json.says('print what was removed and what was kept as JSON'),
  config,
] as const;
export type CleanFlags = FlagValues<(typeof CLEAN_FLAGS)[number]>;

/** doctor, budget, status: JSON and a config file. */
export const READ_FLAGS = [json, config] as const;
export type ReadFlags = FlagValues<(typeof READ_FLAGS)[number]>;

export const STATS_FLAGS = [since, allRepos, json, config] as const;
export type StatsFlags = FlagValues<(typeof STATS_FLAGS)[number]>;

export const MEMORY_FLAGS = [allRepos, json, config] as const;
export type MemoryFlags = FlagValues<(typeof MEMORY_FLAGS)[number]>;

export const REVIEW_FLAGS = [
  flag<boolean, 'staged'>('staged', '--staged', 'review only the staged changes'),
  flag<string, 'base'>(
    'base',
    '--base <ref>',
    'review what HEAD adds over <ref> (a branch or PR range), from their merge-base',
  ),
  flag<boolean, 'answer'>(
    'answer',
    '--answer',
    'the driver answers the findings: rebut, or fix on the run branch (then `duo apply`)',
  ),
  panel.says('both agents review, independently and in parallel (findings labelled by who caught them)'),
  verify,
  driver.says('agent that answers with --answer (default: claude)'),
  skeptic.says('agent that reviews (default: codex)'),
  yes,
  json.says('print one JSON object with the result on stdout'),
  quiet,
  detach,
  config,
] as const;
export type ReviewFlags = FlagValues<(typeof REVIEW_FLAGS)[number]>;

export const WAIT_FLAGS = [
  timeout.says('stop waiting after this long (exit 4; the run goes on)'),
  json.says('print the result as JSON'),
  quiet,
  config,
] as const;
export type WaitFlags = FlagValues<(typeof WAIT_FLAGS)[number]>;

export const CANCEL_FLAGS = [
  timeout.says('how long to let it save before forcing it (default 30)'),
  json,
  config,
] as const;
export type CancelFlags = FlagValues<(typeof CANCEL_FLAGS)[number]>;

export const INIT_FLAGS = [
  flag<boolean, 'claude'>(
    'claude',
    '--claude',
    'Claude Code: the /duo and /duox commands and the plugin (/duo:review, /duo:status, …)',
  ),
  flag<boolean, 'reviewGate'>(
    'reviewGate',
    '--review-gate',
    'Claude Code: a stop-time review gate (`duo review` when Claude is about to stop)',
  ),
  flag<boolean, 'codex'>('codex', '--codex', 'Codex: the duo and duox skills (and prompts for older Codex versions)'),
  flag<boolean, 'mcp'>('mcp', '--mcp', 'register `duo mcp` with Claude Code and/or Codex'),
  flag<string, 'scope'>('scope', '--scope <scope>', 'user (default: for you, everywhere) or project (this repository)'),
  flag<boolean, 'allowDecide'>(
    'allowDecide',
    '--allow-decide',
    'Claude Code: let `duo decide` and `duo resume` run without asking you first',
  ),
  yes.says('ask nothing: take the detected verify commands'),
  json.says('print what was done as JSON'),
] as const;
export type InitFlags = FlagValues<(typeof INIT_FLAGS)[number]>;

export const EVAL_MINE_FLAGS = [
  flag<string, 'since'>('since', '--since <when>', 'only commits since: 30d, 2w, or a date like 2026-01-31'),
  flag<string, 'limit'>('limit', '--limit <n>', 'stop after n tasks'),
  flag<string[], 'paths'>('paths', '--paths <glob>', 'only commits whose code changes match (repeatable)', {
    repeatable: true,
  }),
  flag<string, 'output'>('output', '-o, --output <file>', 'the task file (default .duo/eval/tasks.jsonl; "-": stdout)'),
  verify.says('the test commands (repeatable); default: the config, else detected'),
  json.says('a summary as JSON'),
  quiet,
  config,
] as const;
export type EvalMineFlags = FlagValues<(typeof EVAL_MINE_FLAGS)[number]>;

export const EVAL_RUN_FLAGS = [
  flag<string, 'modes'>('modes', '--modes <list>', `comma list of ${EVAL_MODES.join(', ')}`, {
    defaultValue: 'solo,pair',
  }),
  flag<string, 'repeat'>('repeat', '--repeat <k>', 'run each task k times per mode (default 1)'),
  parallel,
  flag<string, 'budget'>(
    'budget',
    '--budget <usd>',
    'stop starting runs once this much is spent (and cap each run at what is left)',
  ),
  flag<boolean, 'impossible'>(
    'impossible',
    '--impossible',
    "the impossible variant: each task's tests are changed to contradict it; passing them is cheating",
  ),
  flag<string, 'shard'>(
    'shard',
    '--shard <i/n>',
    'run only slice i of n of the tasks (merge the folders with `duo eval merge`)',
  ),
  flag<string, 'out'>('out', '--out <dir>', 'results folder (default .duo/eval/<task file name>)'),
  flag<boolean, 'keepCheckouts'>(
    'keepCheckouts',
    '--keep-checkouts',
    "keep each run's sealed checkout (default: removed once graded; the record is kept)",
  ),
  yes.says('do not ask before starting'),
  json.says('print the result and the report as JSON'),
  quiet,
  config.says('config file (the agents the runs use)'),
] as const;
/** `--modes` has a default: the command always gets it. */
export type EvalRunFlags = FlagValues<(typeof EVAL_RUN_FLAGS)[number]> & { modes: string };

export const EVAL_REPORT_FLAGS = [
  json,
  flag<string | boolean, 'html'>(
    'html',
    '--html [file]',
    'also write it as a self-contained HTML file (default <dir>/report.html)',
  ),
] as const;
export type EvalReportFlags = FlagValues<(typeof EVAL_REPORT_FLAGS)[number]>;

export const EVAL_MERGE_FLAGS = [
  flag<string, 'out'>('out', '-o, --out <dir>', 'the merged folder (default .duo/eval/merged)'),
  json.says('the report as JSON'),
] as const;
export type EvalMergeFlags = FlagValues<(typeof EVAL_MERGE_FLAGS)[number]>;
