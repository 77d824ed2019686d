import { describe, expect, it } from 'vitest';
import { parseRunEvents } from '../../src/protocol/run-events.js';
import { makeRepo, runScenario, SAMPLE } from '../support/harness.js';
import { critique, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';

/**
 * events.jsonl has one schema (protocol/run-events.ts) for the writer and every reader: what a real run writes —
 * the engine, an agent call, a failed attempt and its retry, the agent's live activity — reads back whole, not a line
 * skipped as another shape.
 */
describe("a run's events", () => {
  it('read back through the schema, every line of every kind the run wrote', async () => {
    const repo = makeRepo(SAMPLE);
    const { state, ports } = await runScenario(repo, {
      agents: {
        claude: {
          plan: [plan()],
          implement: [
            {
              ...work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST }),
              fail: 'api-error',
              failTimes: 1,
              activity: [{ edit: 'src/x.js' }, { command: 'npm test' }, { trouble: 'reconnecting' }],
            },
          ],
        },
        codex: { critique: [critique('approve')], review: [critique('approve')] },
      },
    });
    expect(state.status).toBe('green');
    const text = ports.store.readText(state.runId, 'events.jsonl') ?? '';
    const lines = text.trim().split('\n');
    const events = parseRunEvents(text);
    expect(events).toHaveLength(lines.length);
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set([
        'owner',
        'progress',
        'agent-started',
        'agent-file_change',
        'agent-command',
        'agent-error',
        'agent-failure',
        'agent-call',
      ]),
    );
  });

  it('skip a torn line, a line of a type this duo does not know and a line of another shape', () => {
    const at = '"at":"2026-01-01T00:00:00.000Z"';
    const text = [
      `{${at},"type":"owner","pid":7}`,
      `{${at},"type":"from-a-newer-duo","pid":7}`,
      `{${at},"type":"owner","pid":"seven"}`,
      `{"type":"owner","pid":7}`,
      `{${at},"type":"own`,
    ].join('\n');
    expect(parseRunEvents(text)).toEqual([{ at: '2026-01-01T00:00:00.000Z', type: 'owner', pid: 7 }]);
  });
});
