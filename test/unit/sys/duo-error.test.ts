import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { AgentError } from '../../../src/agents/failure.js';
import { ConfigError } from '../../../src/config/load.js';
import { EvalInputError } from '../../../src/eval/task.js';
import { AwaitingDecision, Interrupted, Paused, RunFailure } from '../../../src/protocol/run-stops.js';
import { LockedError } from '../../../src/record/lock.js';
import { RecordError } from '../../../src/record/record-errors.js';
import { DuoError, EXIT, UsageError } from '../../../src/sys/duo-error.js';
import { ApplyError, NotARepoError, RepoError } from '../../../src/workspace/repo-errors.js';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every class declared in src/ and the class it extends, by name. */
function classes(): Map<string, { base: string; file: string }> {
  const out = new Map<string, { base: string; file: string }>();
  for (const file of files(src)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
    const visit = (node: ts.Node) => {
      if (ts.isClassDeclaration(node) && node.name) {
        const base = node.heritageClauses
          ?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)
          ?.types[0]?.expression.getText(source);
        if (base) out.set(node.name.text, { base, file: relative(src, file) });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return out;
}

describe('DuoError, the base of every error duo throws', () => {
  it('is the only class in src/ that extends Error itself: every other error class goes through it', () => {
    const all = classes();
    const direct = [...all].filter(([, c]) => c.base === 'Error').map(([name, c]) => `${name} (${c.file})`);
    expect(direct).toEqual(['DuoError (sys/duo-error.ts)']);
    // Not vacuous: the scan sees the error classes of every layer, each reaching DuoError.
    const reaches = (name: string): boolean => {
      const c = all.get(name);
      return !!c && (c.base === 'DuoError' || reaches(c.base));
    };
    const errors = [...all.keys()].filter((n) => reaches(n));
    expect(errors).toEqual(
      expect.arrayContaining(['AgentError', 'ConfigError', 'GateAborted', 'GitError', 'RecordError', 'UsageError']),
    );
    expect(errors.length).toBeGreaterThanOrEqual(15);
  });

  it("no error passes for one of duo's classes by a name set by hand: its exit code would not follow", () => {
    const all = classes();
    const named = files(src).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\.name = '(\w+)'/g)]
        .filter((m) => all.has(m[1] as string))
        .map((m) => `${relative(src, file)}: ${m[1]}`),
    );
    expect(named).toEqual([]);
  });

  it('carries the exit code its class declares, whatever its name', () => {
    const usage = [
      new UsageError('x'),
      new ConfigError('x'),
      new RecordError('x'),
      new LockedError('x'),
      new NotARepoError('/tmp'),
      new RepoError('x'),
      new EvalInputError('x'),
    ];
    for (const e of usage) expect([e.name, e.exitCode]).toEqual([e.constructor.name, EXIT.usage]);
    expect(new AgentError('claude', 'crashed', 'boom').exitCode).toBe(EXIT.failed);
    expect(new ApplyError('x', []).exitCode).toBe(EXIT.failed);
    expect(new RunFailure('x', 'raise it').exitCode).toBe(EXIT.failed);
    expect(new Paused('codex', null, 'limit').exitCode).toBe(EXIT.paused);
    expect(new Interrupted().exitCode).toBe(EXIT.interrupted);
    const card = {
      id: 'card-1',
      phase: 'plan' as const,
      findingId: 'P1',
      question: 'q',
      driverPosition: 'd',
      skepticPosition: 's',
      stakes: 'x',
      createdAt: new Date().toISOString(),
    };
    expect(new AwaitingDecision(card).exitCode).toBe(EXIT.decision);
    // A renamed error keeps its code: the class decides, not the name.
    const renamed = new ConfigError('x');
    renamed.name = 'SomethingElse';
    expect(renamed.exitCode).toBe(EXIT.usage);
  });

  it('carries a hint when there is one: given, or (for an agent failure) from the failure', () => {
    expect(new UsageError('bad flag', 'try --help').hint).toBe('try --help');
    expect(new UsageError('bad flag').hint).toBeUndefined();
    expect(new RecordError('unknown run', null).hint).toBeUndefined();
    expect(new AgentError('claude', 'not-logged-in', 'no login').hint).toMatch(/log the agent CLI in/i);
    expect(new RunFailure('over budget', 'Raise limits.maxMinutes').hint).toBe('Raise limits.maxMinutes');
    expect(new DuoError('x')).toBeInstanceOf(Error);
  });
});
