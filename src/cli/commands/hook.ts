import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { loadConfig } from '../../config/load.js';
import { failOpen, type GateMemory, type HookOutput, judgeReview, StopInput } from '../../integrations/stop-gate.js';
import { untouchedSetupFiles } from '../../record/setup-files.js';
import { RECORD_DIR } from '../../record/store.js';
import { duoArgv } from '../../sys/bin.js';
import { redactedJson } from '../../sys/redact.js';
import { git } from '../../workspace/git.js';
import { ensureRecordExcluded, findRepoRoot, snapshotCommit } from '../../workspace/index.js';
import { UsageError } from '../errors.js';

/**
 * `duo hook stop`: Claude Code's Stop hook for the review gate (`duo init --claude --review-gate` installs it).
 * Reads the hook's JSON on stdin, reviews the session's uncommitted changes with `duo review`, and prints the hook's
 * answer: block with the standing findings, or let Claude stop (with a note when the review could not run). Always
 * exits 0: an infrastructure failure must never block a session (the rules are in integrations/stop-gate.ts).
 */
export async function hookCommand(event: string): Promise<number> {
  if (event !== 'stop') throw new UsageError(`duo hook knows the "stop" event only (got "${event}").`);
  let output: HookOutput;
  try {
    output = await stopGate(await readStdin());
  } catch (e) {
    output = failOpen(`duo hook stop failed: ${(e as Error).message.split('\n')[0]}`).output;
  }
  if (Object.keys(output).length) process.stdout.write(`${redactedJson(output)}\n`);
  return 0;
}

const MEMORY = 'review-gate.json';
const KEEP_SESSIONS = 50;

async function stopGate(raw: string): Promise<HookOutput> {
  let input: StopInput;
  try {
    input = StopInput.parse(JSON.parse(raw || '{}'));
  } catch {
    return failOpen('the hook input was not the JSON Claude Code sends').output;
  }
  // Claude is already continuing because a stop hook blocked: let it stop this time, whatever the changes.
  if (input.stop_hook_active) return {};
  let repoRoot: string;
  try {
    repoRoot = await findRepoRoot(input.cwd ?? process.cwd());
  } catch {
    return {}; // not a git repository: nothing duo can review
  }
  let gate: { maxBlocks: number; timeoutSeconds: number };
  try {
    gate = loadConfig(repoRoot).config.reviewGate;
  } catch (e) {
    return failOpen((e as Error).message.split('\n')[0] ?? 'invalid config').output;
  }
  // The gate's memory and the review's record live in .duo/: never part of the changes it reviews.
  ensureRecordExcluded(repoRoot);
  const memory = readMemory(repoRoot);
  const mine: GateMemory = memory[input.session_id] ?? { blocks: 0, lastTree: null, lastRunId: null };
  if (mine.blocks >= gate.maxBlocks)
    return {
      systemMessage: `duo review gate: it already blocked this session ${mine.blocks} time(s), its limit; letting Claude stop.${
        mine.lastRunId ? ` Last review: duo show ${mine.lastRunId}` : ''
      }`,
    };
  // duo's own set-up files (what `duo init` wrote) are not the session's work: left out, as `duo review` does.
  const snapshot = await snapshotCommit(repoRoot, 'uncommitted', untouchedSetupFiles(repoRoot));
  if (!snapshot) return {}; // nothing uncommitted (of the user's): nothing to review
  const tree = (await git(repoRoot, ['rev-parse', `${snapshot}^{tree}`])).trim();
  if (tree === mine.lastTree)
    return mine.lastBlocked
      ? {
          systemMessage: `duo review gate: nothing changed since the review that blocked (run ${mine.lastRunId}); not blocking again.`,
        }
      : {};

  const [node, args] = duoArgv('review', '--json', '--yes', '--quiet');
  const r = await execa(node, args, {
    cwd: repoRoot,
    reject: false,
    stdin: 'ignore',
    timeout: gate.timeoutSeconds * 1000,
    // A review cut short is saved as interrupted (resumable), like Ctrl-C.
    killSignal: 'SIGINT',
  });
  if (r.timedOut)
    return failOpen(
      `the review took longer than ${gate.timeoutSeconds} s (reviewGate.timeoutSeconds in duo.config.json)`,
    ).output;
  const verdict = judgeReview(r.exitCode, r.stdout, gate.maxBlocks, mine.blocks);
  if (verdict.kind === 'fail-open' && !r.stdout.trim() && r.stderr.trim())
    return failOpen(r.stderr.trim().split('\n')[0] as string).output;
  const runId = /"runId":\s*"([^"]+)"/.exec(r.stdout)?.[1] ?? null;
  memory[input.session_id] = {
    blocks: mine.blocks + (verdict.kind === 'block' ? 1 : 0),
    lastTree: verdict.kind === 'fail-open' ? mine.lastTree : tree,
    lastRunId: runId ?? mine.lastRunId,
    lastBlocked: verdict.kind === 'block' ? true : verdict.kind === 'fail-open' ? mine.lastBlocked : false,
  };
  writeMemory(repoRoot, memory);
  return verdict.output;
}

function memoryFile(repoRoot: string): string {
  return join(repoRoot, RECORD_DIR, MEMORY);
}

function readMemory(repoRoot: string): Record<string, GateMemory> {
  try {
    const v = JSON.parse(readFileSync(memoryFile(repoRoot), 'utf8')) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, GateMemory>) : {};
  } catch {
    return {};
  }
}

function writeMemory(repoRoot: string, memory: Record<string, GateMemory>): void {
  const kept = Object.fromEntries(Object.entries(memory).slice(-KEEP_SESSIONS));
  const file = memoryFile(repoRoot);
  if (!existsSync(join(repoRoot, RECORD_DIR))) mkdirSync(join(repoRoot, RECORD_DIR), { recursive: true });
  writeFileSync(file, `${JSON.stringify(kept, null, 2)}\n`);
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
