/**
 * Group commit of puts without expiry: the puts a store's callers issue in the same tick go to
 * the server as one call of the put script (scripts.ts), which writes each value with its index
 * entry. A script call has a fixed cost on the server (lookup, Lua set-up, reply) and every
 * command one on the client (queueing, encoding, a promise); a group pays them once, and its
 * index entries go in with one ZADD. A group adds no wait: it is sent at the end of the tick,
 * before node-redis writes that tick's commands, so it leaves in the same write as they do.
 *
 * Every put of a group gets the group's outcome: all values were written (with their index
 * entries, atomically), or the call failed and each caller gets its error. The store sends the
 * waiting group before any other command ({@link PutGroups.flush}), so the server sees a
 * store's calls in the order they reached the driver.
 */

/** At most this many puts go in one group; more in one tick start another group. */
export const PUT_GROUP_MAX_KEYS = 64;
/**
 * At most this many value bytes go in one group (a larger single value travels alone): a
 * script holds the server while it runs, and large values gain nothing from sharing a call.
 */
export const PUT_GROUP_MAX_BYTES = 256 * 1024;

interface WaitingPut {
  readonly key: string;
  readonly value: Buffer;
  resolve(): void;
  reject(err: unknown): void;
}

/** Sends one group: its keys and values in the order they were put. */
export type SendPutGroup = (keys: string[], values: Buffer[]) => Promise<unknown>;

/** The puts of one store waiting for the end of the tick, sent as groups. */
export class PutGroups {
  private waiting: WaitingPut[] = [];
  private bytes = 0;
  private scheduled = false;

  constructor(private readonly send: SendPutGroup) {}

  /** Adds one put to the group being formed; settles when its group has been written or failed. */
  add(key: string, value: Buffer): Promise<void> {
    if (this.waiting.length > 0 && (this.waiting.length >= PUT_GROUP_MAX_KEYS || this.bytes + value.byteLength > PUT_GROUP_MAX_BYTES)) this.flush();
    const written = new Promise<void>((resolve, reject) => this.waiting.push({ key, value, resolve, reject }));
    this.bytes += value.byteLength;
    if (!this.scheduled) {
      this.scheduled = true;
      // nextTick runs after the promise jobs of this tick (the other callers' puts on their way
      // through the facade) and before node-redis's setImmediate write of the tick's commands.
      process.nextTick(this.onTick);
    }
    return written;
  }

  /** Sends the waiting puts now, as one group (nothing when none wait). */
  flush(): void {
    const group = this.waiting;
    if (group.length === 0) return;
    this.waiting = [];
    this.bytes = 0;
    let sent: Promise<unknown>;
    try {
      sent = this.send(
        group.map((w) => w.key),
        group.map((w) => w.value),
      );
    } catch (err) {
      sent = Promise.reject(err);
    }
    sent.then(
      () => {
        for (const w of group) w.resolve();
      },
      (err: unknown) => {
        for (const w of group) w.reject(err);
      },
    );
  }

  private readonly onTick = (): void => {
    this.scheduled = false;
    this.flush();
  };
}
