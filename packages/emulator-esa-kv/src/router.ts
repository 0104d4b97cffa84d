import type { ActionHandler } from "./action-context.js";
import { EsaKvEmulatorError } from "./errors.js";
import { HIGH_CAPACITY_ACTIONS } from "./high-capacity-actions.js";
import { KV_ACTIONS } from "./kv-actions.js";
import { NAMESPACE_ACTIONS } from "./namespace-actions.js";
import { OPEN_PLATFORM_ACTIONS } from "./open-platform-actions.js";
import type { EsaKvAction } from "./options.js";

/** The ESA API version every KV action requires. */
export const ESA_API_VERSION = "2024-09-10";
/** The OpenPlatform API version AuthorizeFileUpload requires. */
export const OPEN_PLATFORM_API_VERSION = "2019-12-19";

/** How one action is served. */
export interface Route {
  action: Exclude<EsaKvAction, "OssPostObject">;
  handler: ActionHandler;
  /** The `x-acs-version` / `Version` it answers to. */
  version: string;
  /** Whether it changes stored data (persisted before the response). */
  mutates: boolean;
  /** Whether it writes or deletes keys (throttled as `TooQuickRequests`). */
  writesKeys: boolean;
}

const KEY_WRITERS = new Set<string>([
  "PutKv",
  "DeleteKv",
  "BatchPutKv",
  "BatchDeleteKv",
  "PutKvWithHighCapacity",
  "BatchPutKvWithHighCapacity",
  "BatchDeleteKvWithHighCapacity",
]);

const ROUTES = new Map<string, Route>();
for (const [action, handler] of Object.entries({ ...KV_ACTIONS, ...HIGH_CAPACITY_ACTIONS, ...NAMESPACE_ACTIONS })) {
  ROUTES.set(action, {
    action: action as Route["action"],
    handler,
    version: ESA_API_VERSION,
    mutates: KEY_WRITERS.has(action) || action === "CreateKvNamespace" || action === "DeleteKvNamespace",
    writesKeys: KEY_WRITERS.has(action),
  });
}
ROUTES.set("AuthorizeFileUpload", {
  action: "AuthorizeFileUpload",
  handler: OPEN_PLATFORM_ACTIONS.AuthorizeFileUpload,
  version: OPEN_PLATFORM_API_VERSION,
  mutates: false,
  writesKeys: false,
});

/** The route for `action` at `version`; raises `404 InvalidApi.NotFound` for anything else. */
export function route(action: string | undefined, version: string | undefined): Route {
  const found = action === undefined ? undefined : ROUTES.get(action);
  if (!found || found.version !== version) {
    throw new EsaKvEmulatorError(
      "InvalidApi.NotFound",
      `Specified api is not found: action ${JSON.stringify(action ?? "")} at version ${JSON.stringify(version ?? "")}.`,
    );
  }
  return found;
}
