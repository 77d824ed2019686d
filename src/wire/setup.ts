/**
 * The `--json` of the commands that set duo up and check it: `duo doctor` and `duo init`. The agents' probes and
 * the integrations' install results are checked against these at compile time, so the wire form cannot drift from
 * them. The field names are stable: scripts rely on them.
 */

import { z } from 'zod';
import type { AgentProbe } from '../agents/port.js';
import type { Installed } from '../integrations/claude.js';
import type { Same } from './same.js';

/** One configured agent as `duo doctor` found it: installed, its version in the tested range, logged in, sandbox. */
const ProbeJson = z.strictObject({
  name: z.string(),
  kind: z.string(),
  found: z.boolean(),
  path: z.string().optional(),
  version: z.string().optional(),
  testedRange: z.string().optional(),
  versionTested: z.boolean().optional(),
  loggedIn: z.union([z.boolean(), z.literal('unknown')]).optional(),
  sandbox: z.string().optional(),
  problems: z.array(z.string()),
  /** The roles it has in the config. */
  roles: z.array(z.string()),
  /** Found, logged in, no problems. */
  ok: z.boolean(),
});

/** `duo doctor --json`: each configured agent's probe (exit 1 when one is not ok). */
export const DoctorJson = z.strictObject({ agents: z.array(ProbeJson) });
export type DoctorJson = z.infer<typeof DoctorJson>;

const InstalledJson = z.strictObject({
  what: z.string(),
  path: z.string(),
  outcome: z.enum(['written', 'unchanged', 'skipped']),
  note: z.string().optional(),
});

/** `duo init --json`: the config it wrote or found, where it installed, the agents' probes, what it installed. */
export const InitJson = z.strictObject({
  config: z.strictObject({
    path: z.string().nullable(),
    outcome: z.enum(['written', 'unchanged', 'skipped', 'none']),
    verify: z.array(z.string()),
  }),
  scope: z.enum(['user', 'project']),
  agents: z.array(ProbeJson),
  installed: z.array(InstalledJson),
  notes: z.array(z.string()),
});
export type InitJson = z.infer<typeof InitJson>;

const checks: [
  Same<z.infer<typeof ProbeJson>, AgentProbe & { roles: string[]; ok: boolean }>,
  Same<z.infer<typeof InstalledJson>, Installed>,
] = [true, true];
void checks;
