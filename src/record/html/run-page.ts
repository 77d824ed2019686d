/**
 * A run's page (report.html beside report.md): the same record the markdown report reads, laid out to be looked
 * at — the verdict and next step first, then the timeline, the plan rounds, the findings linked to their lines in
 * the diff, the gate, and where the time, tokens and decisions went.
 */

import type { RunEventLine } from '../../protocol/run-events.js';
import type { RunState } from '../../protocol/types.js';
import { statusLine } from '../report.js';
import { buildAnchors } from './anchors.js';
import { RUN_SCRIPT } from './client.js';
import type { RunDiff } from './diff.js';
import { renderDocument } from './document.js';
import { when } from './format.js';
import { html, relativeUrl } from './html.js';
import { costSection } from './run-cost.js';
import { diffSection } from './run-diff.js';
import { findingsSection } from './run-findings.js';
import { gateSection } from './run-gate.js';
import { runHead } from './run-head.js';
import { planSection } from './run-plan.js';
import { timelineSection } from './timeline.js';
import { buildTimeline } from './timeline-data.js';

export interface RunPageInput {
  state: RunState;
  events: RunEventLine[];
  diff: RunDiff;
  /** The run's folder: links to its files (verify logs, report.md) are relative to it. */
  recordDir: string;
  /** The record page (.duo/index.html) exists: the run's page links to it. */
  recordPage: boolean;
  /** Files of the record beside the page, for the footer's links. */
  files: string[];
  now: Date;
  /** Said instead of the record's next step (see writeRunPage). */
  next?: string;
}

export function renderRunPage(input: RunPageInput): string {
  const { state, diff } = input;
  const anchors = buildAnchors(state, diff);
  const body = html`${runHead(state, { recordPage: input.recordPage, ...(input.next ? { next: input.next } : {}) })}
<main id="main">
${timelineSection(buildTimeline(state, input.events))}
${planSection(state, anchors.finding)}
${findingsSection(state, anchors)}
${diffSection(state, diff, anchors)}
${gateSection(state, input.recordDir)}
${costSection(state, input.events)}
</main>
<footer><p>The record beside this page: ${input.files.map(
    (f, i) => html`${i ? ' · ' : ''}<a href="${relativeUrl(f)}">${f}</a>`,
  )}. Written by duo at ${when(input.now.toISOString())}; <code>duo show ${state.runId} --html</code> writes it again.</p></footer>`;
  return renderDocument({
    title: `duo ${state.runId}: ${statusLine(state)}`,
    script: RUN_SCRIPT,
    body,
  });
}
