/**
 * argv → command. Returns the exit code; never calls process.exit itself (tests drive it in-process too).
 *
 * Start-up is paid by every command, so this file loads almost nothing: commander once argv is known not to be a
 * typo, and each command's module (with zod, execa, clack) only when that command runs. `duo --help` and
 * `duo log` never load the schemas or the subprocess library.
 */

import { createRequire } from 'node:module';
import { MODES } from '../config/modes.js';
import { shapeOf, shorthandMistake } from './argv.js';
import { UsageError } from './errors.js';
import { printJson } from './json.js';
import { duoVersion } from './version.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export async function main(argv: string[], opts: { invert?: boolean } = {}): Promise<number> {
  const bin = opts.invert ? 'duox' : 'duo';
  const { json } = shapeOf(argv);
  try {
    // Before anything is loaded or created: `duo lgo` is a typo, not a paid run with the task "lgo".
    const mistake = shorthandMistake(argv, bin);
    if (mistake) throw new UsageError(mistake);
    // A bare `duo` is a question, not a mistake: the help answers it.
    if (argv.length === 0 || (argv.length === 1 && ['--help', '-h', 'help'].includes(argv[0]!))) {
      process.stdout.write((await import('./help.js')).topLevelHelp(bin, !!opts.invert));
      return 0;
    }
    // The commonest read, `duo log [--json]`, has nothing for the argument parser to do: skip loading it.
    if (argv[0] === 'log' && argv.slice(1).every((a) => a === '--json'))
      return await (await import('./commands/log.js')).logCommand({ json });
    return await parse(argv, bin, !!opts.invert);
  } catch (e) {
    return reportError(e, bin, json);
  }
}

async function parse(argv: string[], bin: string, invert: boolean): Promise<number> {
  // commander is CommonJS: require() skips the ESM wrapper's export analysis, a few ms of every start-up.
  // The command table (cli/help.ts) is only read here and for --help: `duo log`'s fast path never loads it.
  const { COMMAND_TABLE, description, examples, RUN_REF_HELP, usage, WAIT_EXIT_CODES } = await import('./help.js');
  const { Argument, Command, Option } = createRequire(import.meta.url)('commander') as typeof import('commander');
  let code = 0;
  const program = new Command(bin)
    .description(description(invert))
    .usage(usage(bin))
    .version(duoVersion(), '-V, --version', "print duo's version")
    .exitOverride()
    .showHelpAfterError(`(${bin} --help for usage)`)
    .addHelpText('after', examples(bin));

  const runOptions = (cmd: InstanceType<typeof Command>) =>
    cmd
      .addOption(
        new Option('--mode <mode>', `${MODES.join(' | ')} (default: "mode" in the config, else pair)`)
          .choices(MODES)
          .default(invert ? 'invert' : undefined),
      )
      .option('--driver <agent>', 'agent for the driver role (default: claude)')
      .option('--skeptic <agent>', 'agent for the skeptic role (default: codex)')
      .option('--verify <cmd>', 'a verify command duo runs itself (repeatable); default: detected', collect)
      .option(
        '--include-uncommitted',
        'base the run on a snapshot of your uncommitted changes (your tree is not touched)',
      )
      .option('--apply', 'apply the result to your working tree when the run is green')
      .option('--parallel <n>', 'independent sub-tasks run at most n at a time (default: 2, or "parallel" in config)')
      .option('-y, --yes', 'never prompt: a decision card stops the run (exit 3) for `duo decide`')
      .option('--json', 'print one JSON object with the result on stdout')
      .option('-q, --quiet', 'no progress output')
      .option('--detach', 'run in the background: print the run id at once (--json: {runId, status, pid})')
      .option(
        '--panel',
        'both agents review the diff, independently and in parallel (findings labelled by who caught them)',
      )
      .option('--config <file>', 'config file (default: duo.config.json in the repo root)');

  runOptions(
    program
      .command('run', { isDefault: true })
      .description(COMMAND_TABLE.run.description)
      .argument('[task...]', 'what to do ("-": read it from stdin)'),
  ).action(async (task: string[], flags) => {
    code = await (await import('./commands/run.js')).runCommand(task, flags);
  });
  program
    .command('resume')
    .description(COMMAND_TABLE.resume.description)
    .argument('[runId]', 'the run (default: the newest)')
    .option('--verify <cmd>', "replace the run's verify commands (repeatable); the gate runs again with them", collect)
    .option('-y, --yes', 'never prompt')
    .option('--json', 'print the result as JSON')
    .option('-q, --quiet', 'no progress output')
    .option('--detach', 'continue in the background and print the run id at once')
    .addOption(new Option('--detached-child').hideHelp())
    .option('--config <file>', 'config file')
    .addHelpText('after', `\n${RUN_REF_HELP}`)
    .action(async (runId: string | undefined, flags) => {
      code = await (await import('./commands/run.js')).resumeCommand(runId, flags);
    });
  program
    .command('decide')
    .description(COMMAND_TABLE.decide.description)
    .argument('<runId>')
    .argument('<cardId>')
    .option('--pick <choice>', 'driver | skeptic (any case) | "<your own decision>" (required)')
    .option('--amend', 'replace the decision on this card, as long as no step of the run has used it yet')
    .option('--rule [text]', 'keep the decision as a house rule in .duo/RULES.md (optionally in these words)')
    .option('--json', 'print the recorded decision as JSON')
    .option('--config <file>', 'config file')
    .addHelpText('after', `\n${RUN_REF_HELP}`)
    .action(async (runId: string, cardId: string, flags) => {
      code = await (await import('./commands/decide.js')).decideCommand(runId, cardId, flags);
    });
  program
    .command('log')
    .description(COMMAND_TABLE.log.description)
    .option('--search <text>', 'only runs whose task, findings, rebuttals, disagreements or decisions hold every word')
    .option('--status <status>', 'only these statuses, e.g. red,paused (repeatable)', collect)
    .option('--mode <mode>', 'only these modes: pair, invert, solo, answer, review, or auto for auto-routed', collect)
    .option('--since <when>', 'only runs since: 7d, 24h, 2w, or a date like 2026-01-31')
    .option('--limit <n>', 'at most n runs (default 20; 0 for all)')
    .option('--all-repos', 'every repository you ran duo in')
    .option('--html', 'write the record page, .duo/index.html: every run, searchable, with charts; print its path')
    .option('--open', 'with --html: open the page in your browser')
    .option('--json', 'as JSON')
    .option('--config <file>', 'config file (checked; the list does not need one)')
    .action(async (flags) => {
      code = await (await import('./commands/log.js')).logCommand(flags);
    });
  program
    .command('show')
    .description(COMMAND_TABLE.show.description)
    .argument('[runId]', 'the run (default: the newest)')
    .option('--json', 'the run as JSON')
    .option('--html', "write the run's page (report.html beside report.md) and print its path")
    .option('--open', 'with --html: open the page in your browser')
    .option('--config <file>', 'config file')
    .addHelpText('after', `\n${RUN_REF_HELP}`)
    .action(async (runId: string | undefined, flags) => {
      code = await (await import('./commands/records.js')).showCommand(runId, flags);
    });
  program
    .command('diff')
    .description(COMMAND_TABLE.diff.description)
    .argument('[runId]', 'the run (default: the newest)')
    .option('--stat', 'only the files and how many lines each gained and lost')
    .option('--json', 'the files and the patch as JSON')
    .option('--no-pager', 'print straight to the terminal')
    .option('--config <file>', 'config file')
    .addHelpText('after', `\n${RUN_REF_HELP}`)
    .action(async (runId: string | undefined, flags) => {
      code = await (await import('./commands/diff.js')).diffCommand(runId, flags);
    });
  program
    .command('apply')
    .description(COMMAND_TABLE.apply.description)
    .argument('[runId]', 'the run (default: the newest)')
    .option('--force', 'apply a red or unverified run anyway, or an applied one again')
    .option('--json', 'print what was applied (or why not) as JSON')
    .option('--config <file>', 'config file')
    .addHelpText('after', `\n${RUN_REF_HELP}`)
    .action(async (runId: string | undefined, flags) => {
      code = await (await import('./commands/apply.js')).applyCommand(runId, flags);
    });
  program
    .command('clean')
    .description(COMMAND_TABLE.clean.description)
    .argument('[runIds...]')
    .option('--all', 'remove the records too')
    .option('--force', 'also runs that can still be resumed or applied')
    .option('--json', 'print what was removed and what was kept as JSON')
    .option('--config <file>', 'config file')
    .action(async (runIds: string[], flags) => {
      code = await (await import('./commands/workspace.js')).cleanCommand(runIds, flags);
    });
  program
    .command('doctor')
    .description(COMMAND_TABLE.doctor.description)
    .option('--json', 'as JSON')
    .option('--config <file>', 'config file')
    .action(async (flags) => {
      code = await (await import('./commands/doctor.js')).doctorCommand(flags);
    });

  program
    .command('budget')
    .description(COMMAND_TABLE.budget.description)
    .argument('[task...]', 'a task to show the auto-mode choice for')
    .option('--json', 'as JSON')
    .option('--config <file>', 'config file')
    .action(async (task: string[], flags) => {
      code = await (await import('./commands/budget.js')).budgetCommand(task, flags);
    });
  program
    .command('stats')
    .description(COMMAND_TABLE.stats.description)
    .option('--since <when>', 'only runs since: 7d, 2w, or a date like 2026-01-31')
    .option('--all-repos', 'every repository you ran duo in')
    .option('--json', 'as JSON')
    .option('--config <file>', 'config file')
    .action(async (flags) => {
      code = await (await import('./commands/stats.js')).statsCommand(flags);
    });
  const memory = program
    .command('memory')
    .description(COMMAND_TABLE.memory.description)
    .option('--all-repos', 'every repository you ran duo in')
    .option('--json', 'as JSON')
    .option('--config <file>', 'config file')
    .action(async (flags) => {
      code = await (await import('./commands/memory.js')).memoryCommand(flags);
    });
  memory
    .command('forget')
    .description('revoke a declined finding: later runs may raise it again')
    .argument('<fingerprint>', 'its fingerprint, or an unambiguous prefix (`duo memory` lists them)')
    .option('--json', 'as JSON')
    .option('--config <file>', 'config file')
    // `duo memory forget <fp> --json`: commander gives --json to `memory` (it has one too); read both.
    .action(async (fingerprint: string, _flags, cmd: InstanceType<typeof Command>) => {
      code = await (await import('./commands/memory.js')).memoryForgetCommand(fingerprint, cmd.optsWithGlobals());
    });
  program
    .command('review')
    .description(COMMAND_TABLE.review.description)
    .argument('[focus...]', 'what the skeptic should look at especially (optional)')
    .option('--staged', 'review only the staged changes')
    .option('--base <ref>', 'review what HEAD adds over <ref> (a branch or PR range), from their merge-base')
    .option('--answer', 'the driver answers the findings: rebut, or fix on the run branch (then `duo apply`)')
    .option('--panel', 'both agents review, independently and in parallel (findings labelled by who caught them)')
    .option('--verify <cmd>', 'a verify command duo runs itself (repeatable); default: detected', collect)
    .option('--driver <agent>', 'agent that answers with --answer (default: claude)')
    .option('--skeptic <agent>', 'agent that reviews (default: codex)')
    .option('-y, --yes', 'never prompt')
    .option('--json', 'print one JSON object with the result on stdout')
    .option('-q, --quiet', 'no progress output')
    .option('--detach', 'run in the background and print the run id at once')
    .option('--config <file>', 'config file')
    .action(async (focus: string[], flags) => {
      code = await (await import('./commands/review.js')).reviewCommand(focus, flags);
    });
  program
    .command('status')
    .description(COMMAND_TABLE.status.description)
    .argument('[runId]', 'the run (default: the newest)')
    .option('--json', 'as JSON')
    .option('--config <file>', 'config file')
    .addHelpText('after', `\n${RUN_REF_HELP}`)
    .action(async (runId: string | undefined, flags) => {
      code = await (await import('./commands/status.js')).statusCommand(runId, flags);
    });
  program
    .command('wait')
    .description(COMMAND_TABLE.wait.description)
    .argument('[runId]', 'the run (default: the newest)')
    .option('--timeout <seconds>', 'stop waiting after this long (exit 4; the run goes on)')
    .option('--json', 'print the result as JSON')
    .option('-q, --quiet', 'no progress output')
    .option('--config <file>', 'config file')
    .addHelpText(
      'after',
      `\nExit codes:\n${WAIT_EXIT_CODES.map(([c, what]) => `  ${c.padEnd(4)}${what}`).join('\n')}\n\n${RUN_REF_HELP}`,
    )
    .action(async (runId: string | undefined, flags) => {
      code = await (await import('./commands/wait.js')).waitCommand(runId, flags);
    });
  program
    .command('cancel')
    .description(COMMAND_TABLE.cancel.description)
    .argument('<runId>', 'the run (`last`: the newest)')
    .option('--timeout <seconds>', 'how long to let it save before forcing it (default 30)')
    .option('--json', 'as JSON')
    .option('--config <file>', 'config file')
    .action(async (runId: string, flags) => {
      code = await (await import('./commands/cancel.js')).cancelCommand(runId, flags);
    });
  program
    .command('init')
    .description(COMMAND_TABLE.init.description)
    .option('--claude', 'Claude Code: the /duo and /duox commands and the plugin (/duo:review, /duo:status, …)')
    .option('--review-gate', 'Claude Code: a stop-time review gate (`duo review` when Claude is about to stop)')
    .option('--codex', 'Codex: the duo and duox skills (and prompts for older Codex versions)')
    .option('--mcp', 'register `duo mcp` with Claude Code and/or Codex')
    .option('--scope <scope>', 'user (default: for you, everywhere) or project (this repository)')
    .option('--allow-decide', 'Claude Code: let `duo decide` and `duo resume` run without asking you first')
    .option('-y, --yes', 'ask nothing: take the detected verify commands')
    .option('--json', 'print what was done as JSON')
    .action(async (flags) => {
      code = await (await import('./commands/init.js')).initCommand(flags);
    });
  evalCommands(program.command('eval').description(COMMAND_TABLE.eval.description), (c) => {
    code = c;
  });
  program
    .command('mcp')
    .description(COMMAND_TABLE.mcp.description)
    .action(async () => {
      code = await (await import('./commands/mcp.js')).mcpCommand();
    });
  program
    .command('completion')
    .description(COMMAND_TABLE.completion.description)
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
    .action(async (shell: string) => {
      code = (await import('./commands/completion.js')).completionCommand(program, shell);
    });
  program
    .command('hook', { hidden: true })
    .description("agent hooks: `duo hook stop` is Claude Code's stop-time review gate")
    .argument('<event>')
    .action(async (event: string) => {
      code = await (await import('./commands/hook.js')).hookCommand(event);
    });

  await program.parseAsync(argv, { from: 'user' });
  return code;
}

/** `duo eval mine | run | report | merge`. */
function evalCommands(cmd: import('commander').Command, done: (code: number) => void): void {
  const load = () => import('./commands/eval.js');
  cmd
    .command('mine')
    .description("turn the history into tasks: commits that change code and tests, with the tests' fail → pass")
    .option('--since <when>', 'only commits since: 30d, 2w, or a date like 2026-01-31')
    .option('--limit <n>', 'stop after n tasks')
    .option('--paths <glob>', 'only commits whose code changes match (repeatable)', collect)
    .option('-o, --output <file>', 'the task file (default .duo/eval/tasks.jsonl; "-": stdout)')
    .option('--verify <cmd>', 'the test commands (repeatable); default: the config, else detected', collect)
    .option('--json', 'a summary as JSON')
    .option('-q, --quiet', 'no progress output')
    .option('--config <file>', 'config file')
    .action(async (flags) => done(await (await load()).mineCommand(flags)));
  cmd
    .command('run')
    .description('run each task in each mode in a sealed checkout, grade it with the hidden tests, and report')
    .argument('<tasks>', 'a task file (JSONL, SWE-bench fields)')
    .option('--modes <list>', `comma list of ${['solo', 'pair', 'invert', 'auto'].join(', ')}`, 'solo,pair')
    .option('--repeat <k>', 'run each task k times per mode (default 1)')
    .option('--parallel <n>', 'runs at a time (default 1)')
    .option('--budget <usd>', 'stop starting runs once this much is spent (and cap each run at what is left)')
    .option(
      '--impossible',
      "the impossible variant: each task's tests are changed to contradict it; passing them is cheating",
    )
    .option('--shard <i/n>', 'run only slice i of n of the tasks (merge the folders with `duo eval merge`)')
    .option('--out <dir>', 'results folder (default .duo/eval/<task file name>)')
    .option('--keep-checkouts', "keep each run's sealed checkout (default: removed once graded; the record is kept)")
    .option('-y, --yes', 'do not ask before starting')
    .option('--json', 'print the result and the report as JSON')
    .option('-q, --quiet', 'no progress output')
    .option('--config <file>', 'config file (the agents the runs use)')
    .action(async (tasks: string, flags) =>
      done(await (await import('./commands/eval-run.js')).evalRunCommand(tasks, flags)),
    );
  cmd
    .command('report')
    .description('the report of an eval folder (default: the newest under .duo/eval)')
    .argument('[dir]')
    .option('--json', 'as JSON')
    .option('--html [file]', 'also write it as a self-contained HTML file (default <dir>/report.html)')
    .action(async (dir: string | undefined, flags) => done(await (await load()).reportCommand(dir, flags)));
  cmd
    .command('merge')
    .description("put shards' folders together into one eval and print its report")
    .argument('<dirs...>')
    .option('-o, --out <dir>', 'the merged folder (default .duo/eval/merged)')
    .option('--json', 'the report as JSON')
    .action(async (dirs: string[], flags) => done(await (await load()).mergeCommand(dirs, flags)));
}

/** Errors that mean "duo was called wrongly or in the wrong place" (exit 2), by name so none has to be loaded. */
const USAGE_ERRORS = new Set([
  'UsageError',
  'ConfigError',
  'RecordError',
  'NotARepoError',
  'RepoError',
  'LockedError',
  'EvalInputError',
]);

function reportError(e: unknown, bin: string, json: boolean): number {
  const err = e as Error & { code?: string; exitCode?: number; hint?: string };
  if (err?.name === 'CommanderError') {
    // Commander has printed its own message (and help, for --help / --version).
    if (err.exitCode === 0) return 0;
    if (json)
      printJson({ error: { message: err.message.replace(/^error: /, ''), hint: `${bin} --help` }, exitCode: 2 });
    return 2;
  }
  const usage = USAGE_ERRORS.has(err?.name ?? '');
  const hint = typeof err?.hint === 'string' && err.hint ? err.hint : null;
  const code = usage ? 2 : 1;
  const message = err instanceof Error ? err.message : String(e);
  process.stderr.write(`${bin}: ${message}\n`);
  // Said on its own line unless the message already ends with it.
  if (hint && !message.includes(hint)) process.stderr.write(`what to do: ${hint}\n`);
  if (!usage && !hint && process.env.DUO_DEBUG) process.stderr.write(`${err?.stack}\n`);
  if (json) printJson({ error: { message, hint }, exitCode: code });
  return code;
}
