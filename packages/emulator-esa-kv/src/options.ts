import { systemClock, type Clock } from "@stowage/core";
import { DEFAULT_ESA_KV_EMULATOR_LIMITS, type EsaKvEmulatorLimits } from "./limits.js";

/** The actions the emulator serves (ESA 2024-09-10 plus OpenPlatform 2019-12-19). */
export const ESA_KV_ACTIONS = [
  "PutKv",
  "GetKv",
  "GetKvDetail",
  "DeleteKv",
  "ListKvs",
  "BatchPutKv",
  "BatchDeleteKv",
  "PutKvWithHighCapacity",
  "BatchPutKvWithHighCapacity",
  "BatchDeleteKvWithHighCapacity",
  "CreateKvNamespace",
  "DeleteKvNamespace",
  "GetKvNamespace",
  "GetKvAccount",
  "DescribeKvAccountStatus",
  "AuthorizeFileUpload",
] as const;

/** One of {@link ESA_KV_ACTIONS}, or `OssPostObject` for the OSS-style upload endpoint. */
export type EsaKvAction = (typeof ESA_KV_ACTIONS)[number] | "OssPostObject";

/**
 * Requests per second allowed per action (a one-second fixed window). Over the limit, actions
 * that write or delete keys answer `429 TooQuickRequests`, every other action
 * `429 TooManyRequests` (seed error table). Unset means unlimited.
 */
export interface EsaKvRateLimits {
  /** Requests per second per action. */
  perAction?: Partial<Record<EsaKvAction, number>>;
  /** Requests per second across all actions. */
  global?: number;
  /** Value of the `x-acs-retry-after` header sent with a 429, in milliseconds (default 1000). */
  retryAfterMs?: number;
}

/** Fault injection for reliability tests. Every rate is a probability in [0, 1]. */
export interface EsaKvFaults {
  /** Probability that a request fails with `503 ServiceUnavailable`, per action. */
  errorRate?: Partial<Record<EsaKvAction, number>>;
  /** Probability that any request fails with `503 ServiceUnavailable`. */
  globalErrorRate?: number;
  /** Delay added before every response, in milliseconds. */
  latencyMs?: number;
  /** Probability that the connection is destroyed without a response. */
  dropConnectionRate?: number;
  /** Probability that a successful response body is cut in half (Content-Length kept). */
  truncateBodyRate?: number;
  /** The random source for every rate above; inject one for deterministic tests. */
  random?: () => number;
}

/** How to start the emulator. Every field is optional. */
export interface EsaKvEmulatorOptions {
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /** Port; default 0 (ephemeral). */
  port?: number;
  /** The access key id requests must be signed with; default `stowage-test-ak`. */
  accessKeyId?: string;
  /** Its secret; default `stowage-test-sk`. */
  accessKeySecret?: string;
  /** Persist to this directory (created if missing); data survives a restart. In memory when unset. */
  dataDir?: string;
  /** Time for TTLs, UpdateTime and the signature clock-skew check; default the system clock. */
  clock?: Clock;
  /** Namespaces created at start (skipped when they already exist in `dataDir`). */
  namespaces?: string[];
  /** Overrides of the documented limits. */
  limits?: Partial<EsaKvEmulatorLimits>;
  /** Throttling; unlimited when unset. */
  rateLimits?: EsaKvRateLimits;
  /** Fault injection; none when unset. */
  faults?: EsaKvFaults;
}

/** {@link EsaKvEmulatorOptions} with every default applied. */
export type ResolvedEsaKvEmulatorOptions = Required<Omit<EsaKvEmulatorOptions, "dataDir" | "limits">> & {
  /** Persist to this directory; undefined keeps everything in memory. */
  dataDir: string | undefined;
  /** The documented limits with the overrides applied. */
  limits: EsaKvEmulatorLimits;
};

/**
 * The namespace `stowage emulator esa-kv` creates when none is named (issue #9 §5: an
 * emulator started as the README shows must be usable at once); `startEsaKvEmulator` itself
 * creates only what `namespaces` lists.
 */
export const DEFAULT_NAMESPACE = "stowage";

/** The access key id used when none is configured. */
export const DEFAULT_ACCESS_KEY_ID = "stowage-test-ak";
/** The access key secret used when none is configured. */
export const DEFAULT_ACCESS_KEY_SECRET = "stowage-test-sk";

/** Applies the defaults. */
export function resolveEsaKvEmulatorOptions(options: EsaKvEmulatorOptions = {}): ResolvedEsaKvEmulatorOptions {
  return {
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 0,
    accessKeyId: options.accessKeyId ?? DEFAULT_ACCESS_KEY_ID,
    accessKeySecret: options.accessKeySecret ?? DEFAULT_ACCESS_KEY_SECRET,
    dataDir: options.dataDir,
    clock: options.clock ?? systemClock,
    namespaces: options.namespaces ?? [],
    limits: { ...DEFAULT_ESA_KV_EMULATOR_LIMITS, ...options.limits },
    rateLimits: options.rateLimits ?? {},
    faults: options.faults ?? {},
  };
}
