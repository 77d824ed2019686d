/**
 * How much of a run's wall time is duo's: a pair run against its critical path of agent calls and verify commands
 * (P1), independent sub-tasks fanned out (P2), and a panel review's two reviewers at once.
 */

import { performance } from 'node:perf_hooks';
import { Scenario } from '../agents/scripted.js';
import { demoScenarioWithLatency } from '../demo/sample.js';
import { parseRunEvents } from '../protocol/run-events.js';
import type { RunState } from '../protocol/types.js';
import { RunStore } from '../record/store.js';
import { demoRun, scenario } from './demo-run.js';
import { type Figure, goal, median } from './figure.js';
import { pristineFigure, timedWorkspace } from './gate.js';

/**
 * P1, orchestration overhead: a whole pair run on scripted agents that each take a fixed time, against its critical
 * path — every agent call (they run one after another here) plus, per gate attempt, its slowest command. What is
 * left is duo: git worktrees and commits, checkpoints, the integrity checks, the report.
 */
export async function orchestration(n: number): Promise<Figure[]> {
  const latency = 1000;
  const ratios: number[] = [];
  const checkouts: number[] = [];
  const critical: number[] = [];
  let last = '';
  for (let i = 0; i < n; i++) {
    let timed: ReturnType<typeof timedWorkspace> | undefined;
    const { ms, state, repo } = await demoRun(latency, {}, [], undefined, scenario(latency), {
      workspace: (ws) => {
        timed = timedWorkspace(ws);
        return timed.ws;
      },
    });
    checkouts.push(timed?.ms.get('pristineCheckout') ?? 0);
    const calls = parseRunEvents(new RunStore(repo).readText(state.runId, 'events.jsonl') ?? '').filter(
      (e) => e.type === 'agent-call',
    );
    const agents = calls.reduce((sum, e) => sum + e.durationMs, 0);
    const gates = state.verify.reduce(
      (sum, v) => sum + Math.max(0, ...[...v.results, ...(v.original?.results ?? [])].map((r) => r.durationMs)),
      0,
    );
    ratios.push(ms / (agents + gates));
    critical.push(agents + gates);
    const spent = [...(timed?.ms ?? [])].sort((a, b) => b[1] - a[1]);
    const git = spent.reduce((sum, [, t]) => sum + t, 0);
    last =
      `wall ${ms.toFixed(0)} ms; critical path ${(agents + gates).toFixed(0)} ms (${calls.length} agent calls of ${latency} ms, ` +
      `${state.verify.length} gate attempts ${gates.toFixed(0)} ms); duo's own ${(ms - agents - gates).toFixed(0)} ms, of which ` +
      `git and the file system ${git.toFixed(0)} ms (${spent
        .slice(0, 6)
        .map(([k, t]) => `${k} ${t.toFixed(0)}`)
        .join(', ')}; some beside the calls), the rest checkpoints, prompts and the report`;
  }
  const ratio = median(ratios);
  return [
    {
      id: 'P1',
      what: 'orchestration: a pair run’s wall time ÷ its critical path of agent calls and verify commands',
      value: ratio,
      unit: 'ratio',
      ...goal(ratio, '≤', 1.03),
      detail: last,
    },
    pristineFigure(checkouts, critical),
  ];
}

/** P2, fan-out: four independent sub-tasks at --parallel 4 against the same four one at a time. */
export async function fanOut(n: number): Promise<Figure[]> {
  const latency = 1000;
  const approve = { answer: { verdict: 'approve', summary: 'ok', findings: [], rechecks: [] } };
  const subs = [1, 2, 3, 4].map((k) => ({
    id: `S${k}`,
    title: `part ${k}`,
    description: `write src/part${k}.js`,
    files: [`src/part${k}.js`],
    independent: true,
  }));
  const plan = {
    summary: 'four parts',
    files: subs.map((x) => ({ path: x.files[0], change: 'new' })),
    approach: 'one sub-task per part',
    tests: [],
    testChanges: [],
    risks: [],
    rollback: null,
    subtasks: subs,
    answers: [],
  };
  const work = (files: Record<string, string>) => ({
    answer: { summary: 'done', filesChanged: Object.keys(files), claims: [], contradiction: null },
    writes: files,
  });
  const s = Scenario.parse({
    agents: {
      claude: {
        plan: [{ answer: plan }],
        'review-patch': subs.map(() => approve),
        implement: [work({})],
      },
      codex: {
        critique: [approve],
        subtask: subs.map((x) => ({
          ...work({ [x.files[0] as string]: `export const ${x.id} = 1;\n` }),
          delayMs: latency,
        })),
        review: [approve],
      },
    },
  });
  const span = (state: RunState) => {
    const steps = subs.map((x) => state.steps[`subtask/${x.id}/work`]!);
    const start = Math.min(...steps.map((st) => Date.parse(st.at)));
    const end = Math.max(...steps.map((st) => Date.parse(st.at) + st.durationMs));
    return end - start;
  };
  const speedups: number[] = [];
  let last = '';
  for (let i = 0; i < n; i++) {
    const par = span((await demoRun(0, { parallel: 4 }, [], undefined, s)).state);
    const ser = span((await demoRun(0, { parallel: 1 }, [], undefined, s)).state);
    speedups.push(ser / par);
    last = `4 sub-tasks of ${latency} ms: serial ${ser} ms, --parallel 4 ${par} ms`;
  }
  const speedup = median(speedups);
  return [
    {
      id: 'P2',
      what: 'fan-out: 4 independent sub-tasks at --parallel 4, speed-up over one at a time',
      value: speedup,
      unit: 'ratio',
      ...goal(speedup, '≥', 3.5),
      detail: last,
    },
  ];
}

/**
 * A panel review really runs its two reviewers at once: from the review's start to the driver's first answer, ÷ the
 * slower reviewer's call (codex takes 1 s, claude 1.5 s). What is left is duo: the second reviewer's scratch
 * checkout of the commit, and merging the findings.
 */
export async function panelReview(n: number): Promise<Figure[]> {
  const ratios: number[] = [];
  let last = '';
  for (let i = 0; i < n; i++) {
    const s = demoScenarioWithLatency(0);
    const codex = s.agents.codex as Record<string, { delayMs?: number }[]>;
    const claude = s.agents.claude as Record<string, { delayMs?: number }[]>;
    codex.review = [{ ...codex.review![0], delayMs: 1000 }, ...codex.review!.slice(1)];
    claude.review = [{ ...codex.review[0], delayMs: 1500 }];
    let start = 0;
    let end = 0;
    const { state } = await demoRun(0, {}, [], undefined, Scenario.parse(s), {
      panel: true,
      progress: (e) => {
        if (e.type === 'phase' && e.phase === 'review' && !start) start = performance.now();
        if (e.type === 'agent' && e.purpose === 'answer-findings' && e.state === 'start' && !end)
          end = performance.now();
      },
    });
    const slower = Math.max(
      ...['review/r1/review', 'review/r1/panel-review'].map((k) => state.steps[k]?.durationMs ?? 0),
    );
    ratios.push((end - start) / slower);
    last = `review to the first answer ${(end - start).toFixed(0)} ms; the slower reviewer's call ${slower} ms (codex 1 s, claude 1.5 s, at once)`;
  }
  const ratio = median(ratios);
  return [
    {
      id: 'panel',
      what: 'a panel review (both agents at once): its wall time ÷ the slower reviewer',
      value: ratio,
      unit: 'ratio',
      ...goal(ratio, '≤', 1.1),
      detail: last,
    },
  ];
}
