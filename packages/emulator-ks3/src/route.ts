/** Which operation a request is, from its method, its target and its sub-resources. */
import type { Address } from "./addressing.js";
import { abortMultipartUpload, completeMultipartUpload, initiateMultipartUpload, uploadPart, uploadPartCopy } from "./multipart-operations.js";
import { createBucket, deleteBucket, headBucket, listBuckets } from "./bucket-operations.js";
import type { EmulatorContext, Ks3Request, Ks3Response } from "./context.js";
import { Ks3Error } from "./errors.js";
import { listObjects } from "./list-objects.js";
import { listMultipartUploads, listParts } from "./multipart-listings.js";
import { copyObject, deleteObject, getObject, putObject } from "./object-operations.js";
import type { RequestHeaders } from "./request-headers.js";

/** The operations the emulator answers (the names fault injection is configured by). */
export type Ks3Operation =
  | "ListBuckets"
  | "CreateBucket"
  | "HeadBucket"
  | "DeleteBucket"
  | "ListObjects"
  | "PutObject"
  | "GetObject"
  | "HeadObject"
  | "DeleteObject"
  | "CopyObject"
  | "InitiateMultipartUpload"
  | "UploadPart"
  | "UploadPartCopy"
  | "CompleteMultipartUpload"
  | "AbortMultipartUpload"
  | "ListParts"
  | "ListMultipartUploads";

/** A routed request: the operation's name and its handler. */
export interface Route {
  operation: Ks3Operation;
  run(ctx: EmulatorContext, req: Ks3Request): Promise<Ks3Response>;
}

/**
 * Sub-resources of operations the emulator does not implement (ACLs, policies, lifecycle,
 * batch delete, …): answered 501 NotImplemented rather than mistaken for a plain object call.
 */
const UNSUPPORTED_SUB_RESOURCES = [
  "acl", "policy", "cors", "lifecycle", "website", "logging", "tagging", "versioning", "versions",
  "notification", "replication", "encryption", "restore", "append", "delete", "location",
  "torrent", "requestPayment", "inventory", "mirror", "fetch", "retention", "select", "attributes",
];

function route(operation: Ks3Operation, run: Route["run"]): Route {
  return { operation, run };
}

/** Routes a request, or raises `MethodNotAllowed` / `NotImplemented`. */
export function routeRequest(method: string, address: Address, query: URLSearchParams, headers: RequestHeaders): Route {
  const unsupported = UNSUPPORTED_SUB_RESOURCES.find((name) => query.has(name));
  if (unsupported !== undefined) throw new Ks3Error("NotImplemented", `The ${unsupported} sub-resource is not implemented by this emulator.`);

  if (address.bucket === undefined) {
    if (method === "GET") return route("ListBuckets", listBuckets);
    throw new Ks3Error("MethodNotAllowed");
  }

  if (address.key === undefined) {
    switch (method) {
      case "PUT":
        return route("CreateBucket", createBucket);
      case "HEAD":
        return route("HeadBucket", headBucket);
      case "DELETE":
        return route("DeleteBucket", deleteBucket);
      case "GET":
        return query.has("uploads") ? route("ListMultipartUploads", listMultipartUploads) : route("ListObjects", listObjects);
      default:
        throw new Ks3Error("MethodNotAllowed");
    }
  }

  const copySource = headers.prefixed("copy-source");
  switch (method) {
    case "PUT":
      if (query.has("uploadId") || query.has("partNumber")) {
        return copySource !== undefined ? route("UploadPartCopy", (ctx, req) => uploadPartCopy(ctx, req, copySource)) : route("UploadPart", uploadPart);
      }
      return copySource !== undefined ? route("CopyObject", (ctx, req) => copyObject(ctx, req, copySource)) : route("PutObject", putObject);
    case "GET":
      return query.has("uploadId") ? route("ListParts", listParts) : route("GetObject", (ctx, req) => getObject(ctx, req, false));
    case "HEAD":
      return route("HeadObject", (ctx, req) => getObject(ctx, req, true));
    case "POST":
      if (query.has("uploads")) return route("InitiateMultipartUpload", initiateMultipartUpload);
      if (query.has("uploadId")) return route("CompleteMultipartUpload", completeMultipartUpload);
      throw new Ks3Error("MethodNotAllowed");
    case "DELETE":
      return query.has("uploadId") ? route("AbortMultipartUpload", abortMultipartUpload) : route("DeleteObject", deleteObject);
    default:
      throw new Ks3Error("MethodNotAllowed");
  }
}
