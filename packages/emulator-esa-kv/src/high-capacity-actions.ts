import type { ActionContext, ActionHandler } from "./action-context.js";
import { EsaKvEmulatorError } from "./errors.js";
import { deleteBatch, putBatch, putOne } from "./kv-actions.js";
import { validateKey, validateNamespaceName } from "./kv-validation.js";
import { parseInteger } from "./request-params.js";

/**
 * The *WithHighCapacity actions. Each takes a `Url` naming a JSON payload that the service
 * "actively downloads"; the emulator reads it from its own upload store (the object posted
 * after AuthorizeFileUpload) and never goes to the network. Payload formats: reference §2
 * "Payload content".
 */

/** The payload behind `Url`, parsed as a JSON object, or undefined when it is not one. */
function payloadObject(context: ActionContext): Record<string, unknown> | undefined {
  const bytes = context.uploads.resolve(context.params.query("Url"));
  try {
    const parsed: unknown = JSON.parse(Buffer.from(bytes).toString("utf8"));
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function optionalInteger(record: Record<string, unknown>, name: string): number | undefined {
  return record[name] === undefined ? undefined : parseInteger(name, record[name]);
}

/**
 * PutKvWithHighCapacity: payload `{"Namespace","Key","Value"}`, value up to 25 MB. `Namespace`
 * and `Key` come from the query (they are required there); the payload's copies are ignored.
 * `Base64`, `Expiration` and `ExpirationTtl` in the payload are honoured as on PutKv (the SDK
 * marshals a whole PutKvRequest into it; whether the service honours them is undocumented).
 */
const putKvWithHighCapacity: ActionHandler = (context) => {
  const namespace = validateNamespaceName(context.params.query("Namespace"));
  const key = validateKey(context.params.query("Key"), context.limits);
  context.store.namespace(namespace);
  const payload = payloadObject(context);
  if (!payload || typeof payload.Value !== "string") {
    throw new EsaKvEmulatorError("InvalidParameter", "The content at Url must be a JSON object with a string Value.");
  }
  return putOne(context, {
    namespace,
    key,
    value: payload.Value,
    base64: payload.Base64 === true || payload.Base64 === "true",
    expiration: optionalInteger(payload, "Expiration"),
    expirationTtl: optionalInteger(payload, "ExpirationTtl"),
    maxBytes: context.limits.highCapacityValueMaxBytes,
  });
};

/**
 * BatchPutKvWithHighCapacity: payload `{"Namespace","KvList":[…]}`. "If the URL content does
 * not match this format, the API silently returns an empty SuccessKeys array."
 */
const batchPutKvWithHighCapacity: ActionHandler = (context) => {
  const namespace = validateNamespaceName(context.params.query("Namespace"));
  context.store.namespace(namespace);
  const payload = payloadObject(context);
  if (!payload || !Array.isArray(payload.KvList)) return { SuccessKeys: [], FailKeys: [] };
  return putBatch(context, namespace, payload.KvList, context.limits.highCapacityValueMaxBytes);
};

/**
 * BatchDeleteKvWithHighCapacity: payload `{"Namespace","Keys":[…]}` ("the same format as the
 * BatchDeleteKv body"). A malformed payload gets the batch-put rule: empty results.
 */
const batchDeleteKvWithHighCapacity: ActionHandler = (context) => {
  const namespace = validateNamespaceName(context.params.query("Namespace"));
  context.store.namespace(namespace);
  const payload = payloadObject(context);
  if (!payload || !Array.isArray(payload.Keys)) return { SuccessKeys: [], FailKeys: [] };
  return deleteBatch(context, namespace, payload.Keys);
};

/** The high-capacity handlers by action name. */
export const HIGH_CAPACITY_ACTIONS = {
  PutKvWithHighCapacity: putKvWithHighCapacity,
  BatchPutKvWithHighCapacity: batchPutKvWithHighCapacity,
  BatchDeleteKvWithHighCapacity: batchDeleteKvWithHighCapacity,
} satisfies Record<string, ActionHandler>;
