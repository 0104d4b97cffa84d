/**
 * One queue per object path, shared by every store of this process: a conditional write reads
 * the key's current ETag and commits in one turn of its queue, so no other write of this
 * process lands between its check and its commit.
 *
 * Why in-process only: a lock file that other processes honour survives a kill -9 and then
 * blocks the key forever, so across processes the guarantees are the kernel's instead: a
 * create-only write (`ifNoneMatch: "*"`) commits with link(), which refuses an existing name
 * atomically (see `TempFile.commitIfAbsent`); a replace of one version (`ifMatch`) racing a
 * write from another process on the same root is last-writer-wins.
 */

/** The tail of each path's queue; removed when the queue drains, so the map holds only busy paths. */
const tails = new Map<string, Promise<void>>();

/** Runs `fn` after every earlier `withPathLock` call on `path` in this process has settled. */
export async function withPathLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const previous = tails.get(path) ?? Promise.resolve();
  let release!: () => void;
  const tail = new Promise<void>((resolve) => (release = resolve));
  tails.set(path, tail);
  await previous;
  try {
    return await fn();
  } finally {
    if (tails.get(path) === tail) tails.delete(path);
    release();
  }
}
