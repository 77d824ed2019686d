/**
 * The `--json` wire schemas (this folder) as JSON Schema, for users who parse duo's output with another language's
 * tools. `npm run build` writes them to dist/schema/<name>.json, so the package ships them and git holds only their
 * zod source: a generated copy in git could drift from the schema the writer is typed by.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { EvalMineJson, EvalReportJson, EvalRunJson } from './eval.js';
import { CleanJson, DecideJson, DiffJson, ForgetJson, LogHtmlJson, LogJson, MemoryJson } from './records.js';
import {
  ApplyCommandJson,
  CancelJson,
  DetachedJson,
  ErrorJson,
  NothingToReviewJson,
  RunCommandJson,
  ShowHtmlJson,
  ShowJson,
  StatusJson,
  WaitJson,
} from './run.js';
import { DoctorJson, InitJson } from './setup.js';
import { BudgetJson, StatsJson } from './user.js';

/**
 * Every command's `--json`, by the name `npm run build` exports it under (dist/schema/<name>.json). A command whose
 * output has two forms has two names (`show` and `show-html`); any command that fails prints `error`.
 */
export const WIRE_SCHEMAS = {
  run: RunCommandJson,
  detached: DetachedJson,
  'review-nothing': NothingToReviewJson,
  show: ShowJson,
  'show-html': ShowHtmlJson,
  apply: ApplyCommandJson,
  status: StatusJson,
  wait: WaitJson,
  cancel: CancelJson,
  log: LogJson,
  'log-html': LogHtmlJson,
  memory: MemoryJson,
  'memory-forget': ForgetJson,
  diff: DiffJson,
  decide: DecideJson,
  clean: CleanJson,
  doctor: DoctorJson,
  init: InitJson,
  budget: BudgetJson,
  stats: StatsJson,
  'eval-mine': EvalMineJson,
  'eval-run': EvalRunJson,
  'eval-report': EvalReportJson,
  error: ErrorJson,
} as const;

/** The command each schema's output comes from, where it is not `duo <name> --json`. */
const TITLES: Partial<Record<keyof typeof WIRE_SCHEMAS, string>> = {
  detached: 'duo run|resume|review --detach --json',
  'review-nothing': 'duo review --json, when there is nothing to review',
  'show-html': 'duo show --html --json',
  'log-html': 'duo log --html --json',
  'memory-forget': 'duo memory forget --json',
  'eval-mine': 'duo eval mine --json',
  'eval-run': 'duo eval run --json',
  'eval-report': 'duo eval report|merge --json',
  error: 'duo <command> --json, when it fails',
};

/** Each wire schema as JSON Schema (draft 2020-12), by name; what the parsers read, so defaults count as required. */
export function jsonSchemas(): Record<keyof typeof WIRE_SCHEMAS, Record<string, unknown>> {
  const out = {} as Record<keyof typeof WIRE_SCHEMAS, Record<string, unknown>>;
  for (const [name, schema] of Object.entries(WIRE_SCHEMAS) as [keyof typeof WIRE_SCHEMAS, z.ZodType][])
    out[name] = {
      ...z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }),
      title: TITLES[name] ?? `duo ${name} --json`,
    };
  return out;
}

/** The build's step: one file per schema in `dir`; returns the files written. */
export function writeJsonSchemas(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return Object.entries(jsonSchemas()).map(([name, schema]) => {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
    return file;
  });
}
