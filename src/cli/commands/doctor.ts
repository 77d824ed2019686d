import pc from 'picocolors';
import type { AgentProbe } from '../../agents/port.js';
import { agentConfig, createAgent } from '../../agents/registry.js';
import { loadConfig } from '../../config/load.js';
import { findRepoRoot } from '../../workspace/index.js';
import { printJson } from '../json.js';

/** For each configured role's agent: found, version (in the tested range?), logged in, sandbox. Spends no tokens. */
export async function doctorCommand(flags: { json?: boolean; config?: string }): Promise<number> {
  let root = process.cwd();
  try {
    root = await findRepoRoot(process.cwd());
  } catch {
    // doctor works outside a repo too; config then comes from --config or defaults.
  }
  const { config } = loadConfig(root, flags.config);
  const roles = {
    driver: config.roles.driver,
    skeptic: config.roles.skeptic,
    ...(config.roles.subtask ? { subtask: config.roles.subtask } : {}),
  };
  const names = [...new Set(Object.values(roles))];
  const probes: (AgentProbe & { roles: string[]; ok: boolean })[] = [];
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
  if (flags.json) printJson({ agents: probes });
  else {
    for (const p of probes) {
      const mark = p.ok ? pc.green('ok  ') : pc.red('FAIL');
      process.stdout.write(`${mark} ${pc.bold(p.name)} (${p.kind}; ${p.roles.join(', ')})\n`);
      process.stdout.write(`     found: ${p.found ? (p.path ?? 'yes') : 'no'}\n`);
      if (p.version)
        process.stdout.write(
          `     version: ${p.version}${p.versionTested === false ? pc.yellow(` (not the tested ${p.testedRange})`) : ''}\n`,
        );
      if (p.loggedIn !== undefined) process.stdout.write(`     logged in: ${p.loggedIn}\n`);
      if (p.sandbox) process.stdout.write(`     sandbox: ${p.sandbox}\n`);
      for (const problem of p.problems) process.stdout.write(`     ${pc.red(problem)}\n`);
    }
  }
  return probes.every((p) => p.ok) ? 0 : 1;
}
