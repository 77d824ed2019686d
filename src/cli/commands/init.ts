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
  registerProjectMcp,
  type Scope,
} from '../../integrations/claude.js';
import { installCodexSkills, registerCodexMcp } from '../../integrations/codex.js';
import { DUO_ON_PATH, type DuoCommand, duoCommand, INSTALL_DUO, which } from '../../integrations/duo-command.js';
import { rememberSetupFiles } from '../../record/setup-files.js';
import { UsageError } from '../../sys/duo-error.js';
import type { InitJson } from '../../wire/setup.js';
import { ensureRecordExcluded, findRepoRoot } from '../../workspace/index.js';
import { pc } from '../color.js';
import type { InitFlags } from '../flags.js';
import { printJson } from '../json.js';
import { probeAgents, renderProbes } from './doctor.js';

/**
 * `duo init`: sets duo up where the user works. Writes a commented duo.config.json with the verify commands it
 * detects (asked in a terminal; taken as detected with --yes or without one), checks the agents like `duo doctor`,
 * and installs the integrations asked for — Claude Code (the bare /duo and /duox commands, the plugin, optionally the
 * stop-time review gate), Codex (the duo and duox skills, prompts for older versions), and the MCP server — in the
 * user's or the project's scope. Running it again changes nothing that is already in place, and never overwrites a
 * file of the user's own.
 *
 * The project scope is shared through git: it names `duo` as found on PATH (never this machine's paths), writes
 * nothing outside the repository (what only exists per user — the plugin, Codex's prompts and MCP list — is left
 * to a user-scope init, and said so), and the files it writes are remembered as duo's own (record/setup-files.ts).
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
  const config = repoRoot ? await writeConfig(repoRoot, interactive, !!flags.reviewGate) : NO_CONFIG;

  // 2. The agents, as `duo doctor` sees them.
  const settings = repoRoot ? loadConfig(repoRoot).config : Config.parse({});
  const probes = await probeAgents(settings);

  // 3. The integrations.
  const want = { claude: !!flags.claude, codex: !!flags.codex, mcp: !!flags.mcp, gate: !!flags.reviewGate };
  if (interactive && !flags.claude && !flags.codex && !flags.mcp && !flags.reviewGate)
    Object.assign(want, await askIntegrations(config.outcome === 'written' ? config.path : null));
  if (want.gate) want.claude = true;
  const any = want.claude || want.codex || want.mcp;
  const scope: Scope =
    (flags.scope as Scope | undefined) ??
    (interactive && any ? await askScope(!!repoRoot, config.outcome === 'written' ? config.path : null) : 'user');
  const project = scope === 'project';
  const root = repoRoot ?? process.cwd();
  // A shared install names `duo` on PATH: this machine's node and duo paths mean nothing to the next clone.
  const cmd = project ? DUO_ON_PATH : duoCommand();
  const { installed, notes } = await installIntegrations(want, flags, { scope, root, cmd, settings });
  // What init wrote in the repository is duo's set-up, not the user's work (see record/setup-files.ts).
  if (repoRoot)
    rememberSetupFiles(repoRoot, [
      ...(config.outcome === 'written' && config.path ? [config.path] : []),
      ...installed.filter((i) => i.outcome === 'written').map((i) => i.path),
    ]);

  if (flags.json) {
    printJson({ config, scope, agents: probes, installed, notes } satisfies InitJson);
    return 0;
  }
  printInit({ config, scope, probes, installed, notes, any });
  if (interactive) p.outro('done');
  return 0;
}

/** What `init` did about duo.config.json: wrote it, found it (unchanged), or none (not in a repository). */
interface ConfigOutcome {
  path: string | null;
  outcome: Installed['outcome'] | 'none';
  verify: string[];
}

const NO_CONFIG: ConfigOutcome = { path: null, outcome: 'none', verify: [] };

/** The repository's duo.config.json: kept when there is one, else written with the detected verify commands. */
async function writeConfig(repoRoot: string, interactive: boolean, reviewGate: boolean): Promise<ConfigOutcome> {
  ensureRecordExcluded(repoRoot);
  const path = join(repoRoot, CONFIG_FILE);
  if (existsSync(path)) return { path, outcome: 'unchanged', verify: loadConfig(repoRoot).config.verify };
  const detected = (await createGate().detect(repoRoot)).map((c) => c.command);
  const verify = interactive ? await askVerify(detected) : detected;
  writeFileSync(path, renderConfigFile({ verify, detected: detected.length > 0, reviewGate }));
  return { path, outcome: 'written', verify };
}

/** Installs the integrations wanted, in `scope`; says in `notes` what it could not do here and how to do it. */
async function installIntegrations(
  want: { claude: boolean; codex: boolean; mcp: boolean; gate: boolean },
  flags: InitFlags,
  at: { scope: Scope; root: string; cmd: DuoCommand; settings: Config },
): Promise<{ installed: Installed[]; notes: string[] }> {
  const { scope, root, cmd, settings } = at;
  const project = scope === 'project';
  const any = want.claude || want.codex || want.mcp;
  const installed: Installed[] = [];
  const notes: string[] = [];
  const claudeBin = binary(settings, 'claude');
  const codexBin = binary(settings, 'codex');
  if (want.claude) {
    installed.push(...installClaudeCommands(scope, root));
    installed.push(allowDuoCommands(scope, root, { allowDecide: !!flags.allowDecide }));
    if (project)
      notes.push(
        'the Claude Code plugin (/duo:review, /duo:status, …) is installed per user, since its marketplace is a path on ' +
          'this machine: `duo init --claude` (user scope) installs it for you.',
      );
    else if (claudeBin) installed.push(await installClaudePlugin(claudeBin, scope, root));
    else
      notes.push(
        `claude is not on PATH, so the plugin was not installed; later: claude plugin marketplace add ${ASSETS.marketplace} && claude plugin install duo@duo`,
      );
    if (want.gate) installed.push(installReviewGate(scope, root, cmd));
  }
  if (want.codex) {
    installed.push(...installCodexSkills(scope, root));
    if (project)
      notes.push(
        'the Codex prompts for older Codex versions live in $CODEX_HOME (per user): `duo init --codex` adds them.',
      );
  }
  if (want.mcp) {
    // --mcp alone registers with every agent CLI found; with --claude/--codex, with those.
    const both = !flags.claude && !flags.codex;
    if (want.claude || both) {
      if (project) installed.push(registerProjectMcp(root, cmd));
      else if (claudeBin) installed.push(await registerClaudeMcp(claudeBin, scope, root, cmd));
    }
    if (want.codex || both) {
      if (project)
        notes.push(
          'Codex keeps its MCP servers per user ($CODEX_HOME/config.toml): `duo init --mcp --codex` adds duo there.',
        );
      else if (codexBin) installed.push(await registerCodexMcp(codexBin, root, cmd));
    }
    if (!project && !claudeBin && !codexBin)
      notes.push('neither claude nor codex is on PATH: the MCP server was not registered.');
  }
  if (any && (project || cmd.argv[0] !== 'duo') && !which('duo'))
    notes.push(
      `duo is not on PATH, and the /duo commands and the skills call \`duo\`: install it ${INSTALL_DUO}` +
        (!project && (want.gate || want.mcp)
          ? `; meanwhile the review gate and MCP entries call ${cmd.argv.join(' ')}.`
          : '.'),
    );
  if (want.claude && !flags.allowDecide)
    notes.push(
      'Claude Code asks you before it runs `duo decide` or `duo resume` (--allow-decide lets them run unasked).',
    );
  return { installed, notes };
}

/** What init did, for a person. */
function printInit(done: {
  config: ConfigOutcome;
  scope: Scope;
  probes: Awaited<ReturnType<typeof probeAgents>>;
  installed: Installed[];
  notes: string[];
  any: boolean;
}): void {
  const { config, scope, probes, installed, notes, any } = done;
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
}

/** The agent's binary: its configured path, else the one on PATH. */
function binary(config: Config, name: 'claude' | 'codex'): string | null {
  const a = config.agents[name];
  if (a && a.kind === name && a.path) return a.path;
  return which(name);
}

/**
 * One question, answered — or a clear stop: Ctrl-C (clack's cancel), and input that ends before the answer (a closed
 * terminal, a script's pipe running dry), which would otherwise leave the prompt pending until Node exits with 13.
 */
async function ask<T>(question: () => Promise<T | symbol>, written: string | null = null): Promise<T> {
  const stopped = (why: string) =>
    new UsageError(
      `duo init stopped: ${why}. ${written ? `Only ${written} was written.` : 'Nothing was written.'}`,
      'Run duo init again in a terminal, or `duo init --yes` to take what it detects without asking.',
    );
  let end: () => void = () => {};
  const ended = new Promise<never>((_, reject) => {
    end = () => reject(stopped('the input ended before the question was answered'));
  });
  process.stdin.once('end', end);
  process.stdin.once('close', end);
  // The last resort: nothing else is left to happen, so no answer can come.
  process.once('beforeExit', end);
  try {
    const answer = await Promise.race([question(), ended]);
    if (p.isCancel(answer)) throw stopped('cancelled');
    return answer as T;
  } finally {
    process.stdin.off('end', end);
    process.stdin.off('close', end);
    process.off('beforeExit', end);
  }
}

/** The verify commands: the detected ones to keep, then any others, one a question, until an empty answer. */
async function askVerify(detected: string[]): Promise<string[]> {
  const chosen: string[] = [];
  if (detected.length)
    chosen.push(
      ...(await ask<string[]>(() =>
        p.multiselect({
          message: 'Verify commands duo runs itself before calling a run green (detected here):',
          options: detected.map((c) => ({ value: c, label: c })),
          initialValues: detected,
          required: false,
        }),
      )),
    );
  for (let n = 0; n < 20; n++) {
    const more = await ask<string | undefined>(() =>
      p.text({
        message: chosen.length ? 'Another command? (empty when done)' : 'A command duo should run? (empty for none)',
        defaultValue: '',
        placeholder: 'e.g. make check',
      }),
    );
    const command = String(more ?? '').trim();
    if (!command) break;
    chosen.push(command);
  }
  return chosen;
}

async function askIntegrations(
  written: string | null,
): Promise<{ claude: boolean; codex: boolean; mcp: boolean; gate: boolean }> {
  const picked = await ask<string[]>(
    () =>
      p.multiselect({
        message: 'Where do you want to use duo?',
        options: [
          { value: 'claude', label: 'Claude Code: /duo and /duox, and the plugin (/duo:review, /duo:status, …)' },
          {
            value: 'gate',
            label: 'Claude Code: stop-time review gate (reviews uncommitted changes when Claude stops)',
          },
          { value: 'codex', label: 'Codex: the duo and duox skills' },
          { value: 'mcp', label: 'MCP server for both (duo mcp)' },
        ],
        required: false,
      }),
    written,
  );
  const set = new Set(picked);
  return { claude: set.has('claude'), codex: set.has('codex'), mcp: set.has('mcp'), gate: set.has('gate') };
}

async function askScope(inRepo: boolean, written: string | null): Promise<Scope> {
  if (!inRepo) return 'user';
  return ask<Scope>(
    () =>
      p.select({
        message: 'Install for',
        options: [
          { value: 'user' as Scope, label: 'you, in every project (user scope)' },
          { value: 'project' as Scope, label: 'this repository, for everyone who clones it (project scope)' },
        ],
      }),
    written,
  );
}
