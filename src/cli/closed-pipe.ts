/**
 * `duo log | head -1`: once the reader is gone, writing to the pipe fails with EPIPE, which Node raises as an
 * unhandled 'error' event and a stack trace. A closed stdout (or stderr) is not duo's failure: further writes
 * are dropped and the command ends as it would have, with its own exit code.
 */
export function dropWritesToClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    let closed = false;
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') {
        closed = true;
        return;
      }
      throw e;
    });
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (closed) {
        const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
        done?.();
        return true;
      }
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
}
