import { describe, expect, it } from 'vitest';
import { EVAL_MODES, MODES, RUN_MODES } from '../../../src/config/modes.js';
import { Mode } from '../../../src/config/schema.js';
import { EvalMode } from '../../../src/eval/results.js';
import { RunState } from '../../../src/protocol/types.js';

/** One list of modes: the config, the record and the eval each take theirs from config/modes.ts. */
describe('the mode lists', () => {
  it('every mode a run can be asked for but auto is one it can be recorded with, and so is review', () => {
    expect(RUN_MODES).toEqual([...MODES.filter((m) => m !== 'auto'), 'review']);
  });
  it('an eval compares the modes that write code', () => {
    expect([...EVAL_MODES].sort()).toEqual(MODES.filter((m) => m !== 'answer').sort());
  });
  it('the schemas accept exactly these lists', () => {
    expect(Mode.options).toEqual([...MODES]);
    expect(EvalMode.options).toEqual([...EVAL_MODES]);
    expect(RunState.shape.mode.options).toEqual([...RUN_MODES]);
  });
});
