/**
 * `--mode auto`: route by risk, deterministically and visibly. Money, auth, data integrity and migrations get
 * the full pair; a question gets a direct answer; anything else low-risk gets one agent. The reason is recorded.
 */

import type { ConcreteMode } from './types.js';

const HIGH_RISK: [RegExp, string][] = [
  [/\b(pay(ment|out)?s?|billing|invoice|refund|price|pricing|currency|money|ledger|balance|charge)\b/i, 'money'],
  [
    /\b(auth\w*|login|logout|password|session|token|oauth|jwt|permission|rbac|acl|secret|crypto\w*|csrf|xss)\b/i,
    'auth/security',
  ],
  [/\b(migrat\w*|schema change|alter table|drop (table|column)|backfill)\b/i, 'migration'],
  [
    /\b(data loss|integrity|transaction|idempoten\w*|race|concurren\w*|delete (all|users|records)|corrupt\w*)\b/i,
    'data integrity',
  ],
];

const QUESTION =
  /^(how|why|what|which|when|where|who|is|are|does|do|can|could|should|would|explain|compare|tell me)\b/i;
const ACTION = /\b(add|fix|implement|change|refactor|remove|delete|rename|write|create|update|migrate|upgrade|make)\b/i;

export interface Triage {
  mode: Exclude<ConcreteMode, 'invert'>;
  reason: string;
}

export function triage(task: string): Triage {
  const t = task.trim();
  for (const [re, label] of HIGH_RISK) {
    const m = re.exec(t);
    if (m) return { mode: 'pair', reason: `touches ${label} ("${m[0]}"): full pair` };
  }
  if ((t.endsWith('?') || QUESTION.test(t)) && !ACTION.test(t.replace(QUESTION, ''))) {
    return { mode: 'answer', reason: 'a question, not a change: a direct answer' };
  }
  return {
    mode: 'solo',
    reason: 'no money, auth, data-integrity or migration risk found: one agent, the gate still runs',
  };
}
