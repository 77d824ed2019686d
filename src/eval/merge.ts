/**
 * `duo eval merge <dirs…>`: the shards of one eval (`--shard i/n` on CI runners, say) put back together. Shards are
 * plain eval folders over the same task file with the same modes, repeats and variant; the merged folder holds
 * their units side by side and the plan without a shard, so its report is the report an unsharded run would give.
 * No scheduler: which runner ran which slice does not matter.
 */

import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildReport, type EvalReport } from './report.js';
import { EvalDir, type EvalPlan, type UnitResult, unitsOf } from './results.js';
import { EvalInputError } from './task.js';

export function openEval(dir: string): { dir: EvalDir; plan: EvalPlan } {
  const d = new EvalDir(resolve(dir));
  const plan = d.plan();
  if (!plan) throw new EvalInputError(`${dir} is not an eval folder (no eval.json); \`duo eval run\` makes one.`);
  return { dir: d, plan };
}

/** The report of an eval folder: its plan's units, with the results it holds. */
export function reportOf(dir: EvalDir, plan: EvalPlan): EvalReport {
  const tasks = dir.tasks();
  const journals = dir.journals();
  const results: UnitResult[] = [];
  for (const u of unitsOf(plan, tasks)) {
    const r = journals.get(u.slug)?.result;
    if (r) results.push(r);
  }
  // The report is over the whole task list a merged or unsharded eval runs; a lone shard says it is incomplete.
  return buildReport(
    { ...plan, shard: null },
    tasks.map((t) => t.instance_id),
    results,
  );
}

export function mergeEvals(dirs: string[], into: string): { dir: EvalDir; plan: EvalPlan; units: number } {
  if (!dirs.length) throw new EvalInputError('duo eval merge needs the eval folders to merge: duo eval merge <dir>…');
  const opened = dirs.map(openEval);
  const first = opened[0] as (typeof opened)[number];
  const same = (p: EvalPlan) => JSON.stringify({ ...p, shard: null });
  for (const o of opened.slice(1))
    if (same(o.plan) !== same(first.plan))
      throw new EvalInputError(
        `${o.dir.dir} is not a shard of the same eval as ${first.dir.dir}: its task file, modes, repeats or variant differ.`,
      );
  const target = new EvalDir(resolve(into));
  if (opened.some((o) => o.dir.dir === target.dir))
    throw new EvalInputError(`merge into a new folder, not into one of the shards (${into}).`);
  const plan: EvalPlan = { ...first.plan, shard: null };
  target.write('eval.json', plan);
  target.writeTasks(first.dir.tasks());
  const owner = new Map<string, string>();
  let units = 0;
  for (const o of opened) {
    for (const [slug, journal] of o.dir.journals()) {
      if (!journal.result) continue;
      const seen = owner.get(slug);
      if (seen)
        throw new EvalInputError(`${slug} was run by two shards (${seen} and ${o.dir.dir}); merge one of them.`);
      owner.set(slug, o.dir.dir);
      cpSync(join(o.dir.dir, 'units', slug), join(target.dir, 'units', slug), { recursive: true });
      units++;
    }
    const mutations = join(o.dir.dir, 'mutations');
    if (existsSync(mutations))
      for (const f of readdirSync(mutations)) cpSync(join(mutations, f), join(target.dir, 'mutations', f));
  }
  return { dir: target, plan, units };
}
