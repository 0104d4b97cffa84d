/**
 * Presigned requests: a request built by the ordinary request builders, authenticated in its
 * query string instead of an `Authorization` header, so that someone without credentials can
 * send it. SigV4 query authentication or V2 (`KSSAccessKeyId` / `Expires` / `Signature`),
 * whichever the store signs its own requests with.
 */
import { StorageError, normalizeBody, type PresignMethod, type PresignOptions } from "@stowage/core";
import { kssV2PresignQuery } from "./kss-v2-signer.js";
import { formatAmzDate, type SigningConfig } from "./request-signer.js";
import * as rq from "./requests.js";
import { formatQuery, isAddressLiteral, resolveTarget, type Addressing, type S3Request } from "./s3-request.js";
import { sigV4Presign } from "./sigv4-signer.js";

/** A presigned request: where to send it and what the sender must add. */
export interface PresignedUrl {
  /** The absolute URL, authentication in its query. */
  readonly url: string;
  /** Lower-case headers the sender must send (never `host`, which the URL gives). */
  readonly headers: Record<string, string>;
}

/**
 * The request a presigned `method` on `key` stands for, from the same builders the driver
 * sends with. A PUT carries the content type (the contract's default when none is given,
 * as `putObject` stores it) and the metadata headers; its length is the sender's, so no
 * `content-length` is fixed.
 */
export function presignObjectRequest(prefix: rq.HeaderPrefix, bucket: string, key: string, method: PresignMethod, o: Omit<PresignOptions, "signal" | "expiresInSeconds">): S3Request {
  switch (method) {
    case "GET":
      return rq.getObjectRequest(prefix, bucket, key, o.range ? { range: o.range } : {});
    case "HEAD":
      return rq.headObjectRequest(prefix, bucket, key, {});
    case "DELETE":
      return rq.deleteObjectRequest(bucket, key);
    case "PUT": {
      const { body: _body, ...put } = rq.putObjectRequest(prefix, bucket, key, normalizeBody(new Uint8Array(0)), {
        ...(o.contentType !== undefined ? { contentType: o.contentType } : {}),
        ...(o.metadata !== undefined ? { metadata: o.metadata } : {}),
      });
      const { "content-length": _length, ...headers } = put.headers;
      return { ...put, headers };
    }
  }
}

/**
 * Presigns `req` for `expiresInSeconds` from the signing clock's now. Virtual-host addressing
 * on an address literal (an emulator on 127.0.0.1) falls back to path style: such a request
 * carries the bucket only in the `Host` header, which a URL cannot convey. Raises
 * `Unsupported` for a store without credentials: there is nothing to sign with.
 */
export function presignRequest(signing: SigningConfig, endpoint: URL, addressing: Addressing, req: S3Request, expiresInSeconds: number): PresignedUrl {
  const credentials = signing.credentials;
  if (!credentials) {
    throw new StorageError({ code: "Unsupported", message: "presign: this store has no credentials to sign with", operation: "presign", key: req.key });
  }
  const style = addressing === "virtual-host" && isAddressLiteral(endpoint.hostname) ? "path" : addressing;
  const target = resolveTarget(endpoint, style, req);
  const headers: Record<string, string> = { ...req.headers };
  const now = signing.clock.now();
  let query: URLSearchParams;
  if (signing.signature === "v2") {
    query = kssV2PresignQuery(
      { method: req.method, resource: target.resource, query: req.query, headers, headerPrefix: signing.headerPrefix, expires: Math.floor(now / 1000) + expiresInSeconds },
      credentials.accessKeyId,
      credentials.secretAccessKey,
    );
  } else {
    query = sigV4Presign({
      method: req.method,
      path: target.path,
      query: req.query,
      headers: { ...headers, host: target.host },
      region: signing.region,
      service: "s3",
      amzDate: formatAmzDate(now),
      expiresInSeconds,
      accessKeyId: credentials.accessKeyId,
      secret: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
    }).query;
  }
  return { url: `${target.origin}${target.path}?${formatQuery(query)}`, headers };
}
