import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as p from '@clack/prompts';
import { CONFIG_FILE, loadConfig } from '../../config/load.js';
import { Config } from '../../config/schema.js';
import { renderConfigFile } from '../../config/template.js';
import { createGate } from '../../gate/index.js';
import { ASSETS } from '../../integrations/assets.js';
import {
  allowDuoCommands,
  type Installed,
  installClaudeCommands,
  installClaudePlugin,
  installReviewGate,
  registerClaudeMcp,
  type Scope,
} from '../../integrations/claude.js';
import { installCodexSkills, registerCodexMcp } from '../../integrations/codex.js';
import { duoCommand, which } from '../../integrations/duo-command.js';
import { ensureRecordExcluded, findRepoRoot } from '../../workspace/index.js';
import { pc } from '../color.js';
import { UsageError } from '../errors.js';
import { printJson } from '../json.js';
import { probeAgents, renderProbes } from './doctor.js';

export interface InitFlags {
  claude?: boolean;
  codex?: boolean;
  mcp?: boolean;
  reviewGate?: boolean;
  scope?: string;
  yes?: boolean;
  json?: boolean;
}

/**
 * `duo init`: sets duo up where the user works. Writes a commented duo.config.json with the verify commands it
 * detects (asked in a terminal; taken as detected with --yes or without one), checks the agents like `duo doctor`,
 * and installs the integrations asked for — Claude Code (the bare /duo and /duox commands, the plugin, optionally the
 * stop-time review gate), Codex (the duo and duox skills, prompts for older versions), and the MCP server — in the
 * user's or the project's scope. Running it again changes nothing that is already in place, and never overwrites a
 * file of the user's own.
 */
export async function initCommand(flags: InitFlags): Promise<number> {
  if (flags.scope !== undefined && flags.scope !== 'user' && flags.scope !== 'project')
    throw new UsageError(`--scope is user or project (got "${flags.scope}").`);
  const interactive = !flags.yes && !flags.json && process.stdin.isTTY === true && process.stderr.isTTY === true;
  let repoRoot: string | null = null;
  try {
    repoRoot = await findRepoRoot(process.cwd());
  } catch {
    // Outside a repository: user-scope integrations only.
  }
  if (!repoRoot && flags.scope === 'project')
    throw new UsageError('--scope project installs into this repository, but this is not a git repository.');
  if (interactive) p.intro('duo init');

  // 1. The config, with the verify commands detected on this repository.
  const config: { path: string | null; outcome: Installed['outcome'] | 'none'; verify: string[] } = {
    path: null,
    outcome: 'none',
    verify: [],
  };
  if (repoRoot) {
    ensureRecordExcluded(repoRoot);
    const path = join(repoRoot, CONFIG_FILE);
    config.path = path;
    if (existsSync(path)) {
      config.outcome = 'unchanged';
      config.verify = loadConfig(repoRoot).config.verify;
    } else {
      const detected = (await createGate().detect(repoRoot)).map((c) => c.command);
      const verify = interactive ? await askVerify(detected) : detected;
      writeFileSync(path, renderConfigFile({ verify, detected: detected.length > 0, reviewGate: !!flags.reviewGate }));
      config.outcome = 'written';
      config.verify = verify;
    }
  }

  // 2. The agents, as `duo doctor` sees them.
  const settings = repoRoot ? loadConfig(repoRoot).config : Config.parse({});
  const probes = await probeAgents(settings);

  // 3. The integrations.
  const want = { claude: !!flags.claude, codex: !!flags.codex, mcp: !!flags.mcp, gate: !!flags.reviewGate };
  if (interactive && !flags.claude && !flags.codex && !flags.mcp && !flags.reviewGate)
    Object.assign(want, await askIntegrations());
  if (want.gate) want.claude = true;
  const any = want.claude || want.codex || want.mcp;
  const scope: Scope = (flags.scope as Scope | undefined) ?? (interactive && any ? await askScope(!!repoRoot) : 'user');
  const root = repoRoot ?? process.cwd();
  const cmd = duoCommand();
  const installed: Installed[] = [];
  const notes: string[] = [];
  const claudeBin = binary(settings, 'claude');
  const codexBin = binary(settings, 'codex');
  if (want.claude) {
    installed.push(...installClaudeCommands(scope, root));
    installed.push(allowDuoCommands(scope, root));
    if (claudeBin) installed.push(await installClaudePlugin(claudeBin, scope, root));
    else
      notes.push(
        `claude is not on PATH, so the plugin was not installed; later: claude plugin marketplace add ${ASSETS.marketplace} && claude plugin install duo@duo`,
      );
    if (want.gate) installed.push(installReviewGate(scope, root, cmd));
  }
  if (want.codex) installed.push(...installCodexSkills(scope, root));
  if (want.mcp) {
    // --mcp alone registers with every agent CLI found; with --claude/--codex, with those.
    const both = !flags.claude && !flags.codex;
    if ((want.claude || both) && claudeBin) installed.push(await registerClaudeMcp(claudeBin, scope, root, cmd));
    if ((want.codex || both) && codexBin) installed.push(await registerCodexMcp(codexBin, root, cmd));
    if (!claudeBin && !codexBin) notes.push('neither claude nor codex is on PATH: the MCP server was not registered.');
  }
  if (any && cmd.argv[0] !== 'duo')
    notes.push(
      'duo is not on PATH, and the /duo commands and the skills call `duo`: install it globally (npm install -g duo-pair)' +
        (want.gate || want.mcp ? `; meanwhile the review gate and MCP entries call ${cmd.argv.join(' ')}.` : '.'),
    );

  if (flags.json) {
    printJson({ config, scope, agents: probes, installed, notes });
    return 0;
  }
  const out: string[] = [];
  if (config.path)
    out.push(
      config.outcome === 'written'
        ? `${pc.green('wrote')} ${config.path} (verify: ${config.verify.join(', ') || 'none detected'})`
        : `${pc.dim('kept')} ${config.path} (yours; not rewritten)`,
    );
  else out.push(pc.dim('not in a git repository: no duo.config.json written'));
  out.push('', pc.bold('agents'), renderProbes(probes).trimEnd());
  if (installed.length) out.push('', pc.bold(`integrations (${scope} scope)`));
  for (const i of installed) {
    const mark =
      i.outcome === 'written'
        ? pc.green('installed')
        : i.outcome === 'unchanged'
          ? pc.dim('in place ')
          : pc.yellow('skipped  ');
    out.push(`${mark} ${i.what}: ${i.path}${i.note ? ` — ${i.note}` : ''}`);
  }
  for (const n of notes) out.push(pc.yellow(`note: ${n}`));
  if (!any)
    out.push(
      '',
      'Integrations: duo init --claude (the /duo and /duox commands and the plugin; --review-gate adds the stop-time',
      'review gate) · --codex (the duo and duox skills) · --mcp (the MCP server) · --scope user|project',
    );
  process.stdout.write(`${out.join('\n')}\n`);
  if (interactive) p.outro('done');
  return 0;
}

/** The agent's binary: its configured path, else the one on PATH. */
function binary(config: Config, name: 'claude' | 'codex'): string | null {
  const a = config.agents[name];
  if (a && a.kind === name && a.path) return a.path;
  return which(name);
}

async function askVerify(detected: string[]): Promise<string[]> {
  let chosen: string[] = [];
  if (detected.length) {
    const picked = await p.multiselect({
      message: 'Verify commands duo runs itself before calling a run green (detected here):',
      options: detected.map((c) => ({ value: c, label: c })),
      initialValues: detected,
      required: false,
    });
    if (p.isCancel(picked)) throw new UsageError('duo init cancelled; nothing was written.');
    chosen = picked as string[];
  }
  const more = await p.text({
    message: 'Any other command? (separate several with ";;", empty for none)',
    defaultValue: '',
    placeholder: 'e.g. make check',
  });
  if (p.isCancel(more)) throw new UsageError('duo init cancelled; nothing was written.');
  return [
    ...chosen,
    ...String(more ?? '')
      .split(';;')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

async function askIntegrations(): Promise<{ claude: boolean; codex: boolean; mcp: boolean; gate: boolean }> {
  const picked = await p.multiselect({
    message: 'Where do you want to use duo?',
    options: [
      { value: 'claude', label: 'Claude Code: /duo and /duox, and the plugin (/duo:review, /duo:status, …)' },
      { value: 'gate', label: 'Claude Code: stop-time review gate (reviews uncommitted changes when Claude stops)' },
      { value: 'codex', label: 'Codex: the duo and duox skills' },
      { value: 'mcp', label: 'MCP server for both (duo mcp)' },
    ],
    required: false,
  });
  if (p.isCancel(picked)) throw new UsageError('duo init cancelled.');
  const set = new Set(picked as string[]);
  return { claude: set.has('claude'), codex: set.has('codex'), mcp: set.has('mcp'), gate: set.has('gate') };
}

async function askScope(inRepo: boolean): Promise<Scope> {
  if (!inRepo) return 'user';
  const picked = await p.select({
    message: 'Install for',
    options: [
      { value: 'user', label: 'you, in every project (user scope)' },
      { value: 'project', label: 'this repository, for everyone who clones it (project scope)' },
    ],
  });
  if (p.isCancel(picked)) throw new UsageError('duo init cancelled.');
  return picked as Scope;
}
