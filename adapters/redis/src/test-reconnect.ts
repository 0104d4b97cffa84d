/** Test helper shared by the Redis tests that stop, restart or kill a server's connections. */

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
