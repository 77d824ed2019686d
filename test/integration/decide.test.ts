import { describe, expect, it } from 'vitest';
import { DecideJson } from '../../src/wire/records.js';
import { DIRECT_TEST, parseJson, parseWire, runCli, scriptedConfig } from '../support/cli.js';
import { makeRepo, SAMPLE } from '../support/harness.js';
import { disputedBlocker } from '../support/scenario.js';

/**
 * `duo decide` as a user types it: `--pick Skeptic` is the skeptic's side, not an instruction reading "Skeptic";
 * a typo of a side is asked about; `--amend` replaces a decision the run has not used yet, and says which step used
 * it when it has; `--json` prints the decision.
 */
async function waitingRun(): Promise<{ repo: string; config: string; runId: string }> {
  const repo = makeRepo(SAMPLE);
  const config = scriptedConfig(disputedBlocker(), DIRECT_TEST);
  const r = await runCli(['run', 'make x return 2', '--config', config, '--yes', '--json'], { cwd: repo });
  expect(r.exitCode, r.stderr).toBe(3);
  return { repo, config, runId: parseJson<{ runId: string }>(r.stdout).runId };
}

describe('duo decide', () => {
  it("--pick Skeptic (any case) is the skeptic's side; --amend replaces it before the run used it; --json prints it", async () => {
    const { repo, runId } = await waitingRun();
    const r = await runCli(['decide', runId, 'card-R1', '--pick', 'Skeptic', '--json'], { cwd: repo });
    expect(r.exitCode, r.stderr).toBe(0);
    const first = parseWire(DecideJson, r.stdout);
    expect(first).toMatchObject({
      runId,
      cardId: 'card-R1',
      decision: { pick: 'skeptic', text: '', by: 'duo decide' },
      amended: null,
      next: `\`duo resume ${runId}\``,
    });

    // Decided again without --amend: refused, and told how.
    const again = await runCli(['decide', runId, 'card-R1', '--pick', 'DRIVER'], { cwd: repo });
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('already decided (skeptic)');
    expect(again.stderr).toContain('--amend');

    const amended = await runCli(['decide', runId, 'card-R1', '--pick', 'DRIVER', '--amend', '--json'], { cwd: repo });
    expect(amended.exitCode, amended.stderr).toBe(0);
    expect(parseWire(DecideJson, amended.stdout)).toMatchObject({
      decision: { pick: 'driver' },
      amended: { pick: 'skeptic' },
    });
    const shown = parseJson<{ decisions: { cardId: string; pick: string }[] }>(
      (await runCli(['show', runId, '--json'], { cwd: repo })).stdout,
    );
    expect(shown.decisions).toEqual([expect.objectContaining({ cardId: 'card-R1', pick: 'driver' })]);
  });

  it("a one-word typo of a side is asked about, not saved as an instruction; a sentence is the human's own decision", async () => {
    const { repo, runId } = await waitingRun();
    const typo = await runCli(['decide', runId, 'card-R1', '--pick', 'skeptc'], { cwd: repo });
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toContain('did you mean skeptic?');
    const own = await runCli(['decide', runId, 'card-R1', '--pick', 'keep x internal and document it', '--json'], {
      cwd: repo,
    });
    expect(parseWire(DecideJson, own.stdout).decision).toMatchObject({
      pick: 'custom',
      text: 'keep x internal and document it',
    });
  });

  it('--amend after the run went on with the decision: refused, naming the step that used it', async () => {
    const { repo, config, runId } = await waitingRun();
    expect((await runCli(['decide', runId, 'card-R1', '--pick', 'driver'], { cwd: repo })).exitCode).toBe(0);
    const resumed = await runCli(['resume', runId, '--config', config, '--json', '--yes'], { cwd: repo });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    const late = await runCli(['decide', runId, 'card-R1', '--pick', 'skeptic', '--amend', '--json'], { cwd: repo });
    expect(late.exitCode).toBe(2);
    const json = parseJson<{ error: { message: string; hint: string } }>(late.stdout);
    expect(json.error.message).toMatch(/cannot be amended: step "verify\/[^"]+" \(started [^)]+\) already ran/);
    expect(json.error.message).toContain('with the decision driver');
    const shown = parseJson<{ decisions: { pick: string }[] }>(
      (await runCli(['show', runId, '--json'], { cwd: repo })).stdout,
    );
    expect(shown.decisions).toEqual([expect.objectContaining({ pick: 'driver' })]);
  });
});
