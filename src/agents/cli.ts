/** What every CLI adapter shares: finding the binary, its version check, and the failures of the process itself. */

import { existsSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { runStream, type StreamResult } from '../sys/process.js';
import { redactSecrets } from '../sys/redact.js';
import { AgentError } from './failure.js';
import type { AgentCall, AgentProbe } from './port.js';
import { StallWatch } from './stall.js';

/** PATH lookup without spawning: `found` in doctor must not depend on the CLI accepting --version. */
export function locate(bin: string): string | undefined {
  if (!bin) return undefined;
  if (bin.includes('/')) return existsSync(bin) ? (isAbsolute(bin) ? bin : join(process.cwd(), bin)) : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, bin))) return join(dir, bin);
  }
  return undefined;
}

function sameMinor(a: string, b: string): boolean {
  return a.split('.').slice(0, 2).join('.') === b.split('.').slice(0, 2).join('.');
}

export function testedRange(tested: string): string {
  return `${tested.split('.').slice(0, 2).join('.')}.x (tested ${tested})`;
}

/** The last lines of what a CLI said, redacted: the detail an AgentError carries. */
export function detailTail(s: string): string {
  return redactSecrets(s.trim().split('\n').slice(-20).join('\n').slice(-4000));
}

/** A stall watch for one CLI process of a call, and the signal that stops that process when it fires. */
export function stallWatch(call: AgentCall<unknown>): { watch: StallWatch; stall: AbortSignal } {
  const controller = new AbortController();
  return { watch: new StallWatch(call.stallTimeoutMs, () => controller.abort()), stall: controller.signal };
}

/**
 * Failures of the process rather than of the model: it could not start, or duo stopped it (time limit, watchdog,
 * stall watch, Ctrl-C). `what` names the program for the could-not-start message ("claude; is Claude Code
 * installed?").
 */
export function processFailure(
  agent: string,
  s: StreamResult,
  what: string,
  watch?: StallWatch,
): AgentError | undefined {
  if (s.spawnError) {
    const code = s.spawnError.code;
    return new AgentError(
      agent,
      code === 'ENOENT' || code === 'EACCES' ? 'not-installed' : 'crashed',
      `could not start ${what} (${code})`,
    );
  }
  if (s.stoppedBy === 'timeout')
    return new AgentError(agent, 'timeout', 'did not finish within the time limit and was stopped');
  if (s.stoppedBy === 'idle')
    return new AgentError(agent, 'idle', 'printed nothing for too long and was stopped by the watchdog');
  if (s.stoppedBy === 'aborted') return new AgentError(agent, 'aborted', 'interrupted');
  if (s.stoppedBy === 'stalled' && watch) {
    const { network, message, detail } = watch.failure();
    return new AgentError(agent, network ? 'unreachable' : 'api-error', message, detailTail(detail));
  }
  return undefined;
}

/** `<bin> --version` into the probe: the version, whether it is in the tested range, or why it could not be read. */
export async function probeVersion(
  probe: AgentProbe,
  path: string,
  env: NodeJS.ProcessEnv,
  tested: string,
  bin: string,
): Promise<void> {
  const v = await runStream(path, ['--version'], { cwd: process.cwd(), env, timeoutMs: 15_000 });
  const version = /(\d+\.\d+\.\d+)/.exec(v.stdout)?.[1];
  if (!version) {
    probe.problems.push(`\`${bin} --version\` failed: ${detailTail(v.stderr || v.stdout)}`);
    return;
  }
  probe.version = version;
  probe.versionTested = sameMinor(version, tested);
  if (!probe.versionTested) probe.problems.push(`version ${version} is outside the tested range ${probe.testedRange}`);
}
