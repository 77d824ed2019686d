import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { execa } from 'execa';
import { locate } from '../agents/cli.js';
import { agentConfig } from '../agents/registry.js';
import type { AgentConfig, Config } from '../config/schema.js';
import { cannotFail, resolveVerify } from '../config/verify-command.js';
import type { Gate } from '../gate/types.js';
import type { RunState } from '../protocol/types.js';
import { UsageError } from '../sys/duo-error.js';
import { redactSecrets } from '../sys/redact.js';

/**
 * What can be known before an agent spends a token is checked before the run exists: every agent the run's roles
 * need is found (its binary, a command agent's argv[0], a scripted agent's scenario file), and a run that will
 * have nothing to verify — or a verify command the record can only keep masked — is said up front.
 */
export function locateAgents(config: Config, roles: RunState['roles'], repoRoot: string): void {
  const byAgent = new Map<string, string[]>();
  for (const [role, name] of Object.entries(roles)) {
    // A panel's second reviewer is optional: without it the review is a single reviewer's (see panelWarning).
    if (!name || role === 'panel' || (role === 'subtask' && byAgent.has(name))) continue;
    byAgent.set(name, [...(byAgent.get(name) ?? []), role]);
  }
  const problems: string[] = [];
  for (const [name, roleNames] of byAgent) {
    const problem = missing(name, agentConfig(config, name), repoRoot);
    if (problem) problems.push(`${name} (${roleNames.join(', ')}): ${problem}`);
  }
  if (problems.length) {
    throw new UsageError(
      `${problems.length === 1 ? 'an agent this run needs is' : 'agents this run needs are'} not available, so nothing was started:\n` +
        `${problems.map((p) => `  ${p}`).join('\n')}\n\`duo doctor\` checks the agents without spending tokens.`,
    );
  }
}

/** --panel with a second reviewer that cannot start: said before the run, which goes on with one reviewer. */
export function panelWarning(config: Config, roles: RunState['roles'], repoRoot: string): string | null {
  if (!roles.panel) return null;
  const problem = missing(roles.panel, agentConfig(config, roles.panel), repoRoot);
  return problem ? `${roles.panel} cannot review beside ${roles.skeptic} (${problem}): a single-reviewer review` : null;
}

/** Why the agent cannot be started, or undefined. A command agent runs in the worktree: relative paths are repo paths. */
function missing(name: string, cfg: AgentConfig, repoRoot: string): string | undefined {
  const repoRelative = (p: string) => (isAbsolute(p) ? p : resolve(repoRoot, p));
  switch (cfg.kind) {
    case 'claude':
    case 'codex': {
      const bin = cfg.path ?? cfg.kind;
      if (locate(bin)) return undefined;
      const install = cfg.kind === 'claude' ? '@anthropic-ai/claude-code' : '@openai/codex';
      return `\`${bin}\` is not installed or not on PATH; install it (npm i -g ${install}) or set agents.${name}.path.`;
    }
    case 'command': {
      const bin = cfg.argv[0] ?? '';
      const found = bin.includes('/') ? existsSync(repoRelative(bin)) : !!locate(bin);
      return found
        ? undefined
        : `\`${bin}\` (argv[0]) is not installed or not on PATH; install it or fix agents.${name}.argv.`;
    }
    case 'scripted':
      return existsSync(cfg.scenario) ? undefined : `its scenario file ${cfg.scenario} does not exist.`;
  }
}

/**
 * Warnings a user must see before the run, not in its report: said on stderr and carried in --json. `verify` is the
 * commands the run will use (--verify, else config); when there are none, detection is asked, as the gate will.
 */
export async function verifyWarnings(
  gate: Pick<Gate, 'detect'>,
  repoRoot: string,
  verify: string[],
  mode: RunState['mode'],
): Promise<string[]> {
  if (mode === 'answer') return [];
  const warnings: string[] = [];
  const commands = await resolveVerify([{ source: 'given', commands: verify }], () => gate.detect(repoRoot));
  if (commands.length === 0) {
    warnings.push(
      'no verify command found: the run will end UNVERIFIED, never green. Give one with --verify "<cmd>" (repeatable) ' +
        'or "verify": ["<cmd>"] in duo.config.json, or add a test script (package.json, Makefile, …) duo can detect.',
    );
  }
  for (const command of verify) {
    if (redactSecrets(command) !== command) {
      warnings.push(
        `verify command "${redactSecrets(command)}" contains what looks like a secret; the record keeps it masked, so ` +
          '`duo resume` would run the masked command. Pass secrets through the environment instead.',
      );
    }
  }
  return warnings;
}

/**
 * Verify commands are checked before anything is created: one that cannot fail proves nothing (a usage error, like
 * in the config), and one whose program does not exist is caught before any agent spends a token.
 */
export async function checkVerifyCommands(commands: string[], cwd: string): Promise<void> {
  for (const command of commands) {
    const why = cannotFail(command);
    if (why)
      throw new UsageError(
        `verify command ${JSON.stringify(command)} cannot fail: ${why}. A check that cannot fail proves nothing, so duo ` +
          'will not call its result green. Give a command that exits non-zero when the checks fail (e.g. --verify "npm test").',
      );
  }
  for (const command of commands) {
    const program = command.trim().split(/\s+/)[0] ?? '';
    if (!program || /[=$`|;&<>(){}]/.test(program)) continue; // shell syntax: let the shell judge at verify time
    const found = await execa('bash', ['-c', 'command -v -- "$1"', 'duo', program], { cwd, reject: false });
    if (found.exitCode !== 0) {
      throw new UsageError(
        `verify command "${command}" cannot start: \`${program}\` is not installed or not on PATH (looked from ${cwd}). ` +
          'Fix the --verify flag or "verify" in duo.config.json.',
      );
    }
  }
}
