/**
 * `npm run demo:eval`: `duo eval` on the demo's sample repository, on scripted agents — no keys, no network. It
 * builds the sample shop with its short history, mines it (`duo eval mine`), gives each mined task its scripted
 * agents, and runs solo against pair (`duo eval run --modes solo,pair`): sealed checkouts, real engine runs, the
 * hidden tests grading them, and the report with its statistics.
 */

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pc } from '../cli/color.js';
import { main } from '../cli/main.js';
import { readTasks } from '../eval/task.js';
import { defaultDuoHome } from '../sys/home.js';
import { evalDemoScenario } from './eval-scenarios.js';
import { writeSampleRepo } from './sample.js';

async function runEvalDemo(): Promise<number> {
  const base = mkdtempSync(join(tmpdir(), 'duo-demo-eval-'));
  const repo = writeSampleRepo(join(base, 'sample-shop'));
  defaultDuoHome(() => join(base, 'duo-home'));
  const tasksFile = join(base, 'tasks.jsonl');
  const results = join(base, 'eval');
  const previous = process.cwd();
  process.chdir(repo);
  try {
    process.stderr.write(
      `${pc.bold('duo demo:eval')} — the sample shop's history: ${repo}\n\n$ duo eval mine -o ${tasksFile}\n`,
    );
    const mined = await main(['eval', 'mine', '-o', tasksFile]);
    if (mined !== 0) return mined;
    // Scripted agents answer each task from its own scenario: the eval fills {instance_id} into the path.
    const agents = join(base, 'agents');
    mkdirSync(agents, { recursive: true });
    for (const task of readTasks(tasksFile)) {
      const scenario = evalDemoScenario(task.problem_statement);
      if (scenario) writeFileSync(join(agents, `${task.instance_id}.json`), JSON.stringify(scenario, null, 2));
    }
    const config = join(base, 'duo.config.json');
    const scripted = { kind: 'scripted', scenario: join(agents, '{instance_id}.json') };
    writeFileSync(
      config,
      JSON.stringify({ agents: { claude: scripted, codex: scripted }, limits: { retryBaseMs: 10 } }, null, 2),
    );
    const args = [
      'eval',
      'run',
      tasksFile,
      '--modes',
      'solo,pair',
      '--parallel',
      '2',
      '--yes',
      '--config',
      config,
      '--out',
      results,
    ];
    process.stderr.write(`\n$ duo ${args.join(' ')}\n`);
    const code = await main(args);
    process.stderr.write(
      [
        '',
        pc.bold('Where it is'),
        `tasks:   ${tasksFile}`,
        `results: ${results} (each run's record and patch under units/)`,
        `html:    duo eval report ${results} --html`,
        '',
      ].join('\n'),
    );
    return code;
  } finally {
    process.chdir(previous);
  }
}

process.exitCode = await runEvalDemo();
