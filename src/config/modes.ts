/** The run modes, without zod: the CLI's argument parser needs them before anything heavy is loaded. */
export const MODES = ['pair', 'invert', 'solo', 'answer', 'auto'] as const;
