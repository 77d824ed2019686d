import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../src/agents/events.js';
import { WorkReport } from '../../src/protocol/schemas.js';
import { ADAPTERS, adapterContract, addFile, report } from '../support/adapter-contract.js';
import { codexAgent } from '../support/sim-agents.js';

/**
 * Contract tests: the real `codex` (pinned, from the npm registry) driven by duo's adapter, against the model
 * simulator on 127.0.0.1. What the CLI sent is asserted from the simulator's request log. The contract both
 * adapters keep is test/support/adapter-contract.ts; below is what only Codex does.
 */
const t = adapterContract(ADAPTERS.codex);

describe('codex adapter, real CLI: what only Codex does', () => {
  it('workspace-write: apply_patch writes in the worktree, but /tmp stays out of reach', async () => {
    const outside = `/tmp/duo-codex-escape-${process.pid}-${Date.now()}`;
    t.sim.push(
      'openai',
      { kind: 'tools', calls: [{ name: 'apply_patch', freeform: addFile('hello.txt', 'hello from codex') }] },
      // A command the sandbox allows (Codex reports it as a command_execution item) ...
      { kind: 'tools', calls: [{ name: 'exec_command', input: { cmd: 'echo ok > inside.txt' } }] },
      // ... and one it refuses: codex-cli 0.169 sometimes reports a sandbox-denied command only to the model.
      { kind: 'tools', calls: [{ name: 'exec_command', input: { cmd: `touch ${outside}` } }] },
      { kind: 'structured', value: report },
    );
    const events: AgentEvent[] = [];
    const r = await codexAgent(t.sim).run({
      purpose: 'implement',
      prompt: 'Write hello.txt',
      cwd: t.repo,
      access: 'write',
      schema: WorkReport,
      onEvent: (e) => events.push(e),
    });
    expect(r.answer).toEqual(report);
    expect(readFileSync(join(t.repo, 'hello.txt'), 'utf8')).toBe('hello from codex\n');
    expect(existsSync(outside)).toBe(false);
    expect(events.some((e) => e.type === 'file_change')).toBe(true);
    expect(readFileSync(join(t.repo, 'inside.txt'), 'utf8')).toBe('ok\n');
    // Each command shows as it starts (live activity, no exit code yet), then completed with its exit code: the
    // allowed one 0; the refused one, when Codex reports it at all, failed.
    const started = events.filter((e) => e.type === 'command' && e.status === 'in_progress');
    expect(started.length).toBeGreaterThan(0);
    const codes = events.flatMap((e) => (e.type === 'command' && e.status !== 'in_progress' ? [e.exitCode] : []));
    expect(codes[0]).toBe(0);
    expect(codes.slice(1).every((c) => c !== 0)).toBe(true);
  });
});
