/**
 * The mode lists, in one place and without zod (the CLI's argument parser needs them before anything heavy loads):
 * what a run can be asked for, what a run is recorded with, and what an eval compares.
 */

// The modes a run can be asked for (--mode, "mode" in duo.config.json).
export const MODES = ['pair', 'invert', 'solo', 'answer', 'auto'] as const;
export type ModeName = (typeof MODES)[number];

/** The modes a run is recorded with: auto records the mode it routed to; `duo review` runs are `review`. */
export const RUN_MODES = ['pair', 'invert', 'solo', 'answer', 'review'] as const satisfies readonly (
  | Exclude<ModeName, 'auto'>
  | 'review'
)[];

/** The modes an eval compares: those that write code (answer mode writes none). */
export const EVAL_MODES = ['solo', 'pair', 'invert', 'auto'] as const satisfies readonly Exclude<ModeName, 'answer'>[];
