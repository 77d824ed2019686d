import { closeSync, fstatSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { StreamRedactor } from '../sys/redact.js';

const LOG_HEAD_BYTES = 2 * 1024 * 1024;
const LOG_TAIL_BYTES = 8 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;
/** How far a head/tail boundary may move to land on a line break (and never inside a secret). */
const BOUNDARY_WINDOW = 64 * 1024;

export interface FinishedLog {
  /** What the command printed, in bytes. */
  bytes: number;
  /** How many of them were cut from the middle of the stored log (0: it is whole). */
  cutBytes: number;
}

/**
 * A verify command's log, once it has exited: secrets masked, and the size capped. The command wrote straight to
 * the file (no copy through duo while it runs); this pass reads it back in chunks, so memory stays flat however
 * much it printed. Over the cap, the stored log keeps its head and its tail — where the error usually is — and
 * says in the middle how many bytes were cut.
 */
export function finishLog(
  file: string,
  limits: { headBytes: number; tailBytes: number } = { headBytes: LOG_HEAD_BYTES, tailBytes: LOG_TAIL_BYTES },
  env: NodeJS.ProcessEnv = process.env,
): FinishedLog {
  const tmp = `${file}.redacting`;
  const input = openSync(file, 'r');
  let output: number | undefined;
  let result: FinishedLog;
  try {
    output = openSync(tmp, 'w');
    const size = fstatSync(input).size;
    let ranges: [number, number][] = [[0, size]];
    if (size > limits.headBytes + limits.tailBytes) {
      const headEnd = boundary(input, limits.headBytes, size, env);
      const tailStart = boundary(input, size - limits.tailBytes, size, env);
      if (headEnd < tailStart)
        ranges = [
          [0, headEnd],
          [tailStart, size],
        ];
    }
    const kept = ranges.reduce((n, [a, b]) => n + b - a, 0);
    for (const [i, [start, end]] of ranges.entries()) {
      if (i > 0) {
        const marker =
          `\n[duo: ${size - kept} bytes cut here. This log keeps the first ${ranges[0]![1]} and the last ` +
          `${end - start} of the ${size} bytes the command printed.]\n`;
        writeSync(output, marker);
      }
      copyRedacted(input, start, end, output, env);
    }
    result = { bytes: size, cutBytes: size - kept };
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  } finally {
    closeSync(input);
    if (output !== undefined) closeSync(output);
  }
  renameSync(tmp, file);
  return result;
}

/** Bytes [start, end) of `input`, redacted as one stream, appended to `output`. */
function copyRedacted(input: number, start: number, end: number, output: number, env: NodeJS.ProcessEnv): void {
  const redactor = new StreamRedactor(env);
  const buf = Buffer.alloc(CHUNK_BYTES);
  for (let pos = start; pos < end; ) {
    const n = readSync(input, buf, 0, Math.min(CHUNK_BYTES, end - pos), pos);
    if (n <= 0) break;
    pos += n;
    const text = redactor.push(buf.toString('latin1', 0, n));
    if (text) writeSync(output, Buffer.from(text, 'latin1'));
  }
  const rest = redactor.end();
  if (rest) writeSync(output, Buffer.from(rest, 'latin1'));
}

/** A position near `pos`, at or before it: after a line break if one is near, and never inside a secret. */
function boundary(input: number, pos: number, size: number, env: NodeJS.ProcessEnv): number {
  const from = Math.max(0, pos - BOUNDARY_WINDOW);
  const to = Math.min(size, pos + 4096);
  const buf = Buffer.alloc(to - from);
  const n = readSync(input, buf, 0, buf.length, from);
  const window = buf.toString('latin1', 0, n);
  const cut = new StreamRedactor(env, BOUNDARY_WINDOW).safeCut(window, pos - from);
  return from + cut;
}
