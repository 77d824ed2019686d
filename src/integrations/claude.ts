/**
 * duo in Claude Code, as `duo init --claude` installs it:
 * - the bare `/duo` and `/duox` commands (the plugin's /duo:pair and /duo:invert), in the user's or the project's
 *   commands folder;
 * - the plugin itself, from the marketplace that ships at the package root (through the real `claude` CLI);
 * - optionally the stop-time review gate: a Stop hook in settings.json that runs `duo hook stop`;
 * - optionally the MCP server (`claude mcp add duo -- duo mcp`).
 */

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { ASSETS, PACKAGE_ROOT, readAsset } from './assets.js';
import { type DuoCommand, INSTALL_DUO, shellLine, shellQuote } from './duo-command.js';

export type Scope = 'user' | 'project';

export interface Installed {
  what: string;
  path: string;
  /** written, unchanged, or skipped (a file of the user's own is in the way). */
  outcome: 'written' | 'unchanged' | 'skipped';
  note?: string;
}

function claudeDir(scope: Scope, repoRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  if (scope === 'project') return join(repoRoot, '.claude');
  return env.CLAUDE_CONFIG_DIR || join(env.HOME || homedir(), '.claude');
}

/** Writes `content` unless a different file that is not duo's is already there. */
export function writeOwned(path: string, content: string, isOurs: (existing: string) => boolean): Installed['outcome'] {
  if (existsSync(path)) {
    const existing = readFileSync(path, 'utf8');
    if (existing === content) return 'unchanged';
    if (!isOurs(existing)) return 'skipped';
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  return 'written';
}

const BARE = { duo: 'pair', duox: 'invert' } as const;

export function installClaudeCommands(scope: Scope, repoRoot: string, env = process.env): Installed[] {
  const dir = join(claudeDir(scope, repoRoot, env), 'commands');
  return Object.entries(BARE).map(([name, source]) => {
    const path = join(dir, `${name}.md`);
    const outcome = writeOwned(path, readAsset(ASSETS.claudeCommand(source)), (s) => s.includes('duo run'));
    return {
      what: `/${name} command`,
      path,
      outcome,
      ...(outcome === 'skipped' ? { note: `${path} is a command of your own; duo left it alone` } : {}),
    };
  });
}

/** The marker that identifies duo's Stop hook in settings.json (so init is idempotent and never touches others). */
export const GATE_MARKER = '# duo-review-gate';

/**
 * The hook's shell line. If duo is gone when the hook fires, it fails open with a note Claude Code shows the user
 * (a Stop hook's `systemMessage`), never a block and never an error that stops the session.
 */
export function reviewGateCommand(cmd: DuoCommand): string {
  const note = JSON.stringify({
    systemMessage:
      'duo review gate: duo is not installed here (or not on PATH), so this stop was not reviewed. Install it ' +
      `${INSTALL_DUO}; or remove the Stop hook marked duo-review-gate from your Claude Code settings.`,
  });
  return `${cmd.present} && exec ${shellLine([...cmd.argv, 'hook', 'stop'])} || printf '%s\\n' ${shellQuote(note)} ${GATE_MARKER}`;
}

/** Claude Code kills a hook after `timeout` seconds; duo's own budget (reviewGate.timeoutSeconds) stays below it. */
const GATE_HOOK_TIMEOUT_S = 1200;

interface HookEntry {
  matcher?: string;
  hooks?: { type?: string; command?: string; timeout?: number }[];
}

type Settings = { hooks?: Record<string, HookEntry[]>; permissions?: { allow?: string[] } } & Record<string, unknown>;

/** Read-modify-write of a Claude Code settings.json, keeping everything that is not duo's; never over a broken file. */
function editSettings(what: string, path: string, change: (s: Settings) => void): Installed {
  let settings: Settings = {};
  if (existsSync(path)) {
    try {
      settings = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      return {
        what,
        path,
        outcome: 'skipped',
        note: `${path} is not valid JSON (${(e as Error).message}); fix it and run duo init again`,
      };
    }
  }
  const before = JSON.stringify(settings);
  change(settings);
  if (JSON.stringify(settings) === before) return { what, path, outcome: 'unchanged' };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(settings, null, 2)}\n`);
  return { what, path, outcome: 'written' };
}

export function installReviewGate(scope: Scope, repoRoot: string, cmd: DuoCommand, env = process.env): Installed {
  const path = join(claudeDir(scope, repoRoot, env), 'settings.json');
  return editSettings('stop-time review gate', path, (settings) => {
    settings.hooks ??= {};
    const stop = (settings.hooks.Stop ?? []).filter(
      (entry) => !(entry.hooks ?? []).some((h) => h.command?.includes(GATE_MARKER)),
    );
    stop.push({ hooks: [{ type: 'command', command: reviewGateCommand(cmd), timeout: GATE_HOOK_TIMEOUT_S }] });
    settings.hooks.Stop = stop;
  });
}

/**
 * duo's commands that only read a run, allowed without a prompt: so the polling (status, wait) works in the turn
 * after the one that started the run, where a command's own allowed-tools no longer apply.
 */
export const READ_DUO_COMMANDS = ['status', 'wait', 'show', 'log', 'diff'];
/**
 * Answering a decision card and continuing the run act for the user: asked each time unless they opt in
 * (`duo init --allow-decide`). Starting work (run, review) and changing their tree (apply) are always asked.
 */
export const ANSWER_DUO_COMMANDS = ['decide', 'resume'];

export const allowRule = (command: string) => `Bash(duo ${command}:*)`;

export function allowDuoCommands(
  scope: Scope,
  repoRoot: string,
  opts: { allowDecide?: boolean } = {},
  env = process.env,
): Installed {
  const path = join(claudeDir(scope, repoRoot, env), 'settings.json');
  const commands = [...READ_DUO_COMMANDS, ...(opts.allowDecide ? ANSWER_DUO_COMMANDS : [])];
  const what = `permissions: duo ${commands.join(', ')} run without asking`;
  return editSettings(what, path, (s) => {
    s.permissions ??= {};
    const allow = s.permissions.allow ?? [];
    for (const rule of commands.map(allowRule)) if (!allow.includes(rule)) allow.push(rule);
    s.permissions.allow = allow;
  });
}

/** A step through the real `claude` CLI; its own words come back as the note. */
async function claudeCli(claude: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const r = await execa(claude, args, { cwd, env, reject: false, stdin: 'ignore', timeout: 120_000 });
  const said = `${r.stdout}\n${r.stderr}`.replace(/\s+/g, ' ').trim();
  return { ok: r.exitCode === 0, said };
}

/** Adds the marketplace shipped with this package and installs the plugin from it (offline: a local folder). */
export async function installClaudePlugin(
  claude: string,
  scope: Scope,
  repoRoot: string,
  env = process.env,
): Promise<Installed> {
  const added = await claudeCli(
    claude,
    ['plugin', 'marketplace', 'add', PACKAGE_ROOT, '--scope', scope],
    repoRoot,
    env,
  );
  if (!added.ok)
    return { what: 'Claude Code plugin duo@duo', path: PACKAGE_ROOT, outcome: 'skipped', note: added.said };
  const installed = await claudeCli(claude, ['plugin', 'install', 'duo@duo', '--scope', scope], repoRoot, env);
  return {
    what: 'Claude Code plugin duo@duo (/duo:pair, /duo:invert, /duo:review, /duo:status, /duo:decide, …)',
    path: ASSETS.plugin,
    outcome: installed.ok ? (/already installed/i.test(installed.said) ? 'unchanged' : 'written') : 'skipped',
    ...(installed.ok ? {} : { note: installed.said }),
  };
}

/**
 * The MCP server in the repository's `.mcp.json` (Claude Code's project scope), written by duo itself: the `claude`
 * CLI would also write its own state under the user's home, and a project-scope install writes nothing outside the
 * repository. Other servers in the file are kept.
 */
export function registerProjectMcp(repoRoot: string, cmd: DuoCommand): Installed {
  const path = join(repoRoot, '.mcp.json');
  const what = `MCP server in Claude Code (${shellLine([...cmd.argv, 'mcp'])})`;
  let file: { mcpServers?: Record<string, unknown> } & Record<string, unknown> = {};
  if (existsSync(path)) {
    try {
      file = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      return { what, path, outcome: 'skipped', note: `${path} is not valid JSON (${(e as Error).message})` };
    }
  }
  const [command, ...args] = [...cmd.argv, 'mcp'];
  const entry = { type: 'stdio', command, args, env: {} };
  if (JSON.stringify(file.mcpServers?.duo) === JSON.stringify(entry)) return { what, path, outcome: 'unchanged' };
  file.mcpServers = { ...(file.mcpServers ?? {}), duo: entry };
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
  return { what, path, outcome: 'written' };
}

export async function registerClaudeMcp(
  claude: string,
  scope: Scope,
  repoRoot: string,
  cmd: DuoCommand,
  env = process.env,
): Promise<Installed> {
  const r = await claudeCli(claude, ['mcp', 'add', '-s', scope, 'duo', '--', ...cmd.argv, 'mcp'], repoRoot, env);
  const where = scope === 'project' ? join(repoRoot, '.mcp.json') : 'Claude Code user config';
  if (r.ok)
    return { what: `MCP server in Claude Code (${shellLine([...cmd.argv, 'mcp'])})`, path: where, outcome: 'written' };
  if (/already exists/i.test(r.said)) return { what: 'MCP server in Claude Code', path: where, outcome: 'unchanged' };
  return { what: 'MCP server in Claude Code', path: where, outcome: 'skipped', note: r.said };
}
