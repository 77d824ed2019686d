/**
 * The shell of every duo page: one self-contained file. The stylesheet and the script are inline, and a
 * Content-Security-Policy allows exactly those two (by their hashes) and nothing else — no other script, no
 * network, no fonts, no frames — so even markup that slipped past the escaping could not run or phone home.
 */

import { createHash } from 'node:crypto';
import { type Html, html } from './html.js';
import { STYLES } from './styles.js';

export interface PageParts {
  title: string;
  /** The page's own script (a constant of duo's, never run data); its data goes in jsonBlock()s in the body. */
  script: string;
  body: Html;
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** The policy for a page whose only script and style are these. */
export function contentSecurityPolicy(script: string, style: string = STYLES): string {
  return [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(style)}`,
    // The favicon below is inline: the browser asks for no file.
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function renderDocument(parts: PageParts): string {
  const head = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(parts.script)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="duo">
<title>${parts.title}</title>
<link rel="icon" href="data:,">
`;
  const body = html`</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
${parts.body}
<div id="tip" role="tooltip" hidden></div>
`;
  // The stylesheet and the script are duo's own constants, joined in as they are: the template refuses any
  // interpolation inside <style> and <script>, and the policy above names exactly these two by their hashes.
  return `${head.text}<style>${STYLES}</style>\n${body.text}<script>${parts.script}</script>\n</body>\n</html>\n`;
}
