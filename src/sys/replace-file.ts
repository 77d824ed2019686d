/**
 * The one way duo replaces a file it rewrites as a run goes (its state, its record, the processes it started):
 * written beside and renamed over (write-file-atomic), so a reader, or a resume after a crash, sees the old file or
 * the new one and never half of one. The flush to disk (fsync) runs on libuv's thread pool after the rename rather
 * than blocking the run between steps: a crash of duo or Ctrl-C loses nothing (the kernel holds the file), and a
 * power cut can lose at most the last checkpoint or two, which resume then runs again. The same trade SQLite makes
 * with `synchronous=NORMAL`; a blocking fsync per checkpoint cost a run tens to hundreds of ms under disk load.
 */

import { close, fsync, open } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';

export function replaceFile(file: string, data: string | Buffer): void {
  writeFileAtomic.sync(file, data, { fsync: false });
  flushLater(file);
}

/** Ask the kernel to write the file to disk, off the main thread; a file gone by then needs no flush. */
function flushLater(file: string): void {
  open(file, 'r', (err, fd) => {
    if (err) return;
    fsync(fd, () => close(fd, () => {}));
  });
}
