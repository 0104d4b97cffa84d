import type { Clock } from "@stowage/core";
import type { EsaKvEmulatorLimits } from "./limits.js";
import type { RequestParams } from "./request-params.js";
import type { EsaKvStore } from "./store.js";
import type { UploadStore } from "./upload-store.js";

/** What an action handler sees: its parameters and the emulator's state. */
export interface ActionContext {
  params: RequestParams;
  store: EsaKvStore;
  uploads: UploadStore;
  limits: EsaKvEmulatorLimits;
  clock: Clock;
}

/** An action's response body, without `RequestId` (the server adds it). */
export type ActionResult = Record<string, unknown>;

/** One action: reads its parameters, acts on the store, returns the SDK-shaped body. */
export type ActionHandler = (context: ActionContext) => ActionResult | Promise<ActionResult>;
