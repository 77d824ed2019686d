/**
 * A look at argv before anything is loaded or created: which command it names, and whether a bare word that
 * would become the task of a paid run (`duo lgo`) is really a mistyped command or a one-word "task".
 */

import { nearest } from '../config/nearest.js';

const COMMANDS = [
  'run',
  'resume',
  'decide',
  'log',
  'show',
  'diff',
  'apply',
  'clean',
  'doctor',
  'review',
  'status',
  'wait',
  'cancel',
  'init',
  'mcp',
  'hook',
  'budget',
  'stats',
  'memory',
  'eval',
  'completion',
  'help',
] as const;

/** Options that take a value, so the value is not mistaken for the command or the task. */
const VALUE_OPTIONS = new Set([
  '--mode',
  '--driver',
  '--skeptic',
  '--verify',
  '--parallel',
  '--config',
  '--pick',
  '--base',
  '--timeout',
  '--scope',
  '--search',
  '--status',
  '--since',
  '--limit',
]);

export interface ArgvShape {
  /** The first positional argument (the command, or the first word of a shorthand task). */
  first: string | undefined;
  /** It came after `--`: the user said it is not an option or a command. */
  firstIsLiteral: boolean;
  /** How many positional arguments there are. */
  positionals: number;
  json: boolean;
}

export function shapeOf(argv: readonly string[]): ArgvShape {
  let first: string | undefined;
  let firstIsLiteral = false;
  let positionals = 0;
  let json = false;
  let rest = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!rest && a === '--') {
      rest = true;
      continue;
    }
    if (!rest && a.startsWith('-') && a.length > 1) {
      if (a === '--json') json = true;
      if (VALUE_OPTIONS.has(a)) i++;
      continue;
    }
    if (first === undefined) {
      first = a;
      firstIsLiteral = rest;
    }
    positionals++;
  }
  return { first, firstIsLiteral, positionals, json };
}

/**
 * Why argv must not start a run through the `duo "<task>"` shorthand, or undefined when it may. A word one edit
 * from a command is a typo of it; any other lone word without spaces is not a task anyone means to pay for.
 * `duo run <word>` says it explicitly and is allowed.
 */
export function shorthandMistake(argv: readonly string[], bin: string): string | undefined {
  const { first, firstIsLiteral, positionals } = shapeOf(argv);
  if (first === undefined || firstIsLiteral || (COMMANDS as readonly string[]).includes(first) || /\s/.test(first))
    return undefined;
  const near = nearest(first, COMMANDS, 1);
  if (near) return `unknown command '${first}' (did you mean ${near}?)`;
  if (positionals > 1) return undefined;
  return (
    `unknown command '${first}'. A task says what to change: ${bin} "<task>" ` +
    `(to run the one word as a task: ${bin} run ${first}). \`${bin} --help\` lists the commands.`
  );
}
