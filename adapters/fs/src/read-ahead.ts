/**
 * Read-ahead for listings: a page needs each key's attributes from its file, and reading them
 * one after another leaves all but one of libuv's file threads idle.
 */

/** Files read at once while a listing walks ahead. */
export const READ_AHEAD = 32;

/**
 * Yields `[item, await read(item)]` for each item of `source`, in order, with up to `width`
 * reads in flight. Stopping the iteration early leaves at most `width` reads to settle unobserved.
 */
export async function* readAhead<T, R>(source: AsyncIterable<T>, read: (item: T) => Promise<R>, width = READ_AHEAD): AsyncGenerator<[T, R]> {
  const pending: Array<{ item: T; result: Promise<R> }> = [];
  try {
    for await (const item of source) {
      const result = read(item);
      // Observed when its turn comes; until then a rejection must not count as unhandled.
      result.catch(() => undefined);
      pending.push({ item, result });
      if (pending.length >= width) {
        const head = pending.shift()!;
        yield [head.item, await head.result];
      }
    }
    while (pending.length > 0) {
      const head = pending.shift()!;
      yield [head.item, await head.result];
    }
  } finally {
    pending.length = 0;
  }
}
