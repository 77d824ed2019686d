/**
 * The command table and the top-level help. `duo --help` (and a bare `duo`) is rendered from this table without
 * loading commander; `<command> --help` is commander's, built from the same descriptions in main.ts. The table
 * holds every command, for commander and for the top-level help.
 */
export const COMMAND_TABLE = {
  run: { args: '[options] [task...]', description: 'run a task through plan → implement → review → verify' },
  resume: {
    args: '[options] [runId]',
    description: 'continue an interrupted, failed, paused or waiting run from its last completed step',
  },
  decide: {
    args: '[options] <runId> <cardId>',
    description:
      'record a decision on a card: --pick driver | skeptic | "<text>" (--amend: change it before it is used)',
  },
  log: {
    args: '[options]',
    description: 'list the runs, newest first; --search, --status, --mode, --since, --all-repos; --html: as a page',
  },
  show: {
    args: '[options] [runId]',
    description: "print a run's report (exit code: the run's status); --html writes it as a page",
  },
  diff: { args: '[options] [runId]', description: "the run's change against its base (--stat, --json)" },
  apply: {
    args: '[options] [runId]',
    description: "bring a green run's result into your working tree (uncommitted), keeping your own changes",
  },
  clean: {
    args: '[options] [runIds...]',
    description: 'remove the branches and worktrees of applied or finished runs (--force: the others too)',
  },
  doctor: { args: '[options]', description: 'check the configured agents: installed, version, logged in (no tokens)' },
  budget: {
    args: '[options] [task...]',
    description: "each agent's plan headroom, duo's spend today and this week, and what --mode auto would choose now",
  },
  stats: {
    args: '[options]',
    description: "the skeptic's track record: findings and how they ended, approvals and claims the gate contradicted",
  },
  memory: {
    args: '[options] [forget <fingerprint>]',
    description: 'the findings this repository declined before (later runs mark them repeats) and its house rules',
  },
  review: {
    args: '[options] [focus...]',
    description: 'the adversarial review and the verify gate alone, on what you already have (your files untouched)',
  },
  status: {
    args: '[options] [runId]',
    description: 'where a run is: phase, round, what each agent is doing, elapsed, next step',
  },
  wait: {
    args: '[options] [runId]',
    description:
      "wait for a run to finish; exit code = the run's (0, 1, 3, 75, 130), or 4 if still running at --timeout",
  },
  cancel: {
    args: '[options] <runId>',
    description: 'stop a running run cleanly (saved as interrupted; `duo resume` continues it)',
  },
  init: {
    args: '[options]',
    description: 'set duo up here: a commented config, an agent check, and the Claude Code / Codex / MCP integrations',
  },
  eval: {
    args: '<mine|run|report|merge> [options]',
    description:
      'measure on your own history whether the pair beats one agent: mine tasks from commits, run them per mode, report',
  },
  mcp: {
    args: '',
    description: 'serve duo over MCP (stdio): run, review, status, wait, report, runs, decide, resume, apply, cancel',
  },
  completion: {
    args: '<shell>',
    description: 'print a shell completion script for bash, zsh or fish, made from this command table',
  },
} as const;

/** Where a run id goes: what else it may be. Said once, in every such command's help. */
export const RUN_REF_HELP =
  'Run ids: left out or `last` means the newest run; any unique start of an id works (`duo show 20261125-09`).';

/** `duo wait`'s exit codes, for its help and the docs. */
export const WAIT_EXIT_CODES = [
  ['0', 'green (or answered)'],
  ['1', 'red, unverified or failed'],
  ['2', 'usage error (an unknown run, a bad --timeout)'],
  ['3', 'a decision is needed: `duo decide`, then `duo resume`'],
  ['4', 'still running when --timeout passed (the run goes on; wait again)'],
  ['75', "paused until an agent's plan limit resets: `duo resume` after it"],
  ['130', 'interrupted: `duo resume` continues it'],
] as const;

export function description(invert: boolean): string {
  return invert
    ? 'duox: Codex does the heavy lifting (plan, code, self-review in a fresh session); Claude only dispatches and reports.'
    : 'duo: a driver (Claude Code) writes, a skeptic (Codex) attacks the plan and the diff, and nothing ships until your checks run green.';
}

export function usage(bin: string): string {
  return `"<task>" [options]          run a task (same as: ${bin} run "<task>")\n       ${bin} <command> [options]`;
}

export function examples(bin: string): string {
  return [
    '',
    'Examples:',
    `  ${bin} "make the invoice total round half-even"   plan, implement, review and verify a task`,
    `  ${bin} log                                        the runs in this repository`,
    `  ${bin} show                                       the newest run's report (or: ${bin} show <runId>)`,
    `  ${bin} diff --stat                                what the newest run changed`,
  ].join('\n');
}

/** `duo --help`: the same text commander would print, without loading it. `<command> --help` is commander's. */
export function topLevelHelp(bin: string, invert: boolean): string {
  const width = Math.max(60, Math.min(process.stdout.columns || 80, 120));
  const rows: [string, string][] = [
    ...Object.entries(COMMAND_TABLE).map(([name, c]) => [`${name} ${c.args}`, c.description] as [string, string]),
    ['help [command]', 'display help for command'],
  ];
  const options: [string, string][] = [
    ['-V, --version', "print duo's version"],
    ['-h, --help', 'display help for command'],
  ];
  const pad = Math.max(...[...rows, ...options].map(([t]) => t.length)) + 2;
  const wrap = (text: string, indent: number) => {
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(' ')) {
      if (line && indent + line.length + 1 + word.length > width) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
    return lines.join(`\n${' '.repeat(indent)}`);
  };
  const table = (items: [string, string][]) => items.map(([t, d]) => `  ${t.padEnd(pad)}${wrap(d, pad + 2)}`);
  return [
    `Usage: ${bin} ${usage(bin)}`,
    '',
    wrap(description(invert), 0),
    '',
    'Options:',
    ...table(options),
    '',
    'Commands:',
    ...table(rows),
    examples(bin),
    '',
    wrap(RUN_REF_HELP, 0),
    '',
  ].join('\n');
}
