/** The emulator's options and the handle of a running emulator. */
import type { Clock } from "@stowage/core";
import type { Ks3Faults } from "./faults.js";
import type { Ks3EmulatorLimits, Ks3Profile, Ks3Quirks } from "./profile.js";

/** Credentials the emulator accepts when none are given. Test credentials, not secrets. */
export const DEFAULT_ACCESS_KEY_ID = "stowage-test-ak";
/** The default secret access key, paired with {@link DEFAULT_ACCESS_KEY_ID}. */
export const DEFAULT_SECRET_ACCESS_KEY = "stowage-test-sk";

/**
 * The bucket `stowage emulator ks3` creates when none is named (issue #9 §5: an emulator
 * started as the README shows must be usable at once); `startKs3Emulator` itself creates
 * only what `buckets` lists.
 */
export const DEFAULT_BUCKET = "stowage";

/** How to start an emulator. */
export interface Ks3EmulatorOptions {
  /** Address to bind; `127.0.0.1` by default. */
  host?: string;
  /** Port; `0` (default) picks a free one. */
  port?: number;
  /** Behaviour profile: `ks3` (default) or `s3` (AWS semantics where §7 lists a difference). */
  profile?: Ks3Profile;
  /** Overrides of single profile switches, e.g. `{ uploadPartCopyResultRoot: "CopyObjectResult" }`. */
  quirks?: Partial<Ks3Quirks>;
  /** The one access key id accepted; default {@link DEFAULT_ACCESS_KEY_ID}. */
  accessKeyId?: string;
  /** Its secret; default {@link DEFAULT_SECRET_ACCESS_KEY}. Never printed or logged. */
  secretAccessKey?: string;
  /** Buckets that exist from the start. */
  buckets?: string[];
  /** Keep state and bytes under this directory (created if missing) instead of in memory. */
  dataDir?: string;
  /** Overrides of single limits, e.g. a small `multipartMinPartBytes` to keep tests fast. */
  limits?: Partial<Ks3EmulatorLimits>;
  /** Time source for Last-Modified, clock-skew checks and expiry; the system clock by default. */
  clock?: Clock;
  /** Faults to inject; can be changed later with {@link RunningKs3Emulator.setFaults}. */
  faults?: Ks3Faults;
  /**
   * Host names under which `{bucket}.{host}` is virtual-host addressing. Default: the bound
   * host, `localhost` and `127.0.0.1`.
   */
  virtualHostBases?: string[];
  /** Region reported to clients (any region is accepted in signatures). Default `cn-beijing` (ks3) or `us-east-1` (s3). */
  region?: string;
}

/** A started emulator. */
export interface RunningKs3Emulator {
  /** `http://127.0.0.1:PORT`. */
  readonly endpoint: string;
  /** The bound port (useful when `port: 0` picked one). */
  readonly port: number;
  /** The region to configure clients with; any region is accepted in SigV4 scopes. */
  readonly region: string;
  /** The accepted access key id. */
  readonly accessKeyId: string;
  /** The accepted secret, for in-process clients; never printed. */
  readonly secretAccessKey: string;
  /** The profile it runs. */
  readonly profile: Ks3Profile;
  /** The names of the buckets that exist now, sorted. */
  buckets(): string[];
  /** Creates a bucket without a signed request (fails if it exists). */
  createBucket(name: string): Promise<void>;
  /** Deletes a bucket with everything in it, objects and open uploads, without a signed request. Absent buckets are ignored. */
  deleteBucket(name: string): Promise<void>;
  /** Replaces the injected faults; `undefined` stops injecting. */
  setFaults(faults: Ks3Faults | undefined): void;
  /** Stops listening, drops open connections and waits for pending state writes. */
  close(): Promise<void>;
}
