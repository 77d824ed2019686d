/**
 * Colour only for a person at a terminal. picocolors on its own also colours whenever `CI` is set, so a `duo wait`
 * run by an agent's shell tool on a CI machine fed escape codes to the model; duo decides per stream instead:
 * NO_COLOR (non-empty) turns colour off, FORCE_COLOR turns it on (`0`/`false` off), otherwise a TTY that is not
 * TERM=dumb.
 */
import picocolors from 'picocolors';

export type Colors = ReturnType<typeof picocolors.createColors>;

export function colorEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** Colours for what goes to `stream`. */
export function colorsFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Colors {
  return picocolors.createColors(colorEnabled(stream, env));
}

/** Colours for stdout, where results are printed. */
export const pc: Colors = colorsFor(process.stdout);
