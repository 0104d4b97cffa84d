/** Test helpers shared by the Redis adapter's test files. */
import type { RedisKeyValueStore } from "./key-value-store.js";

/** Every key `store.keys(options)` yields, in the order it yields them. */
export async function listAll(store: RedisKeyValueStore, options: { prefix?: string; limit?: number } = {}): Promise<string[]> {
  const keys: string[] = [];
  for await (const entry of store.keys(options)) keys.push(entry.key);
  return keys;
}

/** Retries `attempt` until it resolves, at most `rounds` times 100 ms apart (the reconnect is in the background). */
export async function eventually<T>(attempt: () => Promise<T>, rounds = 100): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (i >= rounds) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
