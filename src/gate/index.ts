import { join } from 'node:path';
import { redactSecrets } from '../agents/redact.js';
import { detectCommands } from './detect.js';
import { runCommand } from './run.js';
import type { Gate, GateOutcome } from './types.js';

export type { Gate, GateOutcome, VerifyCommand, VerifyResult } from './types.js';

/**
 * The verify gate: duo runs every command itself (all of them, even after a failure, so the report has each
 * result) and only these measurements decide the status. No commands is `unverified`, never green.
 */
export function createGate(): Gate {
  return {
    async detect(cwd) {
      return detectCommands(cwd);
    },
    async run(commands, opts): Promise<GateOutcome> {
      const results = [];
      for (const [i, cmd] of commands.entries()) {
        const logFile = join(opts.logDir, `${opts.label}-${i + 1}-${slug(redactSecrets(cmd.command))}.log`);
        results.push(
          await runCommand(cmd, {
            cwd: opts.cwd,
            logFile,
            timeoutMs: opts.timeoutMs,
            ...(opts.signal ? { signal: opts.signal } : {}),
            ...(opts.onProcess ? { onProcess: opts.onProcess } : {}),
          }),
        );
      }
      const status = results.length === 0 ? 'unverified' : results.every((r) => r.passed) ? 'green' : 'red';
      return { status, results };
    },
  };
}

function slug(command: string): string {
  return (
    command
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'command'
  );
}
