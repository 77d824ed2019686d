import type { Config } from '../config/schema.js';
import { type Headroom, headroom } from './headroom.js';
import { isSimulated, type Spend, spendByAgent } from './spend.js';
import { UsageLedger, type UsageLine } from './usage-ledger.js';
import { budgetHorizon, startOfDay, startOfWeek } from './windows.js';

export interface BudgetSnapshot {
  at: string;
  agents: Headroom[];
  spend: {
    today: { repo: Record<string, Spend>; all: Record<string, Spend> };
    week: { repo: Record<string, Spend>; all: Record<string, Spend> };
  };
  /** Ledger lines that did not parse (edited by hand, or cut). */
  skipped: number;
  /** Calls this week by scripted agents (the demo, tests): recorded, not counted as spend. */
  simulatedCalls: number;
}

/**
 * The budget port the engine and the CLI use: record a call in the per-user ledger, and ask how much room an
 * agent has now. Reads go to the ledger file each time — several runs spend from the same plans at once, so a
 * figure cached at the start of a run would be wrong by its end.
 */
export class Budget {
  constructor(
    readonly ledger: UsageLedger,
    private readonly config: Pick<Config, 'budget'>,
    private readonly kinds: Record<string, string> = {},
  ) {}

  static forUser(config: Pick<Config, 'budget'>, kinds: Record<string, string> = {}): Budget {
    return new Budget(new UsageLedger(), config, kinds);
  }

  record(line: Omit<UsageLine, 'v'>): void {
    try {
      this.ledger.append(line);
    } catch {
      // The ledger is bookkeeping: a full disk or a read-only home must not fail the run that spent the tokens.
    }
  }

  private lines(now: Date): { lines: UsageLine[]; skipped: number } {
    try {
      return this.ledger.read(budgetHorizon(now), now);
    } catch {
      return { lines: [], skipped: 0 };
    }
  }

  headroom(agent: string, now: Date = new Date()): Headroom {
    return headroom(agent, this.lines(now).lines, this.config.budget, now, this.kinds[agent]);
  }

  /** A reached spend cap: the agent may not be called until it resets (null: no cap reached). */
  capReached(agent: string, now: Date = new Date()): { until: string; why: string } | null {
    if (!this.config.budget.caps[agent]) return null;
    const h = this.headroom(agent, now);
    const hit = h.caps.filter((c) => c.share >= 1);
    if (!hit.length) return null;
    return {
      until: hit
        .map((c) => c.resetsAt)
        .sort()
        .at(-1) as string,
      why: h.why,
    };
  }

  snapshot(agents: string[], repo: string | null, now: Date = new Date()): BudgetSnapshot {
    const { lines, skipped } = this.lines(now);
    const inRepo = (l: UsageLine) => l.repo === repo;
    return {
      at: now.toISOString(),
      agents: agents.map((a) => headroom(a, lines, this.config.budget, now, this.kinds[a])),
      spend: {
        today: { repo: spendByAgent(lines, startOfDay(now), inRepo), all: spendByAgent(lines, startOfDay(now)) },
        week: { repo: spendByAgent(lines, startOfWeek(now), inRepo), all: spendByAgent(lines, startOfWeek(now)) },
      },
      skipped,
      simulatedCalls: lines.filter((l) => isSimulated(l) && l.at >= startOfWeek(now).toISOString()).length,
    };
  }
}
