/**
 * The integration files ship in the package beside dist/ (package.json "files"): the Claude Code marketplace at the
 * package root (.claude-plugin/marketplace.json → plugins/duo), and the Codex skills and prompts under
 * integrations/codex. One copy of each text: the plugin's /duo:pair is also the bare /duo that `duo init --claude`
 * installs.
 */

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const ASSETS = {
  marketplace: PACKAGE_ROOT,
  plugin: join(PACKAGE_ROOT, 'plugins', 'duo'),
  claudeCommand: (name: string) => join(PACKAGE_ROOT, 'plugins', 'duo', 'commands', `${name}.md`),
  codexSkill: (name: string) => join(PACKAGE_ROOT, 'integrations', 'codex', 'skills', name, 'SKILL.md'),
  codexPrompt: (name: string) => join(PACKAGE_ROOT, 'integrations', 'codex', 'prompts', `${name}.md`),
} as const;

export function readAsset(path: string): string {
  return readFileSync(path, 'utf8');
}
