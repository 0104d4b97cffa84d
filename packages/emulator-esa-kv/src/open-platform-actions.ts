import type { ActionHandler } from "./action-context.js";
import { EsaKvEmulatorError } from "./errors.js";

/**
 * OpenPlatform 2019-12-19 `AuthorizeFileUpload` (reference §2 step 1): the SDK sends
 * `Product=ESA` and `RegionId` in the query and gets a PostObject grant for one object.
 */
const authorizeFileUpload: ActionHandler = ({ params, uploads }) => {
  const product = params.query("Product");
  if (product === undefined || product.toUpperCase() !== "ESA") {
    throw new EsaKvEmulatorError("InvalidParameter", "Product must be ESA.");
  }
  return { ...uploads.authorize() };
};

/** The OpenPlatform handlers by action name. */
export const OPEN_PLATFORM_ACTIONS = {
  AuthorizeFileUpload: authorizeFileUpload,
} satisfies Record<string, ActionHandler>;
