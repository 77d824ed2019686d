/**
 * Verify commands: where they come from (one precedence rule, one kind guess), and whether one can fail.
 *
 * A verify command must be able to fail: one that cannot proves nothing, and a gate built on it could only ever say
 * green. Read as bash reads a simple list — words, quotes, comments, `;` `&&` `||` `|` `&` and newlines — a command
 * cannot fail when every way through it ends in exit status 0: it is empty or only a comment; it is only
 * always-true builtins (`true`, `:`, `echo`, `printf`); it ends in `|| true` or `; exit 0`; or its last pipeline
 * ends in a command that always succeeds (`npm test | tee log` without `set -o pipefail`). Anything this reading
 * cannot follow (a subshell, `if`, a function) is given the benefit of the doubt: the runner's own counts still
 * judge it at verify time.
 */

type Status = 'ok' | 'fail' | 'any';

interface Element {
  /** The operator before it: how it is reached. */
  op: ';' | '&&' | '||';
  /** Its pipeline's commands, each as words. */
  pipeline: string[][];
  /** Started with `&`: its status is never the list's (bash gives 0). */
  background?: boolean;
}

/** Why `command` cannot fail, in words, or null when it can. */
export function cannotFail(command: string): string | null {
  const elements = parse(command);
  if (elements === null) return null;
  if (elements.length === 0)
    return command.trim() ? 'it is only a comment: nothing would run' : 'it is empty: nothing would run';
  let pipefail = false;
  // Every way the list can go: still running with the last status, or exited with one.
  let states: { exited: boolean; ok: boolean }[] = [{ exited: false, ok: true }];
  for (const el of elements) {
    const first = el.pipeline[0] ?? [];
    if (first[0] === 'set' && first.includes('pipefail')) pipefail = true;
    const next: typeof states = [];
    for (const s of states) {
      const reached = !s.exited && (el.op === ';' || (el.op === '&&' ? s.ok : !s.ok));
      if (!reached) {
        next.push(s);
        continue;
      }
      const exit = exitOf(el.pipeline, s.ok);
      if (exit) {
        next.push({ exited: true, ok: exit === 'ok' });
        continue;
      }
      const st = el.background ? 'ok' : pipelineStatus(el.pipeline, pipefail);
      if (st !== 'fail') next.push({ exited: false, ok: true });
      if (st !== 'ok') next.push({ exited: false, ok: false });
    }
    states = next;
  }
  if (states.some((s) => !s.ok)) return null;
  const last = elements.at(-1);
  const text = (e: Element) => e.pipeline.map((c) => c.join(' ')).join(' | ');
  if (last?.background) return `it runs \`${text(last)}\` in the background (&), and that always exits 0`;
  if (elements.some((e) => exitOf(e.pipeline, true) === 'ok')) return 'it calls `exit 0`, so it always exits 0';
  if (last && elements.length > 1 && last.op !== '&&')
    return `it ends in \`${last.op === ';' ? ';' : '||'} ${text(last)}\`, so it always exits 0`;
  if (last && last.pipeline.length > 1 && !pipefail)
    return `its exit status is that of \`${(last.pipeline.at(-1) ?? []).join(' ')}\`, the end of a pipeline, which always succeeds (add \`set -o pipefail;\` in front)`;
  return 'every command in it always succeeds (true, :, echo, printf), so it always exits 0';
}

/** `exit`, `exit 0`, `exit N` as the only command of the pipeline: how the list ends. */
function exitOf(pipeline: string[][], lastOk: boolean): 'ok' | 'fail' | null {
  if (pipeline.length !== 1) return null;
  const words = pipeline[0] ?? [];
  if (words[0] !== 'exit') return null;
  if (words.length === 1) return lastOk ? 'ok' : 'fail';
  return words[1] === '0' ? 'ok' : /^\d+$/.test(words[1] ?? '') ? 'fail' : null;
}

const ALWAYS_OK = new Set(['true', ':', 'echo', 'printf', 'tee']);

function commandStatus(words: string[]): Status {
  const w = words.filter((x) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(x));
  const name = w[0];
  if (name === undefined) return 'ok';
  if (name === 'false') return 'fail';
  if (name === 'set') return 'ok';
  // `tee` is always-true only at the end of a pipeline; alone it reads stdin and writes files, and can fail.
  if (ALWAYS_OK.has(name) && !(name === 'tee' && w.length === 1)) return 'ok';
  return 'any';
}

function pipelineStatus(pipeline: string[][], pipefail: boolean): Status {
  const each = pipeline.map(commandStatus);
  if (!pipefail) return each.at(-1) ?? 'ok';
  if (each.some((s) => s === 'fail')) return 'fail';
  return each.every((s) => s === 'ok') ? 'ok' : 'any';
}

/** Splits a command into list elements; null when it uses syntax this reading does not follow. */
function parse(command: string): Element[] | null {
  const elements: Element[] = [];
  let op: Element['op'] = ';';
  let pipeline: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length) pipeline.push(words);
    words = [];
  };
  const endElement = (next: Element['op']) => {
    endCommand();
    if (pipeline.length) elements.push({ op, pipeline });
    pipeline = [];
    op = next;
  };
  for (let i = 0; i < command.length; i++) {
    const c = command[i] as string;
    const n = command[i + 1];
    if (c === '\\') {
      word += command[i + 1] ?? '';
      inWord = true;
      i++;
    } else if (c === "'" || c === '"') {
      const end = command.indexOf(c, i + 1);
      if (end < 0) return null;
      word += command.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '#' && !inWord) {
      const end = command.indexOf('\n', i);
      i = end < 0 ? command.length : end - 1;
    } else if (c === ' ' || c === '\t') endWord();
    else if (c === '\n' || c === ';') endElement(';');
    else if ((c === '>' || c === '<') && n === '&') {
      // `2>&1`, `>&2`: a redirection, not a background job.
      endWord();
      i++;
    } else if (c === '&' && n === '>') {
      endWord();
    } else if (c === '&' && n === '&') {
      endElement('&&');
      i++;
    } else if (c === '|' && n === '|') {
      endElement('||');
      i++;
    } else if (c === '|') {
      endCommand();
    } else if (c === '&') {
      // A background job's status is never the list's.
      endCommand();
      if (pipeline.length) elements.push({ op, pipeline, background: true });
      pipeline = [];
      op = ';';
    } else if ('(){}`<>$'.includes(c)) {
      // Subshells, groups, redirections and expansions: not followed, the command may fail.
      if (c === '>' || c === '<') {
        endWord();
        continue;
      }
      if (c === '$' && n !== '(') {
        word += c;
        inWord = true;
        continue;
      }
      return null;
    } else {
      word += c;
      inWord = true;
    }
  }
  endElement(';');
  // Reserved words start compound commands this reading does not follow.
  if (
    elements.some((e) =>
      e.pipeline.some((w) => /^(if|then|else|fi|for|while|until|do|done|case|esac|function)$/.test(w[0] ?? '')),
    )
  )
    return null;
  return elements;
}

/** A verify command's kind, guessed from its words when it is named (detection knows it from the file it read). */
export type NamedKind = 'test' | 'typecheck' | 'lint' | 'other';

/** A verify command given by name, and where it was given. */
export interface NamedCommand {
  command: string;
  kind: NamedKind;
  /** 'flag' | 'config' | 'eval' …: shown in the record beside detection's 'package.json', 'Makefile' … */
  source: string;
}

/** One place verify commands may be given, in order of precedence; an empty or absent list gives none. */
export interface VerifyList {
  source: string;
  commands: readonly string[] | undefined;
}

/**
 * The one precedence rule for verify commands: the first place that gives any wins — --verify flags, then the
 * run's config, then the repository's config (callers list the places they have, in that order) — and only when
 * none gives any are the commands detected from the checkout's files. Null: none given, detection decides.
 */
export function givenVerify(lists: readonly VerifyList[]): NamedCommand[] | null {
  const given = lists.find((l) => l.commands?.length);
  if (!given?.commands) return null;
  const { source } = given;
  return given.commands.map((command) => ({ command, kind: guessKind(command), source }));
}

/** The commands of givenVerify, as text ([]: none given). */
export function givenCommands(lists: readonly VerifyList[]): string[] {
  return givenVerify(lists)?.map((c) => c.command) ?? [];
}

/** The verify commands a run or a measurement uses: the given ones (see givenVerify), else detected ones. */
export async function resolveVerify<D>(
  lists: readonly VerifyList[],
  detect: () => Promise<D[]>,
): Promise<(NamedCommand | D)[]> {
  return givenVerify(lists) ?? (await detect());
}

/**
 * The kind of a named command, from its words: a test runner is judged on whether tests ran, a typecheck or lint on
 * its exit code.
 */
export function guessKind(command: string): NamedKind {
  if (/\b(tsc|typecheck|type-check|mypy|pyright)\b/.test(command)) return 'typecheck';
  if (/\b(lint|eslint|biome|ruff|clippy|vet)\b/.test(command)) return 'lint';
  if (/\b(test|vitest|jest|mocha|pytest|spec)\b/.test(command)) return 'test';
  return 'other';
}
