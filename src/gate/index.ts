import { join } from 'node:path';
import { redactSecrets } from '../sys/redact.js';
import { detectCommands } from './detect.js';
import { runVerifyCommand } from './run.js';
import type { Gate, GateJob, GateOutcome, VerifyResult } from './types.js';

/**
 * The verify gate: duo runs every command itself (all of them, even after a failure, so the report has each
 * result) and only these measurements decide the status. No commands is `unverified`, never green.
 *
 * With `parallel`, all jobs start at once, so the gate takes as long as its slowest command. A job that fails while
 * others ran beside it is run again alone (one at a time) before its failure counts: two suites fighting over a
 * port or a cache must not fake a red. Both results are kept.
 */
export function createGate(): Gate {
  return {
    async detect(cwd) {
      return detectCommands(cwd);
    },
    async run(jobs, opts): Promise<GateOutcome> {
      const one = (job: GateJob, i: number, attempt = '') =>
        runVerifyCommand(job, {
          cwd: job.cwd ?? opts.cwd,
          logFile: join(
            opts.logDir,
            `${job.label ?? opts.label}-${i + 1}-${slug(redactSecrets(job.command))}${attempt}.log`,
          ),
          timeoutMs: opts.timeoutMs,
          ...(opts.signal ? { signal: opts.signal } : {}),
          ...(opts.onProcess ? { onProcess: opts.onProcess } : {}),
        });
      let results: VerifyResult[];
      if (opts.parallel && jobs.length > 1) {
        results = await Promise.all(jobs.map((job, i) => one(job, i)));
        for (const [i, first] of results.entries()) {
          // Only a real failure is worth a second run; a command that could not start fails the same way alone.
          if (first.passed || first.startError) continue;
          const alone = await one(jobs[i] as GateJob, i, '-alone');
          results[i] = {
            ...alone,
            firstTry: {
              exitCode: first.exitCode,
              ...(first.reason ? { reason: first.reason } : {}),
              outputPath: first.outputPath,
            },
          };
        }
      } else {
        results = [];
        for (const [i, job] of jobs.entries()) results.push(await one(job, i));
      }
      return { status: statusOf(results), results };
    },
  };
}

export function statusOf(results: VerifyResult[]): GateOutcome['status'] {
  return results.length === 0 ? 'unverified' : results.every((r) => r.passed) ? 'green' : 'red';
}

function slug(command: string): string {
  return (
    command
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'command'
  );
}
