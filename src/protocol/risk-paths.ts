/**
 * The paths an agreed plan touches say more about risk than the words of the task: "tidy up the helpers" that
 * turns out to edit a migration or the session code is not a one-agent job. duo's own list covers migrations,
 * schema files, auth and payments; `routing.riskPaths` adds globs. Matching is case-insensitive on repo-relative
 * paths; a false alarm costs a review, a miss costs an unreviewed change to money or auth, so the list leans wide.
 */

import picomatch from 'picomatch';
import type { RoutingConfig } from '../config/schema.js';
import type { Plan } from './schemas.js';

const WORDS: [string, string[]][] = [
  ['migration', ['migrat', 'alembic', 'flyway', 'liquibase', 'changelog']],
  ['auth', ['auth', 'login', 'password', 'permission', 'session', 'jwt', 'csrf', 'crypto', 'secret', 'rbac', 'acl']],
  ['payments', ['payment', 'billing', 'invoice', 'checkout', 'stripe', 'refund', 'pricing', 'payout', 'ledger']],
];
const SCHEMA_FILES = [
  '**/schema.prisma',
  '**/*.prisma',
  '**/schema.sql',
  '**/structure.sql',
  '**/schema.rb',
  '**/*.sql',
  '**/drizzle/**',
];

export interface RiskRule {
  label: string;
  glob: string;
}

function riskRules(config: RoutingConfig): RiskRule[] {
  const rules: RiskRule[] = [];
  if (config.defaultRiskPaths) {
    for (const [label, words] of WORDS)
      for (const w of words) rules.push({ label, glob: `**/*${w}*` }, { label, glob: `**/*${w}*/**` });
    for (const glob of SCHEMA_FILES) rules.push({ label: 'schema', glob });
  }
  for (const glob of config.riskPaths) rules.push({ label: `configured (${glob})`, glob });
  return rules;
}

/** Every path the plan says it will touch: its files, the sub-tasks' files and the tests it changes on purpose. */
export function planPaths(plan: Plan): string[] {
  const paths = [
    ...plan.files.map((f) => f.path),
    ...plan.subtasks.flatMap((s) => s.files),
    ...plan.testChanges.map((t) => t.path),
  ];
  return [...new Set(paths.map((p) => p.trim().replace(/^\.\//, '')).filter(Boolean))];
}

export function riskyPaths(paths: string[], config: RoutingConfig): { path: string; label: string }[] {
  const matchers = riskRules(config).map((r) => ({
    label: r.label,
    match: picomatch(r.glob, { nocase: true, dot: true }),
  }));
  const out: { path: string; label: string }[] = [];
  for (const path of paths) {
    const hit = matchers.find((m) => m.match(path));
    if (hit) out.push({ path, label: hit.label });
  }
  return out;
}
