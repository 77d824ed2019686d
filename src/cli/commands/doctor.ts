import type { AgentProbe } from '../../agents/port.js';
import { agentConfig, createAgent } from '../../agents/registry.js';
import { loadConfig } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import type { DoctorJson } from '../../wire/setup.js';
import { findRepoRoot } from '../../workspace/index.js';
import { pc } from '../color.js';
import type { ReadFlags } from '../flags.js';
import { printJson } from '../json.js';

export type Probe = AgentProbe & { roles: string[]; ok: boolean };

/** For each configured role's agent: found, version (in the tested range?), logged in, sandbox. Spends no tokens. */
export async function doctorCommand(flags: ReadFlags): Promise<number> {
  let root = process.cwd();
  try {
    root = await findRepoRoot(process.cwd());
  } catch {
    // doctor works outside a repo too; config then comes from --config or defaults.
  }
  const { config } = loadConfig(root, flags.config);
  const probes = await probeAgents(config);
  if (flags.json) printJson({ agents: probes } satisfies DoctorJson);
  else process.stdout.write(renderProbes(probes));
  return probes.every((p) => p.ok) ? 0 : 1;
}

/** The checks `duo doctor` makes, for `duo init` too. */
export async function probeAgents(config: Config): Promise<Probe[]> {
  const roles = {
    driver: config.roles.driver,
    skeptic: config.roles.skeptic,
    ...(config.roles.subtask ? { subtask: config.roles.subtask } : {}),
  };
  const names = [...new Set(Object.values(roles))];
  const probes: Probe[] = [];
  for (const name of names) {
    const agent = createAgent(name, agentConfig(config, name));
    const probe: AgentProbe = agent.probe ? await agent.probe() : { name, kind: agent.kind, found: true, problems: [] };
    const ok = probe.found && probe.loggedIn !== false && probe.problems.length === 0;
    probes.push({
      ...probe,
      roles: Object.entries(roles)
        .filter(([, n]) => n === name)
        .map(([r]) => r),
      ok,
    });
  }
  return probes;
}

export function renderProbes(probes: Probe[]): string {
  let out = '';
  for (const p of probes) {
    const mark = p.ok ? pc.green('ok  ') : pc.red('FAIL');
    out += `${mark} ${pc.bold(p.name)} (${p.kind}; ${p.roles.join(', ')})\n`;
    out += `     found: ${p.found ? (p.path ?? 'yes') : 'no'}\n`;
    if (p.version)
      out += `     version: ${p.version}${p.versionTested === false ? pc.yellow(` (not the tested ${p.testedRange})`) : ''}\n`;
    if (p.loggedIn !== undefined) out += `     logged in: ${p.loggedIn}\n`;
    if (p.sandbox) out += `     sandbox: ${p.sandbox}\n`;
    for (const problem of p.problems) out += `     ${pc.red(problem)}\n`;
  }
  return out;
}
