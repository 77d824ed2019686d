import type { Limits } from '../config/schema.js';
import { RunFailure } from './run-stops.js';
import type { RunState } from './types.js';

/**
 * The whole run's own limits (`limits.maxMinutes`, `maxCostUsd`, `maxTokens`), checked before every new step: the
 * run stops failed with what to raise, and `duo resume` continues once it is raised. Time is the journal's agent and
 * verify time, so it survives a resume.
 */
export function checkRunLimits(state: RunState, l: Limits): void {
  const spentMs = Object.values(state.steps).reduce((s, r) => s + r.durationMs, 0);
  if (spentMs > l.maxMinutes * 60_000) {
    throw new RunFailure(
      `the run used its time budget (${l.maxMinutes} min of agent and verify time)`,
      'Raise limits.maxMinutes in duo.config.json, then `duo resume <runId>`.',
    );
  }
  const usage = Object.values(state.usage);
  const cost = usage.reduce((s, u) => s + (u.costUsd ?? 0), 0);
  if (l.maxCostUsd !== undefined && cost > l.maxCostUsd) {
    throw new RunFailure(
      `the run spent $${cost.toFixed(2)}, over limits.maxCostUsd ($${l.maxCostUsd})`,
      'Raise limits.maxCostUsd, then `duo resume <runId>`.',
    );
  }
  const tokens = usage.reduce((s, u) => s + u.inputTokens + u.outputTokens, 0);
  if (l.maxTokens !== undefined && tokens > l.maxTokens) {
    throw new RunFailure(
      `the run used ${tokens} tokens, over limits.maxTokens (${l.maxTokens})`,
      'Raise limits.maxTokens, then `duo resume <runId>`.',
    );
  }
}
