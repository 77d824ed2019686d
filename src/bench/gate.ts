/**
 * The gate's own costs: its commands run in parallel (P3), the baseline beside the plan phase, the pristine checkout
 * each attempt is judged in (against a run's critical path, as P1 counts it), and the check after every agent call
 * for writes outside the worktree, on a 50,000-file node_modules.
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createGate } from '../gate/index.js';
import { createWorkspace } from '../workspace/index.js';
import type { Workspace } from '../workspace/types.js';
import { demoRun } from './demo-run.js';
import { type Figure, goal, median } from './figure.js';

/**
 * The workspace with every method timed, by name: where duo's own time in a run goes (git around the agent calls,
 * the gate's checkouts). Times of calls that overlap one another (the baseline beside the plan) add up.
 */
export function timedWorkspace(ws: Workspace): { ws: Workspace; ms: Map<string, number> } {
  const ms = new Map<string, number>();
  const timed = new Proxy(ws, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const t0 = performance.now();
        const add = () => ms.set(String(key), (ms.get(String(key)) ?? 0) + performance.now() - t0);
        const out = value.apply(target, args);
        if (out instanceof Promise) return out.finally(add);
        add();
        return out;
      };
    },
  });
  return { ws: timed, ms };
}

/** The pristine checkouts of a run, as a share of its critical path: what they add to P1. */
export function pristineFigure(checkoutMs: number[], criticalMs: number[]): Figure {
  const shares = checkoutMs.map((ms, i) => ms / (criticalMs[i] as number));
  const share = median(shares);
  return {
    id: 'P1-pristine',
    what: "the gate's pristine checkouts (baseline and each attempt) ÷ the run's critical path: what they add to P1",
    value: share,
    unit: 'ratio',
    ...goal(share, '≤', 0.05),
    detail: `${median(checkoutMs).toFixed(0)} ms of checkouts in a run whose critical path is ${median(criticalMs).toFixed(0)} ms`,
  };
}

/** A repository with a node_modules of `files` files (1,000 packages of 5 folders) and a few real-looking links. */
function bigRepo(files: number): string {
  const repo = join(mkdtempSync(join(tmpdir(), 'duo-bench-deps-')), 'repo');
  mkdirSync(repo, { recursive: true });
  writeFileSync(join(repo, 'package.json'), '{"name":"big","scripts":{"test":"node --test"}}\n');
  writeFileSync(join(repo, '.gitignore'), 'node_modules/\n');
  const perPackage = 50;
  for (let p = 0; p < files / perPackage; p++)
    for (let d = 0; d < 5; d++) {
      const dir = join(repo, 'node_modules', `pkg${p}`, d ? `lib/sub${d}` : '');
      mkdirSync(dir, { recursive: true });
      for (let f = 0; f < perPackage / 5; f++) writeFileSync(join(dir, `f${f}.js`), 'module.exports = 1;\n');
    }
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@localhost', ...args], { cwd: repo, stdio: 'pipe' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'init');
  return repo;
}

/** The check after each agent call, and the linking of that node_modules into a checkout. */
export async function dependencyWriteCheck(n: number, files = 50_000): Promise<Figure[]> {
  const repo = bigRepo(files);
  const ws = createWorkspace(repo);
  const sha = await ws.head(repo);
  const links: number[] = [];
  let checkout = '';
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    checkout = await ws.pristineCheckout(`bench-${i}`, sha);
    links.push(performance.now() - t0);
  }
  const checks: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const stamp = await ws.outsideStamp();
    const found = await ws.outsideWrites(stamp);
    checks.push(performance.now() - t0);
    if (found.length) throw new Error(`bench: an untouched node_modules reported writes: ${JSON.stringify(found)}`);
  }
  // And it does see one: a file rewritten through the checkout's link.
  const stamp = await ws.outsideStamp();
  writeFileSync(join(checkout, 'node_modules', 'pkg7', 'lib', 'sub3', 'f1.js'), 'module.exports = 2;\n');
  const seen = await ws.outsideWrites(stamp);
  if (seen[0]?.paths[0] !== 'pkg7/lib/sub3/f1.js')
    throw new Error(`bench: the write was not found: ${JSON.stringify(seen)}`);
  const ms = median(checks);
  return [
    {
      id: 'dep-write',
      what: `the check for writes outside the worktree after an agent call, on a ${files.toLocaleString('en')}-file node_modules (and the shared .git)`,
      value: ms,
      unit: 'ms',
      ...goal(ms, '≤', 100, ' ms'),
      detail: `find -cnewer over the linked folder; linking that node_modules into a fresh checkout took ${median(links).toFixed(0)} ms (worktree add included)`,
    },
  ];
}

/** The baseline runs beside the plan phase: a run with it should take no longer than one without. */
export async function baselineCost(n: number): Promise<Figure[]> {
  // A suite that takes a second, and agents that take 400 ms a call: the plan phase is longer than the baseline.
  const verify = ['sleep 1 && npm test'];
  const withIt: number[] = [];
  const without: number[] = [];
  let baselineMs = 0;
  for (let i = 0; i < n; i++) {
    const a = await demoRun(400, {}, verify);
    withIt.push(a.ms);
    baselineMs = a.state.baseline?.durationMs ?? 0;
    without.push((await demoRun(400, { baseline: false }, verify)).ms);
  }
  const ratio = median(withIt) / median(without);
  return [
    {
      id: 'baseline',
      what: 'run wall time with the baseline ÷ without it (scripted agents, 400 ms a call; a 1 s suite)',
      value: ratio,
      unit: 'ratio',
      ...goal(ratio, '≤', 1.05),
      detail: `with ${median(withIt).toFixed(0)} ms, without ${median(without).toFixed(0)} ms; the baseline itself took ${baselineMs.toFixed(0)} ms beside the plan phase`,
    },
  ];
}

/** P3: three verify commands at once take as long as the slowest. */
export async function parallelGate(n: number): Promise<Figure[]> {
  const gate = createGate();
  const cwd = mkdtempSync(join(tmpdir(), 'duo-bench-gate-'));
  const jobs = [0.3, 0.6, 0.9].map((s) => ({ command: `sleep ${s}`, kind: 'other' as const, source: 'bench' }));
  const ratios: number[] = [];
  let last = '';
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const out = await gate.run(jobs, {
      cwd,
      logDir: join(cwd, 'logs'),
      label: `p3-${i}`,
      timeoutMs: 60_000,
      parallel: true,
    });
    const wall = performance.now() - t0;
    const slowest = Math.max(...out.results.map((r) => r.durationMs));
    ratios.push(wall / slowest);
    last = `wall ${wall.toFixed(0)} ms, slowest command ${slowest.toFixed(0)} ms`;
  }
  const ratio = median(ratios);
  return [
    {
      id: 'P3',
      what: 'verify gate: wall time ÷ the slowest of three commands run in parallel',
      value: ratio,
      unit: 'ratio',
      ...goal(ratio, '≤', 1.1),
      detail: last,
    },
  ];
}
