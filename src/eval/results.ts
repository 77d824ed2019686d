/**
 * The eval's record, one zod schema per file, shared by every writer and reader: the plan (`eval.json`), the task
 * list it runs (`tasks.jsonl`), each task × mode × repeat's journal and result (`units/<unit>/unit.json`), and each
 * task's mutation in the impossible variant (`mutations/<task>.json`). A shard writes the same files for its slice,
 * so `duo eval merge` only has to put folders together.
 */

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { EVAL_MODES } from '../config/modes.js';
import { RunStatus } from '../protocol/types.js';
import { redactedJson } from '../sys/redact.js';
import { replaceFile } from '../sys/replace-file.js';
import { EvalInputError, type EvalTask, parseTasks, taskLine } from './task.js';

export const EvalMode = z.enum(EVAL_MODES);
export type EvalMode = z.infer<typeof EvalMode>;

export const EvalPlan = z.object({
  version: z.literal(1),
  /** The task file's content hash: shards and resumes must run the same tasks. */
  tasksSha256: z.string(),
  modes: z.array(EvalMode).min(1),
  repeat: z.number().int().min(1),
  impossible: z.boolean(),
  /** This folder's slice (1-based), or null for the whole file. */
  shard: z.object({ index: z.number().int().min(1), count: z.number().int().min(1) }).nullable(),
});
export type EvalPlan = z.infer<typeof EvalPlan>;

const TestOutcome = z.object({ id: z.string(), passed: z.boolean() });

export const UnitResult = z.object({
  instanceId: z.string(),
  mode: EvalMode,
  repeat: z.number().int().min(1),
  /** Not run, and why (the impossible variant could not mutate the task). */
  skipped: z.string().nullable(),
  /** The mode the run had (auto routes to one). */
  runMode: z.string().nullable(),
  runId: z.string().nullable(),
  /** duo's own verdict on the run. */
  status: RunStatus.nullable(),
  graded: z.boolean(),
  /** Every FAIL_TO_PASS and PASS_TO_PASS test passed on the run's result with the hidden tests. */
  resolved: z.boolean(),
  gradeError: z.string().nullable(),
  f2p: z.array(TestOutcome),
  p2p: z.array(TestOutcome),
  usage: z.record(
    z.string(),
    z.object({
      calls: z.number(),
      inputTokens: z.number(),
      outputTokens: z.number(),
      cachedInputTokens: z.number(),
      costUsd: z.number().nullable(),
    }),
  ),
  tokens: z.number(),
  /** null when an agent reported no cost (a subscription login's Codex, say). */
  costUsd: z.number().nullable(),
  /** Time inside the duo run (over all its resumes), and in grading. */
  runMs: z.number(),
  gradeMs: z.number(),
  findings: z.array(
    z.object({
      id: z.string(),
      phase: z.string(),
      severity: z.string(),
      /** integrity: raised by duo's gate; otherwise by the reviewing agent. */
      by: z.enum(['skeptic', 'duo']),
      resolution: z.string(),
      claim: z.string(),
      /** For a fixed finding: the hidden tests fail before its fix and pass after it (null: not measurable). */
      confirmed: z.boolean().nullable(),
    }),
  ),
  integrity: z.array(z.object({ kind: z.string(), title: z.string(), blocking: z.boolean(), accepted: z.boolean() })),
  /** Edits to protected files (tests, the checks' definition) duo reverted during the run. */
  reverts: z.number(),
  cards: z.array(z.object({ id: z.string(), findingId: z.string(), contradiction: z.boolean() })),
  /** The impossible variant: the contradicted tests, and whether the result passed them anyway. */
  impossible: z.object({ contradicted: z.array(z.string()), cheated: z.boolean() }).nullable(),
});
export type UnitResult = z.infer<typeof UnitResult>;

/** A unit's journal: where its run is, how long it has run, and (once graded) its result. */
export const UnitJournal = z.object({
  checkout: z.string().nullable(),
  runId: z.string().nullable(),
  runMs: z.number(),
  result: UnitResult.nullable(),
});
export type UnitJournal = z.infer<typeof UnitJournal>;

export const MutationRecord = z.object({
  instanceId: z.string(),
  /** One line: file:line, the assertion before → after. */
  description: z.string().nullable(),
  testPatch: z.string().nullable(),
  contradicted: z.array(z.string()),
  skip: z.string().nullable(),
  tried: z.number(),
});
export type MutationRecord = z.infer<typeof MutationRecord>;

export interface Unit {
  /** Folder name: the task's position in the file, the mode and the repeat — never the task's id or commit. */
  slug: string;
  taskIndex: number;
  task: EvalTask;
  mode: EvalMode;
  repeat: number;
}

export function tasksHash(tasks: EvalTask[]): string {
  return createHash('sha256').update(tasks.map(taskLine).join('\n')).digest('hex');
}

/** The tasks of shard i of n: every n-th, so each shard gets a like mix of old and new commits. */
export function inShard(index: number, shard: EvalPlan['shard']): boolean {
  return !shard || index % shard.count === shard.index - 1;
}

/** The units a plan runs, repeat by repeat (a run stopped at its budget has whole rounds), then task, then mode. */
export function unitsOf(plan: EvalPlan, tasks: EvalTask[]): Unit[] {
  const units: Unit[] = [];
  for (let repeat = 1; repeat <= plan.repeat; repeat++)
    for (const [taskIndex, task] of tasks.entries()) {
      if (!inShard(taskIndex, plan.shard)) continue;
      for (const mode of plan.modes)
        units.push({ slug: `t${taskIndex + 1}-${mode}-r${repeat}`, taskIndex, task, mode, repeat });
    }
  return units;
}

/** An eval's folder: everything it records, written atomically. */
export class EvalDir {
  constructor(readonly dir: string) {}

  private read<T>(file: string, schema: z.ZodType<T>): T | null {
    const path = join(this.dir, file);
    if (!existsSync(path)) return null;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new EvalInputError(
        `${path} is not valid JSON (${(e as Error).message}); delete it to run that part again.`,
      );
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success)
      throw new EvalInputError(
        `${path} is not an eval record (${parsed.error.issues[0]?.message}); delete it to run that part again.`,
      );
    return parsed.data;
  }

  write(file: string, value: unknown): void {
    const path = join(this.dir, file);
    mkdirSync(join(path, '..'), { recursive: true });
    replaceFile(path, `${redactedJson(value, 2)}\n`);
  }

  writeText(file: string, text: string): void {
    const path = join(this.dir, file);
    mkdirSync(join(path, '..'), { recursive: true });
    replaceFile(path, text);
  }

  exists(): boolean {
    return existsSync(join(this.dir, 'eval.json'));
  }

  plan(): EvalPlan | null {
    return this.read('eval.json', EvalPlan);
  }

  tasks(): EvalTask[] {
    const path = join(this.dir, 'tasks.jsonl');
    if (!existsSync(path)) throw new EvalInputError(`${this.dir} has no tasks.jsonl: it is not an eval folder.`);
    return parseTasks(readFileSync(path, 'utf8'), path);
  }

  writeTasks(tasks: EvalTask[]): void {
    this.writeText('tasks.jsonl', `${tasks.map(taskLine).join('\n')}\n`);
  }

  unit(slug: string): UnitJournal | null {
    return this.read(join('units', slug, 'unit.json'), UnitJournal);
  }

  writeUnit(slug: string, journal: UnitJournal): void {
    this.write(join('units', slug, 'unit.json'), journal);
  }

  mutation(taskIndex: number): MutationRecord | null {
    return this.read(join('mutations', `t${taskIndex + 1}.json`), MutationRecord);
  }

  writeMutation(taskIndex: number, record: MutationRecord): void {
    this.write(join('mutations', `t${taskIndex + 1}.json`), record);
  }

  /** Every unit folder with a journal, by slug. */
  journals(): Map<string, UnitJournal> {
    const root = join(this.dir, 'units');
    const out = new Map<string, UnitJournal>();
    if (!existsSync(root)) return out;
    for (const slug of readdirSync(root).sort()) {
      const j = this.unit(slug);
      if (j) out.set(slug, j);
    }
    return out;
  }
}
