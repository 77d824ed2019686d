import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Run worktrees go to a per-worker temp DUO_HOME, never the developer's ~/.cache/duo.
process.env.DUO_HOME ??= mkdtempSync(join(tmpdir(), 'duo-home-'));
// A test must never reach a real model API, even by accident through an inherited key.
for (const key of Object.keys(process.env)) {
  if (/^(ANTHROPIC|OPENAI)_/.test(key)) delete process.env[key];
}
