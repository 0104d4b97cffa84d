import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { Clock } from "@stowage/core";
import { EsaKvEmulatorError } from "./errors.js";

/**
 * The staging side of the high-capacity flow (reference §2): upload grants handed out by
 * AuthorizeFileUpload, the objects posted to the OSS-style endpoint, and the lookup the
 * *WithHighCapacity actions use to "download" their `Url`. Objects stay in memory (they are
 * transient by design), capped in total size with the oldest evicted first; they are never
 * fetched over the network: a `Url` must name an object this emulator issued.
 */

/** What AuthorizeFileUpload returns (OpenPlatform 2019-12-19 `AuthorizeFileUploadResponseBody`). */
export interface UploadGrant {
  /** The temporary OSS access key id, sent back as the form field `OSSAccessKeyId`. */
  AccessKeyId: string;
  /** The staging bucket. */
  Bucket: string;
  /** The Base64 PostObject policy (object key, size range, expiry), sent back as `policy`. */
  EncodedPolicy: string;
  /** `HOST:PORT` of the OSS endpoint (the emulator itself). */
  Endpoint: string;
  /** The object key to upload to, sent back as `key`. */
  ObjectKey: string;
  /** The policy's signature, sent back as `Signature`. */
  Signature: string;
  /** Always false: there is no accelerate endpoint. */
  UseAccelerate: boolean;
}

/** The bucket name the emulator issues; the SDK builds `http://{Bucket}.{Endpoint}/{ObjectKey}`. */
export const UPLOAD_BUCKET = "stowage-esa-kv-upload";
/** The temporary OSS access key id every grant carries. */
export const UPLOAD_ACCESS_KEY_ID = "STS.stowage-emulator";
/** How long a grant's policy stays valid. */
const GRANT_LIFETIME_MS = 60 * 60 * 1000;
/** Total staged bytes kept before the oldest objects are evicted. */
const MAX_STAGED_BYTES = 256 * 1024 * 1024;

/** An OSS-style error (the OSS POST endpoint answers XML `<Error>`). */
export class OssError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "OssError";
  }
}

interface PolicyDocument {
  expiration: string;
  conditions: unknown[];
}

/** Grants, staged objects and Url resolution. */
export class UploadStore {
  /** `host:port` the OSS endpoint listens on; set once the server is bound. */
  endpointHost = "";
  // A per-process secret signs the policies; it never leaves the emulator.
  private readonly policySecret = randomBytes(32).toString("hex");
  private readonly objects = new Map<string, Uint8Array>();
  private stagedBytes = 0;

  constructor(
    private readonly clock: Clock,
    private readonly maxObjectBytes: number,
  ) {}

  /** Issues a grant for one object of at most `maxObjectBytes`. */
  authorize(): UploadGrant {
    const objectKey = `esa-kv/${randomUUID().replaceAll("-", "")}`;
    const policy: PolicyDocument = {
      expiration: new Date(this.clock.now() + GRANT_LIFETIME_MS).toISOString(),
      conditions: [
        { bucket: UPLOAD_BUCKET },
        ["eq", "$key", objectKey],
        ["content-length-range", 0, this.maxObjectBytes],
      ],
    };
    const encodedPolicy = Buffer.from(JSON.stringify(policy)).toString("base64");
    return {
      AccessKeyId: UPLOAD_ACCESS_KEY_ID,
      Bucket: UPLOAD_BUCKET,
      EncodedPolicy: encodedPolicy,
      Endpoint: this.endpointHost,
      ObjectKey: objectKey,
      Signature: this.sign(encodedPolicy),
      UseAccelerate: false,
    };
  }

  /**
   * Accepts a PostObject form: checks the grant's key id, signature, expiry, key and size as
   * OSS would (`AccessDenied`, `SignatureDoesNotMatch`, `EntityTooLarge`, `InvalidArgument`).
   */
  accept(fields: ReadonlyMap<string, string>, file: Uint8Array | undefined): string {
    const policy = fields.get("policy");
    const signature = fields.get("Signature");
    const key = fields.get("key");
    if (fields.get("OSSAccessKeyId") !== UPLOAD_ACCESS_KEY_ID) {
      throw new OssError(403, "InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist in our records.");
    }
    if (!policy || !signature || !sameSignature(signature, this.sign(policy))) {
      throw new OssError(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
    }
    const document = JSON.parse(Buffer.from(policy, "base64").toString("utf8")) as PolicyDocument;
    if (Date.parse(document.expiration) < this.clock.now()) {
      throw new OssError(403, "AccessDenied", "Invalid according to Policy: Policy expired.");
    }
    const keyRule = document.conditions.find((c): c is [string, string, string] => Array.isArray(c) && c[1] === "$key");
    if (!key || key !== keyRule?.[2]) throw new OssError(403, "AccessDenied", "Invalid according to Policy: Policy Condition failed: [\"eq\", \"$key\"]");
    if (!file) throw new OssError(400, "InvalidArgument", "The body of your POST request is not well-formed multipart/form-data: no file field.");
    if (file.byteLength > this.maxObjectBytes) {
      throw new OssError(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size.");
    }
    this.stage(key, file);
    return key;
  }

  /**
   * The bytes behind a `Url` this emulator issued (`http://{Bucket}.{Endpoint}/{ObjectKey}`,
   * or the same path on any host). Raises `InvalidParameter` for anything else: the emulator
   * makes no outbound requests.
   */
  resolve(url: string | undefined): Uint8Array {
    if (!url) throw new EsaKvEmulatorError("InvalidParameter", "Url is required.");
    // Not `new URL()`: the SDK's `{Bucket}.127.0.0.1:PORT` host ends in a numeric label, which
    // WHATWG URL parsing rejects as a malformed IPv4 address.
    const match = /^https?:\/\/[^/?#]+\/([^?#]*)/i.exec(url);
    let objectKey: string;
    try {
      if (!match) throw new URIError(url);
      objectKey = decodeURIComponent(match[1] as string);
    } catch {
      throw new EsaKvEmulatorError("InvalidParameter", "Url is not a valid HTTP URL.");
    }
    const object = this.objects.get(objectKey);
    if (!object) throw new EsaKvEmulatorError("InvalidParameter", "Url does not name an object uploaded to this emulator.");
    return object;
  }

  private stage(key: string, bytes: Uint8Array): void {
    const previous = this.objects.get(key);
    if (previous) this.stagedBytes -= previous.byteLength;
    this.objects.delete(key);
    this.objects.set(key, bytes);
    this.stagedBytes += bytes.byteLength;
    for (const [oldKey, oldBytes] of this.objects) {
      if (this.stagedBytes <= MAX_STAGED_BYTES || oldKey === key) break;
      this.objects.delete(oldKey);
      this.stagedBytes -= oldBytes.byteLength;
    }
  }

  // OSS PostObject V1: Signature = base64(hmac-sha1(secret, base64 policy)).
  private sign(encodedPolicy: string): string {
    return createHmac("sha1", this.policySecret).update(encodedPolicy).digest("base64");
  }
}

// Constant-time, as the gateway signatures are compared: the policy secret must not leak
// through how long a wrong guess takes to be refused.
function sameSignature(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
