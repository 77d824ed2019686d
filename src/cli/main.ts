import { Command, CommanderError, Option } from 'commander';
import { isAgentError } from '../agents/errors.js';
import { ConfigError } from '../config/load.js';
import { Mode } from '../config/schema.js';
import { RecordError } from '../record/store.js';
import { doctorCommand } from './commands/doctor.js';
import { decideCommand, logCommand, showCommand } from './commands/records.js';
import { resumeCommand, runCommand } from './commands/run.js';
import { applyCommand, cleanCommand } from './commands/workspace.js';
import { UsageError } from './errors.js';

const collect = (value: string, previous: string[]) => [...previous, value];

/** argv → command. Returns the exit code; never calls process.exit itself (tests drive it in-process too). */
export async function main(argv: string[], opts: { invert?: boolean } = {}): Promise<number> {
  let code = 0;
  const program = new Command(opts.invert ? 'duox' : 'duo')
    .description(
      opts.invert
        ? 'duox: Codex does the heavy lifting (plan, code, self-review in a fresh session); Claude only dispatches and reports.'
        : 'duo: a driver (Claude Code) writes, a skeptic (Codex) attacks the plan and the diff, and nothing ships until your checks run green.',
    )
    .exitOverride()
    .showHelpAfterError('(duo --help for usage)');

  const runOptions = (cmd: Command) =>
    cmd
      .addOption(
        new Option('--mode <mode>', 'pair | invert | solo | answer | auto')
          .choices(Mode.options)
          .default(opts.invert ? 'invert' : 'pair'),
      )
      .option('--driver <agent>', 'agent for the driver role (default: claude)')
      .option('--skeptic <agent>', 'agent for the skeptic role (default: codex)')
      .option('--verify <cmd>', 'a verify command duo runs itself (repeatable); default: detected', collect, [])
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
      .option('--config <file>', 'config file (default: duo.config.json in the repo root)');

  runOptions(
    program
      .command('run', { isDefault: true })
      .description('run a task through plan → implement → review → verify')
      .argument('[task...]', 'what to do ("-": read it from stdin)'),
  ).action(async (task: string[], flags) => {
    code = await runCommand(task, flags);
  });
  program
    .command('resume')
    .description('continue an interrupted run, or one that waited for a decision, from its last completed step')
    .argument('<runId>')
    .option('-y, --yes', 'never prompt')
    .option('--json', 'print the result as JSON')
    .option('-q, --quiet', 'no progress output')
    .option('--detach', 'continue in the background and print the run id at once')
    .addOption(new Option('--detached-child').hideHelp())
    .option('--config <file>', 'config file')
    .action(async (runId: string, flags) => {
      code = await resumeCommand(runId, flags);
    });
  program
    .command('decide')
    .description('record a decision on a card: --pick driver | skeptic | "<your decision>"')
    .argument('<runId>')
    .argument('<cardId>')
    .requiredOption('--pick <choice>', 'driver | skeptic | "<your own decision>"')
    .option('--config <file>', 'config file')
    .action(async (runId: string, cardId: string, flags) => {
      code = await decideCommand(runId, cardId, flags);
    });
  program
    .command('log')
    .description('list the runs in this repository')
    .option('--json', 'as JSON')
    .option('--config <file>', 'config file')
    .action(async (flags) => {
      code = await logCommand(flags);
    });
  program
    .command('show')
    .description("print a run's report")
    .argument('<runId>')
    .option('--json', 'the run as JSON')
    .option('--config <file>', 'config file')
    .action(async (runId: string, flags) => {
      code = await showCommand(runId, flags);
    });
  program
    .command('apply')
    .description("bring a green run's result into your working tree (uncommitted), keeping your own changes")
    .argument('<runId>')
    .option('--force', 'apply a red or unverified run anyway')
    .option('--config <file>', 'config file')
    .action(async (runId: string, flags) => {
      code = await applyCommand(runId, flags);
    });
  program
    .command('clean')
    .description("remove finished runs' worktrees and branches (records stay unless --all)")
    .argument('[runIds...]')
    .option('--all', 'remove the records too')
    .option('--config <file>', 'config file')
    .action(async (runIds: string[], flags) => {
      code = await cleanCommand(runIds, flags);
    });
  program
    .command('doctor')
    .description('check the configured agents: installed, version, logged in, sandbox (spends no tokens)')
    .option('--json', 'as JSON')
    .option('--config <file>', 'config file')
    .action(async (flags) => {
      code = await doctorCommand(flags);
    });

  program
    .command('review')
    .description('the adversarial review and the verify gate alone, on what you already have (your files untouched)')
    .argument('[focus...]', 'what the skeptic should look at especially (optional)')
    .option('--staged', 'review only the staged changes')
    .option('--base <ref>', 'review what HEAD adds over <ref> (a branch or PR range), from their merge-base')
    .option('--answer', 'the driver answers the findings: rebut, or fix on the run branch (then `duo apply`)')
    .option('--verify <cmd>', 'a verify command duo runs itself (repeatable); default: detected', collect, [])
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
    .description('where a run is: phase, round, what each agent is doing, elapsed, next step (default: newest run)')
    .argument('[runId]')
    .option('--json', 'as JSON')
    .option('--config <file>', 'config file')
    .action(async (runId: string | undefined, flags) => {
      code = await (await import('./commands/status.js')).statusCommand(runId, flags);
    });
  program
    .command('wait')
    .description("wait for a run to finish; exit code = the run's (0, 1, 3, 130), or 4 if still running at --timeout")
    .argument('<runId>')
    .option('--timeout <seconds>', 'stop waiting after this long (exit 4; the run goes on)')
    .option('--json', 'print the result as JSON')
    .option('-q, --quiet', 'no progress output')
    .option('--config <file>', 'config file')
    .action(async (runId: string, flags) => {
      code = await (await import('./commands/wait.js')).waitCommand(runId, flags);
    });
  program
    .command('cancel')
    .description('stop a running run cleanly (saved as interrupted; `duo resume` continues it)')
    .argument('<runId>')
    .option('--timeout <seconds>', 'how long to let it save before forcing it (default 30)')
    .option('--json', 'as JSON')
    .option('--config <file>', 'config file')
    .action(async (runId: string, flags) => {
      code = await (await import('./commands/cancel.js')).cancelCommand(runId, flags);
    });
  program
    .command('init')
    .description('set duo up here: a commented config, an agent check, and the Claude Code / Codex / MCP integrations')
    .option('--claude', 'Claude Code: the /duo and /duox commands and the plugin (/duo:review, /duo:status, …)')
    .option('--review-gate', 'Claude Code: a stop-time review gate (`duo review` when Claude is about to stop)')
    .option('--codex', 'Codex: the duo and duox skills (and prompts for older Codex versions)')
    .option('--mcp', 'register `duo mcp` with Claude Code and/or Codex')
    .option('--scope <scope>', 'user (default: for you, everywhere) or project (this repository)')
    .option('-y, --yes', 'ask nothing: take the detected verify commands')
    .option('--json', 'print what was done as JSON')
    .action(async (flags) => {
      code = await (await import('./commands/init.js')).initCommand(flags);
    });
  program
    .command('mcp')
    .description('serve duo over MCP (stdio): run, review, status, wait, report, runs, decide, resume, cancel')
    .action(async () => {
      code = await (await import('./commands/mcp.js')).mcpCommand();
    });
  program
    .command('hook', { hidden: true })
    .description("agent hooks: `duo hook stop` is Claude Code's stop-time review gate")
    .argument('<event>')
    .action(async (event: string) => {
      code = await (await import('./commands/hook.js')).hookCommand(event);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    const usage = e instanceof UsageError || e instanceof ConfigError || e instanceof RecordError || isUsageLike(e);
    process.stderr.write(`${opts.invert ? 'duox' : 'duo'}: ${(e as Error).message}\n`);
    if (isAgentError(e)) process.stderr.write(`what to do: ${e.hint}\n`);
    if (!usage && !isAgentError(e) && process.env.DUO_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    return usage ? 2 : 1;
  }
}

/** Errors from the workspace that mean "you called duo in the wrong place" (not a repo, no commits, locked); an apply conflict is not one (exit 1). */
function isUsageLike(e: unknown): boolean {
  const name = (e as Error)?.name ?? '';
  return name === 'NotARepoError' || name === 'RepoError' || name === 'LockedError';
}
