/**
 * `--mode auto`: route by risk, deterministically and visibly. A question gets a direct answer — whatever it names:
 * "explain the auth flow" changes nothing, so it needs no pair. A change that touches money, auth, data integrity
 * or migrations gets the full pair; any other change one agent. The reason is recorded.
 *
 * What is a question is decided sentence by sentence, so "why does X fail? fix it" is a change: any request to
 * change something (an imperative, "please …", "can you …", "let's …") makes the task a change; otherwise a
 * sentence that asks (a question word, a question mark, "explain …", "should I …") makes it a question; plain
 * statements ("the login page is broken") are judged by their risk.
 */

import type { ConcreteMode } from './types.js';

const HIGH_RISK: [RegExp, string][] = [
  [/\b(pay(ment|out)?s?|billing|invoice|refund|price|pricing|currency|money|ledger|balance|charge)\b/i, 'money'],
  [
    /\b(auth\w*|login|logout|passwords?|sessions?|tokens?|oauth|jwt|permissions?|rbac|acl|secrets?|crypto\w*|encrypt\w*|decrypt\w*|csrf|xss)\b/i,
    'auth/security',
  ],
  [/\b(migrat\w*|schema change|alter table|drop (table|column)|backfill)\b/i, 'migration'],
  [
    /\b(data loss|integrity|transaction|idempoten\w*|race|concurren\w*|delete (all|users|records)|corrupt\w*)\b/i,
    'data integrity',
  ],
];

/** Verbs that, opening a clause, ask for a change to the code. */
const CHANGE_VERB =
  /^(add|fix|implement|change|refactor|remove|delete|rename|write|rewrite|create|update|migrate|upgrade|downgrade|make|build|move|replace|convert|support|handle|extract|split|merge|bump|enable|disable|introduce|drop|port|optimi[sz]e|speed up|clean up|deprecate|wire|hook up|patch|correct|resolve|improve|document|reduce|increase|allow|prevent|ensure|validate|sanitize|sanitise|generate|inline|revert|undo|restore|rotate|backfill|encrypt|return|throw|retry|use|switch|stop|start)\b/;
/** Openings that ask for a change in other words: "let's …", "I want you to …", "make sure …". */
const CHANGE_OPENING =
  /^(let'?s|let us|i (want|need|would like|'d like) you to|we (need|have|want) to|i (want|need) (it|this|that|the|a|an)\b|make sure|go ahead)\b/;
/** A polite request: "can you …", "could we …", "would you please …" — a change when what follows is one. */
const POLITE = /^(can|could|would|will) (you|we) (please |kindly |also )?(.*)$/;
/** Words that make a sentence a question or a request for advice. */
const ASKING =
  /^(how|why|what|what's|whats|which|when|where|where's|who|who's|whose|whom|is|isn't|are|aren't|was|were|does|doesn't|did|didn't|can|can't|could|should|shouldn't|would|will|shall|may|might|has|have|i wonder|i'm curious|any idea)\b/;
/** Requests for an explanation: a question, unless a clause of the same sentence asks for a change as well. */
const EXPLAIN = /^(explain|describe|compare|summari[sz]e|clarify|tell me|show me|walk me through)\b/;
/** "do" opens a question only before a subject ("do we…", "do the tests…?"); else it is an imperative. */
const DO_QUESTION = /^do (i|we|you|they|it|these|those)\b/;
/** "I want to understand how …", "help me understand …": asking, in the first person. */
const WANTS_TO_KNOW = /^(i (want|need|would like|'d like) to (understand|know|learn)|help me (understand|see))\b/;
const FILLER = /^(please|pls|kindly|now|then|so|ok|okay|also|and|just|hey|hi|quick question:?)[,:]?\s+/;

export interface Triage {
  mode: Exclude<ConcreteMode, 'invert'>;
  reason: string;
}

type Kind = 'change' | 'question' | 'statement';

export function triage(task: string): Triage {
  const t = task.trim();
  const kind = classify(t);
  if (kind === 'question') return { mode: 'answer', reason: 'a question, not a change: a direct answer' };
  for (const [re, label] of HIGH_RISK) {
    const m = re.exec(t);
    if (m) return { mode: 'pair', reason: `touches ${label} ("${m[0]}"): full pair` };
  }
  return {
    mode: 'solo',
    reason: 'no money, auth, data-integrity or migration risk found: one agent, the gate still runs',
  };
}

/** Change if any sentence asks for one; else question if any sentence asks; else a statement. */
export function classify(task: string): Kind {
  let asked = false;
  for (const sentence of sentences(task)) {
    const kind = sentenceKind(sentence);
    if (kind === 'change') return 'change';
    if (kind === 'question') asked = true;
  }
  return asked ? 'question' : 'statement';
}

/** Sentences (a stop, "?" or "!" before a space ends one: `x.js` does not), each knowing whether it asked. */
function sentences(task: string): { text: string; asks: boolean }[] {
  return task
    .split(/(?<=[.?!;])\s+|\n+/)
    .map((s) => s.trim().toLowerCase())
    .map((s) => ({ text: unfill(s.replace(/[.?!;\s]+$/, '')), asks: /\?[.!\s]*$/.test(s) }))
    .filter((s) => s.text.length > 0);
}

function unfill(text: string): string {
  let t = text.trim();
  for (let before = ''; before !== t; ) {
    before = t;
    t = t.replace(FILLER, '');
  }
  return t;
}

function sentenceKind({ text, asks }: { text: string; asks: boolean }): Kind {
  const polite = POLITE.exec(text);
  if (polite) return clauses(polite[4] ?? '').some(isChange) ? 'change' : 'question';
  if (WANTS_TO_KNOW.test(text)) return 'question';
  if (CHANGE_OPENING.test(text)) return 'change';
  // A sentence that asks is not split at "and": "what does add and remove do?" names verbs, it orders nothing.
  if (asks || ASKING.test(text) || DO_QUESTION.test(text)) return 'question';
  const changes = clauses(text).some(isChange);
  if (EXPLAIN.test(text)) return changes ? 'change' : 'question';
  return changes ? 'change' : 'statement';
}

/** "explain the bug and fix it", "the tests fail, fix them": the parts a request may hide in. */
function clauses(text: string): string[] {
  return text.split(/,?\s+(?:and then|and|then|but)\s+|,\s+/).map(unfill);
}

function isChange(clause: string): boolean {
  const c = clause.replace(/^help (me|us) (to )?/, '');
  return CHANGE_VERB.test(c) || CHANGE_OPENING.test(c);
}
