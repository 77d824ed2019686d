import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClaudeAgent } from '../../src/agents/claude.js';
import type { AgentEvent } from '../../src/agents/events.js';
import { Critique, WorkReport } from '../../src/protocol/schemas.js';
import { ADAPTERS, adapterContract, report } from '../support/adapter-contract.js';
import { claudeAgent, failureOf } from '../support/sim-agents.js';

/**
 * Contract tests: the real `claude` (pinned, from the npm registry) driven by duo's adapter, against the model
 * simulator on 127.0.0.1. What the CLI sent is asserted from the simulator's request log. The contract both
 * adapters keep is test/support/adapter-contract.ts; below is what only Claude Code does.
 */
const t = adapterContract(ADAPTERS.claude);

describe('claude adapter, real CLI: what only Claude Code does', () => {
  it('write: Write and Edit change files in the worktree', async () => {
    const file = join(t.repo, 'hello.txt');
    t.sim.push(
      'anthropic',
      { kind: 'tools', calls: [{ name: 'Write', input: { file_path: file, content: 'hello world\n' } }] },
      { kind: 'tools', calls: [{ name: 'Edit', input: { file_path: file, old_string: 'world', new_string: 'duo' } }] },
      { kind: 'structured', value: report },
    );
    const events: AgentEvent[] = [];
    const r = await claudeAgent(t.sim).run({
      purpose: 'implement',
      prompt: 'Write hello.txt',
      cwd: t.repo,
      access: 'write',
      schema: WorkReport,
      onEvent: (e) => events.push(e),
    });
    expect(readFileSync(file, 'utf8')).toBe('hello duo\n');
    expect(r.answer).toEqual(report);
    expect(r.permissionDenials).toEqual([]);
    expect(events.filter((e) => e.type === 'file_change')).toEqual([
      { type: 'file_change', path: file, kind: 'write' },
      { type: 'file_change', path: file, kind: 'edit' },
    ]);
  });

  describe('failures only Claude Code has', () => {
    const call = (agent: ClaudeAgent) =>
      failureOf(agent.run({ purpose: 'plan', prompt: 'Plan.', cwd: t.repo, access: 'read-only', schema: Critique }));

    it('no credentials → not-logged-in, with what to do, without a model call', async () => {
      const e = await call(claudeAgent(t.sim, { env: { ANTHROPIC_API_KEY: '' } }));
      expect(e.failure).toBe('not-logged-in');
      expect(e.hint).toMatch(/log/i);
      expect(t.modelRequests()).toHaveLength(0);
    });

    it('--max-turns exhausted → max-turns', async () => {
      t.sim.push('anthropic', {
        kind: 'tools',
        calls: [{ name: 'Read', input: { file_path: join(t.repo, 'README.md') } }],
      });
      const e = await call(claudeAgent(t.sim, { maxTurns: 1 }));
      expect(e.failure).toBe('max-turns');
    });
  });
});
