/**
 * The commented duo.config.json that `duo init` writes: only keys a user is likely to change, each with a line that
 * says what it does; everything else keeps its default (docs/configuration.md). It must load with the same schema
 * as any config, so a test parses what it renders.
 */
export function renderConfigFile(opts: { verify: string[]; detected: boolean; reviewGate: boolean }): string {
  const verify = opts.verify.length
    ? `[\n${opts.verify.map((c) => `    ${JSON.stringify(c)}`).join(',\n')}\n  ]`
    : '[]';
  const lines = [
    '// duo for this repository — JSON with comments. Every key is optional; docs/configuration.md in duo lists them all.',
    '{',
    '  // Who writes (driver) and who attacks the plan and the diff (skeptic). `duox` swaps the heavy lifting to the skeptic.',
    '  "roles": { "driver": "claude", "skeptic": "codex" },',
    '',
    '  // The checks duo runs itself before anything is called green; fixed on the base before any agent runs.',
    opts.detected
      ? '  // Detected from this repository by duo init; an empty list means duo detects them again at each run.'
      : '  // Nothing was detected; list your test, typecheck and lint commands (empty: detected at each run).',
    `  "verify": ${verify},`,
    '',
    '  // Bounds of one run (the defaults). maxCostUsd / maxTokens cap spend where the agents report it.',
    '  "limits": { "planRounds": 3, "reviewRounds": 3, "verifyRounds": 3, "maxMinutes": 180 },',
    '',
    '  // Independent sub-tasks run at most this many at a time.',
    '  "parallel": 2',
  ];
  if (opts.reviewGate) {
    lines[lines.length - 1] += ',';
    lines.push(
      '',
      "  // Claude Code's stop-time review gate: block a session at most maxBlocks times; a review slower than",
      '  // timeoutSeconds lets Claude stop (fail open) instead of blocking.',
      '  "reviewGate": { "maxBlocks": 2, "timeoutSeconds": 1100 }',
    );
  }
  lines.push('}', '');
  return lines.join('\n');
}
