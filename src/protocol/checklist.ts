import type { RunContext } from './context.js';
import { CHECKLIST, type Critique } from './schemas.js';

/** Whether the reviewer went through the reward-hacking checklist, and what it found: the report shows it. */
export function recordChecklist(ctx: RunContext, step: string, agent: string, answer: Critique): void {
  const check = answer.rewardHacking;
  ctx.state.rewardChecks.push({
    step,
    agent,
    checked: check?.checked ?? [],
    missing: CHECKLIST.filter((item) => !check?.checked.includes(item)),
    suspicious: check?.suspicious ?? [],
  });
}
