/** One row of the bench table: a measured value, and for a speed goal the goal and whether this run met it. */
export interface Figure {
  id: string;
  what: string;
  value: number;
  unit: 'ratio' | 'ms';
  goal?: string;
  met?: boolean;
  detail: string;
}

/** A goal as the table prints it (`≤ 1.03`, `< 1000 ms`), and whether `value` met it. */
export function goal(value: number, op: '≤' | '<' | '≥', bound: number, unit = ''): Pick<Figure, 'goal' | 'met'> {
  const met = op === '≤' ? value <= bound : op === '<' ? value < bound : value >= bound;
  return { goal: `${op} ${bound}${unit}`, met };
}

/** The middle of the repetitions (the bench keeps the median: one slow repetition on a busy machine does not count). */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
