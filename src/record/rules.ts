/**
 * House rules: `.duo/RULES.md`, decisions a person made once and wants every later run to follow. duo appends one
 * when a decision is kept as a rule (`duo decide … --rule`, or the prompt in a terminal); people edit the file as
 * they like. Every later run gives the rules to the plan and review prompts (through the memory port), and the
 * report says which ones a finding or an answer relied on.
 *
 * The format is a Markdown list: each `- ` item is a rule, `- [H3] …` names its id (an item without one is
 * numbered by its position), indented lines continue the item above. Everything else in the file is ignored.
 *
 * duo keeps `.duo/` out of git (.git/info/exclude), so the file is not committed by accident; to share the rules,
 * commit it on purpose with `git add -f .duo/RULES.md` — once tracked, git follows it like any other file.
 */

import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { HouseRule } from '../protocol/memory.js';
import { redactSecrets } from '../sys/redact.js';
import { RECORD_DIR } from './record-errors.js';

const MAX_TEXT = 600;

export function rulesFile(repoRoot: string): string {
  return join(repoRoot, RECORD_DIR, 'RULES.md');
}

const HEADER = `# House rules

duo gives these rules to the agents in its plan and review prompts, and the run report says which ones applied.
Edit them freely: one rule per "- " item, "- [H3] …" to give it an id. Reset: delete the item, or the file.
To share them, commit this file on purpose: \`git add -f .duo/RULES.md\` (duo keeps .duo/ out of git otherwise).
`;

/** The rules in the file's text, in order. */
export function parseRules(text: string): HouseRule[] {
  const rules: HouseRule[] = [];
  let inFence = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) continue;
    const item = /^[-*]\s+(?:\[([A-Za-z0-9_.-]{1,20})\]\s*)?(.*)$/.exec(line);
    if (item) {
      rules.push({ id: item[1] ?? `H${rules.length + 1}`, text: (item[2] ?? '').trim() });
      continue;
    }
    const last = rules.at(-1);
    if (last && /^\s+\S/.test(line)) last.text = `${last.text} ${line.trim()}`;
  }
  return rules
    .filter((r) => r.text)
    .map((r) => ({ ...r, text: r.text.length > MAX_TEXT ? `${r.text.slice(0, MAX_TEXT - 1)}…` : r.text }));
}

export function readRules(repoRoot: string): HouseRule[] {
  const file = rulesFile(repoRoot);
  if (!existsSync(file)) return [];
  try {
    return parseRules(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
}

/**
 * Keeps a decision as a rule: appended (one write, O_APPEND) with the next free id and where it came from.
 * Returns the rule.
 */
export function addRule(repoRoot: string, text: string, source: string): HouseRule {
  const file = rulesFile(repoRoot);
  const rules = readRules(repoRoot);
  const next = Math.max(0, ...rules.map((r) => Number(/^H(\d+)$/.exec(r.id)?.[1] ?? 0))) + 1;
  const rule = { id: `H${next}`, text: text.replace(/\s+/g, ' ').trim() };
  mkdirSync(dirname(file), { recursive: true });
  const line = `- [${rule.id}] ${rule.text} _(${source})_\n`;
  appendFileSync(file, redactSecrets(existsSync(file) ? line : `${HEADER}\n${line}`));
  return rule;
}
