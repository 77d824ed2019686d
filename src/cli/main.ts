/**
 * argv → command. Returns the exit code; never calls process.exit itself (tests drive it in-process too).
 *
 * Start-up is paid by every command, so this file loads almost nothing: commander once argv is known not to be a
 * typo, and each command's module (with zod, execa, clack) only when that command runs. `duo --help` and
 * `duo log` never load the schemas or the subprocess library.
 */

import { createRequire } from 'node:module';
import { DuoError, EXIT, UsageError } from '../sys/duo-error.js';
import type { ErrorJson } from '../wire/run.js';
import { shapeOf, shorthandMistake } from './argv.js';
import * as F from './flags.js';
import { printJson } from './json.js';
import { duoVersion } from './version.js';

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

  // Each command's flags come from flags.ts, declared once; duox's default mode is known only here.
  const withFlags = (cmd: InstanceType<typeof Command>, list: readonly F.Flag[], defaults = {}) =>
    F.addFlags(cmd, list, (spec, help) => new Option(spec, help), defaults);

  withFlags(
    program
      .command('run', { isDefault: true })
      .description(COMMAND_TABLE.run.description)
      .argument('[task...]', 'what to do ("-": read it from stdin)'),
    F.RUN_FLAGS,
    { mode: invert ? 'invert' : undefined },
  ).action(async (task: string[], flags) => {
    code = await (await import('./commands/run.js')).runCommand(task, flags);
  });
  withFlags(
    program
      .command('resume')
      .description(COMMAND_TABLE.resume.description)
      .argument('[runId]', 'the run (default: the newest)'),
    F.RESUME_FLAGS,
  )
    .addHelpText('after', `\n${RUN_REF_HELP}`)
    .action(async (runId: string | undefined, flags) => {
      code = await (await import('./commands/run.js')).resumeCommand(runId, flags);
    });
  withFlags(
    program.command('decide').description(COMMAND_TABLE.decide.description).argument('<runId>').argument('<cardId>'),
    F.DECIDE_FLAGS,
  )
    .addHelpText('after', `\n${RUN_REF_HELP}`)
    .action(async (runId: string, cardId: string, flags) => {
      code = await (await import('./commands/decide.js')).decideCommand(runId, cardId, flags);
    });
  withFlags(program.command('log').description(COMMAND_TABLE.log.description), F.LOG_FLAGS).action(async (flags) => {
    code = await (await import('./commands/log.js')).logCommand(flags);
  });
  withFlags(
    program
      .command('show')
      .description(COMMAND_TABLE.show.description)
      .argument('[runId]', 'the run (default: the newest)'),
    F.SHOW_FLAGS,
  )
    .addHelpText('after', `\n${RUN_REF_HELP}`)
    .action(async (runId: string | undefined, flags) => {
      code = await (await import('./commands/records.js')).showCommand(runId, flags);
    });
  withFlags(
    program
      .command('diff')
      .description(COMMAND_TABLE.diff.description)
      .argument('[runId]', 'the run (default: the newest)'),
    F.DIFF_FLAGS,
  )
    .addHelpText('after', `\n${RUN_REF_HELP}`)
    .action(async (runId: string | undefined, flags) => {
      code = await (await import('./commands/diff.js')).diffCommand(runId, flags);
    });
  withFlags(
    program
      .command('apply')
      .description(COMMAND_TABLE.apply.description)
      .argument('[runId]', 'the run (default: the newest)'),
    F.APPLY_FLAGS,
  )
    .addHelpText('after', `\n${RUN_REF_HELP}`)
    .action(async (runId: string | undefined, flags) => {
      code = await (await import('./commands/apply.js')).applyCommand(runId, flags);
    });
  withFlags(
    program.command('clean').description(COMMAND_TABLE.clean.description).argument('[runIds...]'),
    F.CLEAN_FLAGS,
  ).action(async (runIds: string[], flags) => {
    code = await (await import('./commands/workspace.js')).cleanCommand(runIds, flags);
  });
  withFlags(program.command('doctor').description(COMMAND_TABLE.doctor.description), F.READ_FLAGS).action(
    async (flags) => {
      code = await (await import('./commands/doctor.js')).doctorCommand(flags);
    },
  );

  withFlags(
    program
      .command('budget')
      .description(COMMAND_TABLE.budget.description)
      .argument('[task...]', 'a task to show the auto-mode choice for'),
    F.READ_FLAGS,
  ).action(async (task: string[], flags) => {
    code = await (await import('./commands/budget.js')).budgetCommand(task, flags);
  });
  withFlags(program.command('stats').description(COMMAND_TABLE.stats.description), F.STATS_FLAGS).action(
    async (flags) => {
      code = await (await import('./commands/stats.js')).statsCommand(flags);
    },
  );
  const memory = withFlags(
    program.command('memory').description(COMMAND_TABLE.memory.description),
    F.MEMORY_FLAGS,
  ).action(async (flags) => {
    code = await (await import('./commands/memory.js')).memoryCommand(flags);
  });
  withFlags(
    memory
      .command('forget')
      .description('revoke a declined finding: later runs may raise it again')
      .argument('<fingerprint>', 'its fingerprint, or an unambiguous prefix (`duo memory` lists them)'),
    F.READ_FLAGS,
  )
    // `duo memory forget <fp> --json`: commander gives --json to `memory` (it has one too); read both.
    .action(async (fingerprint: string, _flags, cmd: InstanceType<typeof Command>) => {
      code = await (await import('./commands/memory.js')).memoryForgetCommand(fingerprint, cmd.optsWithGlobals());
    });
  withFlags(
    program
      .command('review')
      .description(COMMAND_TABLE.review.description)
      .argument('[focus...]', 'what the skeptic should look at especially (optional)'),
    F.REVIEW_FLAGS,
  ).action(async (focus: string[], flags) => {
    code = await (await import('./commands/review.js')).reviewCommand(focus, flags);
  });
  withFlags(
    program
      .command('status')
      .description(COMMAND_TABLE.status.description)
      .argument('[runId]', 'the run (default: the newest)'),
    F.READ_FLAGS,
  )
    .addHelpText('after', `\n${RUN_REF_HELP}`)
    .action(async (runId: string | undefined, flags) => {
      code = await (await import('./commands/status.js')).statusCommand(runId, flags);
    });
  withFlags(
    program
      .command('wait')
      .description(COMMAND_TABLE.wait.description)
      .argument('[runId]', 'the run (default: the newest)'),
    F.WAIT_FLAGS,
  )
    .addHelpText(
      'after',
      `\nExit codes:\n${WAIT_EXIT_CODES.map(([c, what]) => `  ${c.padEnd(4)}${what}`).join('\n')}\n\n${RUN_REF_HELP}`,
    )
    .action(async (runId: string | undefined, flags) => {
      code = await (await import('./commands/wait.js')).waitCommand(runId, flags);
    });
  withFlags(
    program
      .command('cancel')
      .description(COMMAND_TABLE.cancel.description)
      .argument('<runId>', 'the run (`last`: the newest)'),
    F.CANCEL_FLAGS,
  ).action(async (runId: string, flags) => {
    code = await (await import('./commands/cancel.js')).cancelCommand(runId, flags);
  });
  withFlags(program.command('init').description(COMMAND_TABLE.init.description), F.INIT_FLAGS).action(async (flags) => {
    code = await (await import('./commands/init.js')).initCommand(flags);
  });
  evalCommands(program.command('eval').description(COMMAND_TABLE.eval.description), withFlags, (c) => {
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
function evalCommands(
  cmd: import('commander').Command,
  withFlags: (cmd: import('commander').Command, list: readonly F.Flag[]) => import('commander').Command,
  done: (code: number) => void,
): void {
  const load = () => import('./commands/eval.js');
  withFlags(
    cmd
      .command('mine')
      .description("turn the history into tasks: commits that change code and tests, with the tests' fail → pass"),
    F.EVAL_MINE_FLAGS,
  ).action(async (flags) => done(await (await load()).mineCommand(flags)));
  withFlags(
    cmd
      .command('run')
      .description('run each task in each mode in a sealed checkout, grade it with the hidden tests, and report')
      .argument('<tasks>', 'a task file (JSONL, SWE-bench fields)'),
    F.EVAL_RUN_FLAGS,
  ).action(async (tasks: string, flags) =>
    done(await (await import('./commands/eval-run.js')).evalRunCommand(tasks, flags)),
  );
  withFlags(
    cmd
      .command('report')
      .description('the report of an eval folder (default: the newest under .duo/eval)')
      .argument('[dir]'),
    F.EVAL_REPORT_FLAGS,
  ).action(async (dir: string | undefined, flags) => done(await (await load()).reportCommand(dir, flags)));
  withFlags(
    cmd
      .command('merge')
      .description("put shards' folders together into one eval and print its report")
      .argument('<dirs...>'),
    F.EVAL_MERGE_FLAGS,
  ).action(async (dirs: string[], flags) => done(await (await load()).mergeCommand(dirs, flags)));
}

function reportError(e: unknown, bin: string, json: boolean): number {
  const err = e as Error & { exitCode?: number };
  if (err?.name === 'CommanderError') {
    // Commander has printed its own message (and help, for --help / --version).
    if (err.exitCode === 0) return 0;
    if (json)
      printJson({
        error: { message: err.message.replace(/^error: /, ''), hint: `${bin} --help` },
        exitCode: 2,
      } satisfies ErrorJson);
    return 2;
  }
  // duo's own errors carry their exit code and hint; anything else is a bug in duo (exit 1).
  const known = e instanceof DuoError ? e : null;
  const code = known?.exitCode ?? EXIT.failed;
  const hint = known?.hint || null;
  const message = err instanceof Error ? err.message : String(e);
  process.stderr.write(`${bin}: ${message}\n`);
  // Said on its own line unless the message already ends with it.
  if (hint && !message.includes(hint)) process.stderr.write(`what to do: ${hint}\n`);
  if (code !== EXIT.usage && !hint && process.env.DUO_DEBUG) process.stderr.write(`${err?.stack}\n`);
  if (json) printJson({ error: { message, hint }, exitCode: code } satisfies ErrorJson);
  return code;
}
