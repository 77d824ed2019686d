import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pc } from '../cli/color.js';
import { main } from '../cli/main.js';
import { defaultDuoHome } from '../sys/home.js';
import { DEMO_TASK, demoScenario, writeSampleRepo } from './sample.js';

/**
 * `npm run demo`: no keys, no network. Makes a sample repo in a temp folder and runs the real engine on scripted
 * agents (the agents' answers are the only thing scripted: git, the worktree, the verify gate are real).
 */
async function runDemo(): Promise<number> {
  const base = mkdtempSync(join(tmpdir(), 'duo-demo-'));
  const repo = join(base, 'sample-shop');
  writeSampleRepo(repo);
  // The scripted agents and their config live beside the repo, not in it: the user's tree stays untouched.
  const scenario = join(base, 'scenario.json');
  writeFileSync(scenario, JSON.stringify(demoScenario(), null, 2));
  const config = join(base, 'duo.config.json');
  writeFileSync(
    config,
    JSON.stringify(
      {
        agents: { claude: { kind: 'scripted', scenario }, codex: { kind: 'scripted', scenario } },
        limits: { retryBaseMs: 10 },
      },
      null,
      2,
    ),
  );
  defaultDuoHome(() => join(base, 'duo-home'));

  process.stderr.write(`${pc.bold('duo demo')} — sample repo: ${repo}\n`);
  process.stderr.write(`task: ${DEMO_TASK}\n\n`);
  const previous = process.cwd();
  process.chdir(repo);
  let code: number;
  try {
    code = await main(['run', DEMO_TASK, '--config', config, '--yes']);
  } finally {
    process.chdir(previous);
  }
  const runs = join(repo, '.duo', 'runs');
  const runId = readdirNewest(runs);
  const report = join(runs, runId, 'report.md');
  const state = JSON.parse(readFileSync(join(runs, runId, 'state.json'), 'utf8'));
  const attempts = state.verify.map((v: { status: string }) => v.status.toUpperCase()).join(' → ');
  process.stdout.write(
    [
      '',
      pc.bold('What happened'),
      `- plan: the skeptic caught ${state.findings.filter((f: { phase: string }) => f.phase === 'plan').length} problem(s) before any code, incl. a blocker: rounding each share loses cents`,
      `- review: ${state.findings.filter((f: { phase: string }) => f.phase === 'review').length} finding(s); one fixed, one rebutted in writing and accepted`,
      `- verify (run by duo, not the agents): ${attempts} — the driver had claimed "All tests pass."`,
      `- the gate held: ${state.reverts.map((r: { reason: string }) => r.reason).join('; ') || 'nothing to revert'} — duo reverted it, so the driver had to fix the code`,
      `- disagreements recorded: ${state.disagreements.length}; the rebuttals the skeptic accepted are now this repository's memory — \`duo memory\` there lists them, and a next run will not argue them again`,
      '',
      `report:        ${report}`,
      `disagreements: ${join(runs, runId, 'disagreements.md')}`,
      `branch:        duo/${runId} in ${repo} (your tree there is untouched; \`duo apply ${runId}\` would bring it in)`,
      '',
    ].join('\n'),
  );
  return code;
}

function readdirNewest(dir: string): string {
  const last = readdirSync(dir).sort().at(-1);
  if (!last) throw new Error('the demo run left no record');
  return last;
}

process.exitCode = await runDemo();
