/**
 * P6: what duo sends the agents — the prompt bytes of the demo run with sessions resumed, against every call fresh.
 */

import { demoRun, type Wire } from './demo-run.js';
import { type Figure, goal } from './figure.js';

/**
 * P6: prompt bytes duo sends over a reference pair run, against the same run with no session resumed — the demo run
 * in a new repository, and the same run again there, with the memory the first left (its two declined findings
 * come back as repeats, and the memory is told once per session instead of in every fresh prompt).
 */
export async function wireBytes(_n: number): Promise<Figure[]> {
  const measure = async (noResume: boolean) => {
    const first: Wire = { bytes: 0, noResume };
    const again: Wire = { bytes: 0, noResume };
    const { repo } = await demoRun(0, {}, [], first, undefined, { memory: true });
    await demoRun(0, {}, [], again, undefined, { repo, memory: true });
    return { first: first.bytes, again: again.bytes };
  };
  const resumed = await measure(false);
  const fresh = await measure(true);
  const ratio = resumed.first / fresh.first;
  const withMemory = resumed.again / fresh.again;
  return [
    {
      id: 'P6',
      what: 'bytes duo sends the agents over the demo pair run, with session resume ÷ without',
      value: ratio,
      unit: 'ratio',
      ...goal(ratio, '≤', 0.6),
      detail: `${resumed.first} bytes resumed, ${fresh.first} bytes with every call fresh`,
    },
    {
      id: 'P6-memory',
      what: 'the same, for the demo pair run again in its repository (the memory of the first run in play)',
      value: withMemory,
      unit: 'ratio',
      ...goal(withMemory, '≤', 0.5),
      detail: `${resumed.again} bytes resumed, ${fresh.again} bytes with every call fresh; the two declined findings came back as repeats`,
    },
  ];
}
