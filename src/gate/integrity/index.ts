/**
 * Every rule of the gate's integrity, in one folder. The principle: **what ships is what is verified** (the final
 * gate runs on a pristine checkout of the exact commit `duo apply` brings in — the protocol arranges that through
 * the workspace), **what the base's checks read is protected**, and **a run writes nothing outside its worktree**.
 * The rule set, file by file:
 * - conventions.ts — test-side files by each runner's naming conventions;
 * - config-refs.ts — files the verify commands, their scripts and the runner configs name, and the scripts run;
 * - definition.ts — what defines the gate (configs, setup files, manifests' gate part, locked test tools);
 * - imports.ts, test-side.ts — test helpers: files only tests import, followed through the base's imports;
 * - protection.ts — one classification of every path, and the write guard's rule over it;
 * - acceptance.ts — who may accept a change to a protected file (the plan with the skeptic, the skeptic, a human);
 * - markers.ts — skip/focus/todo/xfail markers added;
 * - cheats.ts — code-only cheats in the added lines (runner detection, exit at import, patched assertions,
 *   special-cased test inputs);
 * - shapes.ts — the verdict's input and its recorded shapes (zod); issues.ts — one collector per kind of issue;
 *   verdict.ts — measurements in, integrity issues and the verdict out.
 * The protocol only asks these modules; it measures (protocol/gate-checks.ts) and applies (protocol/test-guard.ts).
 */

export { type AcceptanceView, acceptedIssues, declaredMatcher, mayChange, pathAcceptance } from './acceptance.js';
export { assertionLiterals, type ChangedFile, type Suspect, scanCheats } from './cheats.js';
export { type BaseTexts, type GateScope, gateScope, scopeInputs } from './config-refs.js';
export { isTestPath } from './conventions.js';
export { lockfileToolEntries, manifestProjection, projectionDiff, restoreManifest } from './definition.js';
export { importGraph, isModuleFile } from './imports.js';
export { addedMarkers, mayHoldMarkers } from './markers.js';
export {
  type BaseProtection,
  classify,
  judgeWrite,
  onlyAdds,
  type ProtectedKind,
  protectionReason,
  verb,
} from './protection.js';
export {
  Acceptance,
  type CommandComparison,
  type IntegrityInput,
  type IntegrityIssue,
  IntegrityVerdict,
  IssueKind,
  type MarkerChange,
  type OriginalRun,
  type OutsideWrite,
  type ProtectedChange,
  type SuspectCode,
} from './shapes.js';
export { testSideFiles } from './test-side.js';
export { assessIntegrity } from './verdict.js';
