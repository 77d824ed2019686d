/**
 * The pages' one stylesheet, inline: system fonts (nothing fetched), light and dark from prefers-color-scheme,
 * colours that keep WCAG AA contrast in both, and a print layout (no controls, folds opened by the script,
 * no page break inside a finding or a command).
 */

export const STYLES = `
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --panel: #f6f8fa; --link: #0550ae;
  --good-bg: #dafbe1; --good: #116329; --bad-bg: #ffebe9; --bad: #a40e26; --warn-bg: #fff8c5; --warn: #6c4400;
  --info-bg: #ddf4ff; --info: #0550ae; --plain-bg: #eff2f5; --plain: #32383f;
  --add-bg: #e6ffec; --del-bg: #ffebe9; --hunk-bg: #ddf4ff; --mark-bg: #ffebe9; --focus: #0969da;
  --bar-call: #4f6bed; --bar-failed: #cf222e; --bar-pass: #2da44e; --bar-fail: #cf222e; --band: #eef1f4;
  --a0: #6e7fd6; --l0: #bf3989; --l1: #9a6700;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --border: #3d444d; --panel: #151b23; --link: #79c0ff;
    --good-bg: #12321f; --good: #7ee2a8; --bad-bg: #42181c; --bad: #ffa198; --warn-bg: #3a2e05; --warn: #f0c65c;
    --info-bg: #0c2d4b; --info: #9ecbff; --plain-bg: #262c36; --plain: #d1d7e0;
    --add-bg: #12261e; --del-bg: #2d1519; --hunk-bg: #0c2d4b; --mark-bg: #4a1a1e; --focus: #58a6ff;
    --bar-call: #7d8ff0; --bar-failed: #ff7b72; --bar-pass: #3fb950; --bar-fail: #ff7b72; --band: #161c24;
    --a0: #8b9cf5; --l0: #f778ba; --l1: #e3b341;
  }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { background: var(--bg); color: var(--fg); }
body { margin: 0 auto; max-width: 1200px; padding: 1rem 1.5rem 3rem;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
a { color: var(--link); }
code, pre, .cmd { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.9em; }
h1 { font-size: 1.5rem; line-height: 1.3; margin: 0.2rem 0 0.6rem; }
h2 { font-size: 1.25rem; margin: 2.2rem 0 0.6rem; padding-bottom: 0.3rem; border-bottom: 1px solid var(--border); }
h3, .h3 { font-size: 1.05rem; margin: 1.2rem 0 0.4rem; }
h4, .h4, h5 { font-size: 0.95rem; margin: 0.8rem 0 0.3rem; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 0.5rem; background: var(--bg); padding: 0.3rem 0.6rem; z-index: 10; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.crumb, .muted, .intro, .when { color: var(--muted); }
.crumb { margin: 0; font-size: 0.9rem; }
.task { font-size: 1.05rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.kicker { color: var(--muted); font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; margin-right: 0.4rem; }
.next { background: var(--panel); border-left: 4px solid var(--link); padding: 0.5rem 0.8rem; }
.badge { display: inline-block; padding: 0 0.45rem; border-radius: 1rem; font-size: 0.8rem; font-weight: 600;
  line-height: 1.6; white-space: nowrap; vertical-align: 0.05em; }
.t-good { background: var(--good-bg); color: var(--good); }
.t-bad { background: var(--bad-bg); color: var(--bad); }
.t-warn { background: var(--warn-bg); color: var(--warn); }
.t-info { background: var(--info-bg); color: var(--info); }
.t-plain { background: var(--plain-bg); color: var(--plain); }
.verdict .badge { font-size: 1rem; padding: 0.1rem 0.7rem; }
.callout { border: 1px solid var(--border); border-left-width: 4px; border-radius: 6px; padding: 0.3rem 0.9rem; margin: 0.8rem 0; }
.callout.bad { border-left-color: var(--bad); } .callout.warn { border-left-color: var(--warn); }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.tiles { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 0.6rem; }
.tiles li { background: var(--panel); border: 1px solid var(--border); border-radius: 6px; padding: 0.5rem 0.7rem; }
.tiles .k { display: block; color: var(--muted); font-size: 0.8rem; }
.tiles .v { display: block; font-size: 1.15rem; font-weight: 600; }
.tiles .sub { display: block; color: var(--muted); font-size: 0.8rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: 0.2rem 1rem; margin: 0.6rem 0; }
li dl.facts, .callout dl.facts { grid-template-columns: max-content 1fr; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.toc ul { list-style: none; padding: 0.5rem 0; margin: 1rem 0 0; display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem;
  border-top: 1px solid var(--border); border-bottom: 1px solid var(--border); }
details > summary { cursor: pointer; }
details.round, details.attempt, details.file, details.finding, details.calls, details.figures {
  border: 1px solid var(--border); border-radius: 6px; margin: 0.5rem 0; }
details.round > summary, details.attempt > summary, details.file > summary, details.finding > summary,
details.calls > summary, details.figures > summary { padding: 0.4rem 0.7rem; background: var(--panel); border-radius: 6px; }
.round-body { display: grid; grid-template-columns: 1fr 1fr; gap: 1.2rem; padding: 0 0.9rem 0.6rem; }
.finding-body, details.attempt > .command, details.attempt > h4 { padding: 0 0.9rem; }
.finding .fid { font-weight: 700; }
.finding .claim { font-weight: 600; }
.finding.current, tr.current td { box-shadow: inset 0 0 0 2px var(--focus); }
.where a { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
ol.thread { padding-left: 1.2rem; } ol.thread .ev { font-weight: 600; }
.prose { white-space: pre-wrap; overflow-wrap: anywhere; font-family: inherit; }
.filters { display: flex; flex-wrap: wrap; gap: 0.6rem 1.2rem; align-items: center; padding: 0.5rem 0.7rem;
  background: var(--panel); border: 1px solid var(--border); border-radius: 6px; margin: 0.5rem 0; }
.filters input[type=search] { min-width: 22rem; }
input, select, button { font: inherit; color: var(--fg); background: var(--bg); border: 1px solid var(--border);
  border-radius: 6px; padding: 0.2rem 0.4rem; }
button { cursor: pointer; }
table.data { border-collapse: collapse; width: 100%; margin: 0.5rem 0; font-size: 0.9rem; }
table.data caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
table.data th, table.data td { border-bottom: 1px solid var(--border); padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
table.data td.task { overflow-wrap: anywhere; }
table.runs td:nth-child(-n+2) { white-space: nowrap; }
table.diff { border-collapse: collapse; width: 100%; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85rem; }
table.diff td { padding: 0 0.4rem; vertical-align: top; }
table.diff td.ln { width: 3.5rem; text-align: right; color: var(--muted); user-select: none; }
table.diff td.code { white-space: pre-wrap; overflow-wrap: anywhere; }
table.diff .sign { display: inline-block; width: 1.1em; color: var(--muted); }
tr.d-add td { background: var(--add-bg); } tr.d-del td { background: var(--del-bg); }
tr.d-hunk td, tr.d-meta td { background: var(--hunk-bg); color: var(--info); }
tr.marked td { box-shadow: inset 3px 0 0 var(--bad); }
tr.d-note td { background: var(--bad-bg); padding: 0.2rem 0.6rem; font-family: system-ui, sans-serif; }
tr.d-note a { color: var(--bad); font-weight: 600; }
.add { color: var(--good); } .del { color: var(--bad); }
.command { border-top: 1px solid var(--border); padding-top: 0.3rem; }
.command .reason { color: var(--bad); }
pre.verbatim { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--panel); border: 1px solid var(--border);
  border-radius: 6px; padding: 0.5rem 0.7rem; margin: 0.3rem 0; font-size: 0.82rem; line-height: 1.4; }
mark.fail-line { background: var(--mark-bg); color: var(--bad); font-weight: 600; }
.empty { color: var(--muted); font-style: italic; }
.chart { margin: 0.5rem 0; }
svg text { fill: var(--fg); font: 11px system-ui, sans-serif; }
svg .lane line, svg .axis, svg .tick line { stroke: var(--border); }
svg .tick text, svg .break text { fill: var(--muted); text-anchor: middle; }
svg .lane-label { font-weight: 600; }
svg .band.b0 { fill: var(--band); } svg .band.b1 { fill: transparent; }
svg .phase text { fill: var(--muted); font-size: 10px; }
svg .break rect { fill: var(--panel); stroke: var(--border); stroke-dasharray: 3 3; }
svg .mark line { stroke: var(--warn); stroke-dasharray: 4 3; }
svg .bar, svg .cbar { cursor: default; }
svg .bar:focus-visible, svg .cbar:focus-visible, svg .bar:hover, svg .cbar:hover { stroke: var(--fg); stroke-width: 2; outline: none; }
.k-call { fill: var(--bar-call); } .k-failed { fill: var(--bg); stroke: var(--bar-failed); stroke-width: 2; stroke-dasharray: 3 2; } .k-pass { fill: var(--bar-pass); } .k-fail { fill: var(--bar-fail); }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; font-size: 0.85rem; color: var(--muted); }
.legend .key, .key { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 2px; vertical-align: -0.1em; margin-right: 0.3em; }
.key.k-call { background: var(--bar-call); } .key.k-failed { border: 2px dashed var(--bar-failed); }
.key.k-pass { background: var(--bar-pass); } .key.k-fail { background: var(--bar-fail); }
.key.k-band { background: var(--band); border: 1px solid var(--border); }
svg.cchart { max-width: 820px; display: block; }
svg .track { fill: var(--panel); } svg .group { font-weight: 600; font-size: 12px; } svg .value { fill: var(--muted); }
svg .grid { stroke: var(--border); stroke-dasharray: 2 3; }
.c-good { fill: var(--bar-pass); background: var(--bar-pass); } .c-bad { fill: var(--bar-fail); background: var(--bar-fail); }
.c-warn { fill: var(--l1); background: var(--l1); } .c-info { fill: var(--bar-call); background: var(--bar-call); }
.c-plain { fill: var(--muted); } .c-a0 { fill: var(--a0); }
svg .line { fill: none; stroke-width: 2; } svg .line.l0 { stroke: var(--l0); } svg .line.l1 { stroke: var(--l1); }
svg .dot.l0 { fill: var(--l0); } svg .dot.l1 { fill: var(--l1); }
.key-line { display: inline-block; width: 1.4em; height: 0; border-top: 3px solid; vertical-align: 0.25em; }
.key-line.l0 { border-color: var(--l0); } .key-line.l1 { border-color: var(--l1); }
figure.chart-figure { margin: 1rem 0 1.6rem; } figure.chart-figure figcaption p { margin: 0.2rem 0 0.4rem; color: var(--muted); }
#tip { position: absolute; z-index: 20; max-width: 26rem; white-space: pre-line; pointer-events: none;
  background: var(--fg); color: var(--bg); border-radius: 6px; padding: 0.4rem 0.6rem; font-size: 0.82rem; }
footer { margin-top: 3rem; color: var(--muted); font-size: 0.85rem; border-top: 1px solid var(--border); }
@media (max-width: 760px) { .round-body, .sides { grid-template-columns: 1fr; } dl.facts { grid-template-columns: max-content 1fr; } .filters input[type=search] { min-width: 0; } }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .toc, .filters, #tip, .skip, button, #run-more { display: none !important; }
  details, .command, .callout, figure { break-inside: avoid; }
  details.file, details.attempt { break-inside: auto; }
  a { color: inherit; }
  .tiles li, .next { border-color: #999; }
}
`;
