/**
 * duo in Codex, as `duo init --codex` installs it: the `duo` and `duox` skills (SKILL.md) in the repository's
 * `.agents/skills/` or the user's `~/.agents/skills/` (codex-cli 0.169 reads both, and lists each skill's name and
 * description in the model's instructions), and for older Codex versions the same as custom prompts in
 * `$CODEX_HOME/prompts/` (/prompts:duo, /prompts:duox). Optionally the MCP server (`codex mcp add duo -- duo mcp`).
 */

import { homedir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { ASSETS, readAsset } from './assets.js';
import { type Installed, type Scope, writeOwned } from './claude.js';
import { type DuoCommand, shellLine } from './duo-command.js';

const SKILLS = ['duo', 'duox'] as const;

function codexHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.CODEX_HOME || join(env.HOME || homedir(), '.codex');
}

function skillsDir(scope: Scope, repoRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  return scope === 'project' ? join(repoRoot, '.agents', 'skills') : join(env.HOME || homedir(), '.agents', 'skills');
}

const ours = (s: string) => s.includes('duo run');

export function installCodexSkills(scope: Scope, repoRoot: string, env = process.env): Installed[] {
  const out: Installed[] = SKILLS.map((name) => {
    const path = join(skillsDir(scope, repoRoot, env), name, 'SKILL.md');
    const outcome = writeOwned(path, readAsset(ASSETS.codexSkill(name)), ours);
    return { what: `Codex skill ${name}`, path, outcome };
  });
  // Custom prompts live only under CODEX_HOME, per user: a project-scope install writes nothing outside the repository.
  if (scope === 'project') return out;
  for (const name of SKILLS) {
    const path = join(codexHome(env), 'prompts', `${name}.md`);
    const outcome = writeOwned(path, readAsset(ASSETS.codexPrompt(name)), ours);
    out.push({ what: `Codex prompt /prompts:${name} (older Codex versions)`, path, outcome });
  }
  return out;
}

export async function registerCodexMcp(
  codex: string,
  repoRoot: string,
  cmd: DuoCommand,
  env = process.env,
): Promise<Installed> {
  const path = join(codexHome(env), 'config.toml');
  const known = await execa(codex, ['mcp', 'get', 'duo'], { cwd: repoRoot, env, reject: false, stdin: 'ignore' });
  if (known.exitCode === 0) return { what: 'MCP server in Codex', path, outcome: 'unchanged' };
  const r = await execa(codex, ['mcp', 'add', 'duo', '--', ...cmd.argv, 'mcp'], {
    cwd: repoRoot,
    env,
    reject: false,
    stdin: 'ignore',
    timeout: 60_000,
  });
  return r.exitCode === 0
    ? { what: `MCP server in Codex (${shellLine([...cmd.argv, 'mcp'])})`, path, outcome: 'written' }
    : {
        what: 'MCP server in Codex',
        path,
        outcome: 'skipped',
        note: `${r.stdout}\n${r.stderr}`.replace(/\s+/g, ' ').trim(),
      };
}
