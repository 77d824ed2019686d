/**
 * `duo memory [--json] [--all-repos]`: what this repository remembers — the findings declined before (later runs
 * mark one raised again on unchanged code as a repeat) and its house rules. `duo memory forget <fingerprint>`
 * revokes a declined finding, so later runs may raise it again. See docs/memory.md.
 */

import { forget, listMemory, type MemoryEntry } from '../../record/memory.js';
import { readRules, rulesFile } from '../../record/rules.js';
import { currentHuman } from '../../sys/human.js';
import type { ForgetJson, MemoryJson } from '../../wire/records.js';
import { pc } from '../color.js';
import type { MemoryFlags, ReadFlags } from '../flags.js';
import { printJson } from '../json.js';
import { openSession } from '../setup.js';

export async function memoryCommand(flags: MemoryFlags): Promise<number> {
  const scope = flags.allRepos ? 'all' : { repoRoot: (await openSession(process.cwd(), flags.config)).repoRoot };
  const memory = await listMemory(scope);
  const rules = scope === 'all' ? [] : readRules(scope.repoRoot);
  if (flags.json) {
    printJson({ ...memory, rules, rulesFile: scope === 'all' ? null : rulesFile(scope.repoRoot) } satisfies MemoryJson);
    return 0;
  }
  const out: string[] = [];
  const where = flags.allRepos ? `${memory.repos.length} repositories` : 'this repository';
  out.push(`${pc.bold('duo memory')} — ${memory.declined.length} declined finding(s) in ${where}`);
  if (!memory.declined.length) out.push('  nothing declined yet');
  for (const d of memory.declined) out.push(...entryLines(d, !!flags.allRepos));
  if (memory.declined.length) out.push(pc.dim('  `duo memory forget <fingerprint>` lets later runs raise one again.'));
  if (scope !== 'all') {
    out.push('', `${pc.bold('House rules')} ${pc.dim(`(${rulesFile(scope.repoRoot)})`)}`);
    if (!rules.length) out.push('  none yet (`duo decide … --rule` keeps a decision as one)');
    for (const r of rules) out.push(`  [${r.id}] ${plain(r.text)}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

/** Agent text on one line with no control characters: a claim cannot move the cursor or colour the terminal. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const plain = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();

function entryLines(d: MemoryEntry, repo: boolean): string[] {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}` : ''}` : '(no file)';
  const kind = [d.severity, d.category].filter(Boolean).join(', ');
  const by = d.by === 'human' ? 'decided by a human' : 'rebuttal accepted by the skeptic';
  return [
    `  ${pc.bold(d.short)}  ${plain(where)} (${kind})${repo ? pc.dim(` in ${d.repo}`) : ''}  ${plain(d.claim)}`,
    pc.dim(
      `    ${by} ${d.at.slice(0, 10)} (run ${d.runId}, ${plain(d.findingId)}${d.times > 1 ? `; declined ${d.times} times` : ''}): ${plain(d.reason)}`,
    ),
  ];
}

export async function memoryForgetCommand(fingerprint: string, flags: ReadFlags): Promise<number> {
  const session = await openSession(process.cwd(), flags.config);
  const entry = await forget(session.repoRoot, fingerprint, currentHuman(session.repoRoot));
  if (flags.json) printJson({ forgotten: entry } satisfies ForgetJson);
  else process.stdout.write(`forgotten: ${entry.short} (${plain(entry.claim)}); later runs may raise it again.\n`);
  return 0;
}
