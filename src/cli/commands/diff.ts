/**
 * `duo diff [runId] [--stat] [--json] [--no-pager]`: what a run changed against its base — the commits on its branch
 * `duo/<runId>`, as the workspace port's diff gives them to the reviewer (a binary file or an oversized file diff is
 * a one-line summary, and the note says how to see it whole). In a terminal the patch goes through the user's git
 * pager (`git var GIT_PAGER`: GIT_PAGER, core.pager, PAGER, else less), coloured, with the agent-written text's
 * control characters made visible.
 */
import { spawn } from 'node:child_process';
import { execa } from 'execa';
import { UsageError } from '../../sys/duo-error.js';
import { redactSecrets } from '../../sys/redact.js';
import type { DiffJson } from '../../wire/records.js';
import { existingRunBranches } from '../../workspace/index.js';
import type { DiffSummary } from '../../workspace/types.js';
import { colorsFor } from '../color.js';
import type { DiffFlags } from '../flags.js';
import { printJson } from '../json.js';
import { visibleControls } from '../safe-text.js';
import { openSession, resolveRun } from '../setup.js';
import { branchGone } from './workspace.js';

export async function diffCommand(ref: string | undefined, flags: DiffFlags): Promise<number> {
  const session = await openSession(process.cwd(), flags.config);
  const runId = await resolveRun(session, ref);
  const state = session.store.load(runId);
  const wt = state.worktree;
  if (!wt) throw new UsageError(`run ${runId} never got as far as creating its branch; it changed nothing.`);
  if (!(await existingRunBranches(session.repoRoot)).has(runId))
    throw new UsageError(branchGone(runId, 'its change cannot be shown'));
  const diff = await session.ports.workspace.diff(session.repoRoot, wt.baseSha, wt.branch);
  if (flags.json) {
    printJson({
      runId,
      base: wt.baseSha,
      branch: wt.branch,
      files: diff.files,
      notes: diff.notes,
      ...(flags.stat ? {} : { patch: diff.text }),
    } satisfies DiffJson);
    return 0;
  }
  const tty = process.stdout.isTTY === true;
  const pc = colorsFor(process.stdout);
  const whole = `git diff ${wt.baseSha.slice(0, 12)} ${wt.branch}`;
  let text = flags.stat ? renderStat(diff, pc) : colourPatch(visibleControls(diff.text), pc);
  if (!diff.files.length) text = `run ${runId} changed nothing against its base ${wt.baseSha.slice(0, 12)}.\n`;
  if (diff.notes.length && !flags.stat)
    text += pc.dim(`\n${diff.notes.length} file(s) shown as a summary; the whole diff: ${whole}\n`);
  // The pager writes to the terminal itself, past the redaction duo's own stdout has: mask here.
  text = redactSecrets(text);
  if (tty && flags.pager !== false && !flags.stat) await page(text, session.repoRoot);
  else process.stdout.write(text);
  return 0;
}

type Colors = ReturnType<typeof colorsFor>;

/** `git diff --stat`'s shape: each file with its +/− counts, then the totals. */
export function renderStat(diff: DiffSummary, pc: Colors): string {
  const width = Math.max(0, ...diff.files.map((f) => f.path.length));
  const lines = diff.files.map((f) => {
    const counts = f.binary ? 'binary' : `${pc.green(`+${f.added}`)} ${pc.red(`−${f.removed}`)}`;
    return ` ${visibleControls(f.path).padEnd(width)} | ${f.status} ${counts}`;
  });
  const added = diff.files.reduce((n, f) => n + f.added, 0);
  const removed = diff.files.reduce((n, f) => n + f.removed, 0);
  const n = diff.files.length;
  lines.push(` ${n} file${n === 1 ? '' : 's'} changed, ${added} insertion(s)(+), ${removed} deletion(s)(−)`);
  return `${lines.join('\n')}\n`;
}

function colourPatch(text: string, pc: Colors): string {
  return text
    .split('\n')
    .map((l) =>
      l.startsWith('diff --git') || l.startsWith('index ') || l.startsWith('+++') || l.startsWith('---')
        ? pc.bold(l)
        : l.startsWith('@@')
          ? pc.cyan(l)
          : l.startsWith('+')
            ? pc.green(l)
            : l.startsWith('-')
              ? pc.red(l)
              : l,
    )
    .join('\n');
}

/** The pager git would use here, or null for none (`cat`, or nothing configured and no less). */
async function pagerCommand(cwd: string): Promise<string | null> {
  const fromGit = await execa('git', ['var', 'GIT_PAGER'], { cwd, reject: false, stdin: 'ignore' });
  const pager = fromGit.exitCode === 0 ? fromGit.stdout.trim() : 'less';
  return pager && pager !== 'cat' ? pager : null;
}

/** Through the pager (as git runs it: by the shell, with LESS=FRX unless set), or straight out if it cannot start. */
async function page(text: string, cwd: string): Promise<void> {
  const pager = await pagerCommand(cwd);
  if (!pager) {
    process.stdout.write(text);
    return;
  }
  const env = { ...process.env, LESS: process.env.LESS ?? 'FRX', LV: process.env.LV ?? '-c' };
  await new Promise<void>((done) => {
    const child = spawn('sh', ['-c', pager], { cwd, env, stdio: ['pipe', 'inherit', 'inherit'] });
    child.once('error', () => {
      process.stdout.write(text);
      done();
    });
    child.once('close', () => done());
    child.stdin.on('error', () => {}); // the user quit the pager before the end: fine
    child.stdin.end(text);
  });
}
