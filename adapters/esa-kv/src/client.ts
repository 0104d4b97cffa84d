/**
 * The ESA Edge KV wire calls (API 2024-09-10, RPC style), one method per provider operation
 * and named as the provider names it. Each has a pure request builder (`putKvRequest`, …)
 * split from the send, so tests assert on the built request and the signer sees exactly what
 * is sent. Wire types keep the provider's field names. Parameter placement (query vs form
 * body, arrays as JSON strings) follows the generated SDK (reference/esa-kv-api.md §1.1).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { Agent, Pool, type Dispatcher } from "undici";
import { ESA_KV_LIMITS, StorageError, transportSignal, type Clock, type ErrorContext } from "@stowage/core";
import type { EsaKvCredentials } from "./config.js";
import { esaResponseError, esaTransportError } from "./errors.js";
import { acs3Authorization, canonicalQueryString, hashPayload, percentEncode } from "./signer.js";

/** The ESA API version every KV action is sent with. */
export const ESA_API_VERSION = "2024-09-10";
/** The OpenPlatform API version of AuthorizeFileUpload. */
export const OPEN_PLATFORM_API_VERSION = "2019-12-19";

// ---------------------------------------------------------------------------------------------
// Wire types (provider field names)
// ---------------------------------------------------------------------------------------------

/** PutKv parameters. `Value` is already in its wire form (Base64 text when `Base64` is true). */
export interface PutKvRequest {
  /** Target namespace, as created with CreateKvNamespace (query). */
  Namespace: string;
  /** Key to write: at most 512 bytes, no spaces or `/` (query). */
  Key: string;
  /** Value in its wire form, at most 2,000,000 bytes; sent in the form body, not the query. */
  Value: string;
  /** True when `Value` is Base64 text to be decoded before storing (binary values). */
  Base64?: boolean;
  /** Absolute expiry, Unix seconds; "cannot be earlier than the current time". */
  Expiration?: number;
  /** Relative expiry in seconds; wins over `Expiration` when both are sent. */
  ExpirationTtl?: number;
}
/** PutKv / PutKvWithHighCapacity response. `Length` is a string in the SDK model. */
export interface PutKvResponseBody {
  /** Provider request id, for support tickets. */
  RequestId?: string;
  /** Length of the value; a decimal string in the SDK model, a number in older doc samples. */
  Length?: string | number;
  /** Echo of the value as sent; over 256 characters only its first and last 100 are returned. */
  Value?: string;
}
/** GetKv parameters. */
export interface GetKvRequest {
  /** Namespace to read from (query). */
  Namespace: string;
  /** Key to read (query). */
  Key: string;
  /** Ask for the value Base64-encoded, so binary values survive the JSON response. */
  Base64?: boolean;
}
/** GetKv response. */
export interface GetKvResponseBody {
  /** Provider request id, for support tickets. */
  RequestId?: string;
  /** Value as stored: Base64 text when the request asked for `Base64` (the plausible reading of an undocumented case), else the bytes as text. */
  Value?: string;
}
/** GetKvDetail / DeleteKv parameters. */
export interface KvKeyRequest {
  /** Namespace holding the key (query). */
  Namespace: string;
  /** Key to read or delete (query). */
  Key: string;
}
/** GetKvDetail response. `ExpirationTtl` is a string in the SDK model and a number in the doc sample. */
export interface GetKvDetailResponseBody {
  /** Provider request id, for support tickets. */
  RequestId?: string;
  /** Value as text; GetKvDetail has no `Base64` flag, so binary values do not survive it. */
  Value?: string;
  /** Seconds left before the key expires (the provider doc does not say; this is the reference's reading). Absent or not positive is read as no expiry. */
  ExpirationTtl?: string | number;
}
/** A response carrying only the request id (DeleteKv, DeleteKvNamespace). */
export interface RequestIdResponseBody {
  /** Provider request id, for support tickets. */
  RequestId?: string;
}
/** ListKvs parameters. "The product of PageNumber and PageSize cannot exceed 50000." */
export interface ListKvsRequest {
  /** Namespace to list (query). */
  Namespace: string;
  /** 1-based page to return; the provider's default is presumably 1. */
  PageNumber?: number;
  /** "Default value: 50. Maximum value: 100." */
  PageSize?: number;
  /** Only keys starting with this string; absent lists every key. */
  Prefix?: string;
}
/** ListKvs response: names and update times only. */
export interface ListKvsResponseBody {
  /** Provider request id, for support tickets. */
  RequestId?: string;
  /** Page returned; the provider doc calls it "the total number of pages", read here as an echo of the request. */
  PageNumber?: number;
  /** Page size the provider applied. */
  PageSize?: number;
  /** How many keys the listing has across all pages (with `Prefix`, those matching it); tells whether more pages follow. */
  TotalCount?: number;
  /** The keys on this page; no values or expiries. */
  Keys?: Array<{
    /** The whole key, prefix included. */
    Name?: string;
    /** Last write, ISO-8601 UTC without fractions, e.g. `2021-12-13T07:46:03Z`. */
    UpdateTime?: string;
  }>;
}
/** One BatchPutKv item. The batch API has no `Base64` flag: values are text. */
export interface BatchPutKvItem {
  /** Key to write, same rules as PutKv's `Key`. */
  Key: string;
  /** Value as text (stored as its UTF-8 bytes); the items together stay within 2,000,000 bytes. */
  Value: string;
  /** Absolute expiry, Unix seconds, as on PutKv. */
  Expiration?: number;
  /** Relative expiry in seconds; wins over `Expiration`, as on PutKv. */
  ExpirationTtl?: number;
}
/** BatchPutKv parameters; `KvList` travels as a JSON string in the form body. */
export interface BatchPutKvRequest {
  /** Target namespace (query). */
  Namespace: string;
  /** Items to write; serialised as one JSON array in the `KvList` form field. */
  KvList: BatchPutKvItem[];
}
/** BatchDeleteKv parameters; `Keys` travels as a JSON string in the form body. */
export interface BatchDeleteKvRequest {
  /** Namespace holding the keys (query). */
  Namespace: string;
  /** Keys to delete, at most 10,000; serialised as one JSON array in the `Keys` form field. */
  Keys: string[];
}
/** BatchPutKv / BatchDeleteKv response: partial success is possible. */
export interface BatchKvResponseBody {
  /** Provider request id, for support tickets. */
  RequestId?: string;
  /** Keys written (or deleted). */
  SuccessKeys?: string[];
  /** Keys the provider did not write (or delete); no reason is given per key. */
  FailKeys?: string[];
}
/** PutKvWithHighCapacity parameters: the value is fetched by the service from `Url`. */
export interface PutKvWithHighCapacityRequest {
  /** Target namespace (query). */
  Namespace: string;
  /** Key to write (query). */
  Key: string;
  /** Public http(s) URL of a `{"Namespace","Key","Value"}` JSON document the service downloads; values up to 25 MB. */
  Url: string;
}
/** CreateKvNamespace parameters. */
export interface CreateKvNamespaceRequest {
  /** Name of the new namespace (form body). */
  Namespace: string;
  /** Free-text description (form body); omitted when absent. */
  Description?: string;
}
/** CreateKvNamespace response. `Status` is one of `online`, `delete`, `deleting`, `deleted`. */
export interface CreateKvNamespaceResponseBody {
  /** Provider request id, for support tickets. */
  RequestId?: string;
  /** Name of the created namespace. */
  Namespace?: string;
  /** Provider-assigned id, a numeric string such as `657717877171818496`. */
  NamespaceId?: string;
  /** Description as stored. */
  Description?: string;
  /** `online` (usable), `delete` (pending deletion), `deleting` or `deleted`. */
  Status?: string;
}
/** GetKvNamespace / DeleteKvNamespace parameters. */
export interface KvNamespaceRequest {
  /** Namespace name (query). */
  Namespace: string;
}
/** GetKvNamespace response (and one `NamespaceList` item of GetKvAccount). */
export interface GetKvNamespaceResponseBody {
  /** Provider request id; absent on a `NamespaceList` item. */
  RequestId?: string;
  /** Namespace name. */
  Namespace?: string;
  /** Provider-assigned id, a numeric string. */
  NamespaceId?: string;
  /** Description given at creation. */
  Description?: string;
  /** `online` (usable), `delete` (pending deletion), `deleting` or `deleted`. */
  Status?: string;
  /** Capacity of the namespace in bytes (1 GiB, `1073741824`, by default). */
  Capacity?: number;
  /** `Capacity` for people, e.g. `1 GB`. */
  CapacityString?: string;
  /** Bytes used. */
  CapacityUsed?: number;
  /** `CapacityUsed` for people, e.g. `100 MB`. */
  CapacityUsedString?: string;
}
/** GetKvAccount response. */
export interface GetKvAccountResponseBody {
  /** Provider request id, for support tickets. */
  RequestId?: string;
  /** KV service status of the account: `online` or `offline`. */
  Status?: string;
  /** How many namespaces the account may have (10 by default). */
  NamespaceQuota?: number;
  /** How many namespaces the account has. */
  NamespaceUsed?: number;
  /** Capacity of the whole account in bytes. */
  Capacity?: number;
  /** `Capacity` for people, e.g. `10 GB`. */
  CapacityString?: string;
  /** Bytes used across all namespaces. */
  CapacityUsed?: number;
  /** `CapacityUsed` for people. */
  CapacityUsedString?: string;
  /** Every namespace of the account (the API has no separate namespace listing). */
  NamespaceList?: GetKvNamespaceResponseBody[];
}
/** AuthorizeFileUpload (OpenPlatform 2019-12-19) parameters. */
export interface AuthorizeFileUploadRequest {
  /** Product the upload is for: `ESA`. */
  Product: string;
  /** Region of the account, e.g. `cn-hangzhou`. */
  RegionId: string;
}
/** AuthorizeFileUpload response: a one-object OSS PostObject authorization. */
export interface AuthorizeFileUploadResponseBody {
  /** Provider request id, for support tickets. */
  RequestId?: string;
  /** Temporary OSS AccessKey id (e.g. `STS.NV5xxx`), sent as the `OSSAccessKeyId` form field. */
  AccessKeyId?: string;
  /** OSS bucket to upload to. */
  Bucket?: string;
  /** Base64 PostObject policy (it fixes the object key and size limit), sent as the `policy` form field. */
  EncodedPolicy?: string;
  /** OSS endpoint host, e.g. `oss-cn-beijing.aliyuncs.com`; the bucket host is `{Bucket}.{Endpoint}`. */
  Endpoint?: string;
  /** Object key the policy allows; the upload's `key` and the path of the later `Url`. */
  ObjectKey?: string;
  /** Signature of the policy, sent as the `Signature` form field. */
  Signature?: string;
  /** Whether OSS transfer acceleration is enabled for the bucket; not used by this client. */
  UseAccelerate?: boolean;
}
/** What the OSS PostObject upload needs: the AuthorizeFileUpload answer and the bytes. */
export interface OssPostObjectRequest {
  /** `https://{Bucket}.{Endpoint}`, or the configured OSS endpoint. */
  origin: string;
  /** The `Host` header: the bucket's virtual host, whatever origin the connection goes to. */
  host: string;
  /** AuthorizeFileUpload's `AccessKeyId`. */
  OSSAccessKeyId: string;
  /** AuthorizeFileUpload's `EncodedPolicy`. */
  policy: string;
  /** AuthorizeFileUpload's `Signature`. */
  Signature: string;
  /** AuthorizeFileUpload's `ObjectKey`; also the file part's filename. */
  key: string;
  /** Bytes to upload, sent as the last form field. */
  file: Uint8Array;
}

// ---------------------------------------------------------------------------------------------
// Request builders (pure)
// ---------------------------------------------------------------------------------------------

/** An RPC action before signing. */
export interface RpcRequest {
  /** Which endpoint serves it. */
  readonly service: "esa" | "openPlatform";
  /** Action name, e.g. `PutKv`; sent in the `x-acs-action` header. */
  readonly action: string;
  /** API version, sent in the `x-acs-version` header: {@link ESA_API_VERSION} or {@link OPEN_PLATFORM_API_VERSION}. */
  readonly version: string;
  /** HTTP method, as the SDK sends the action (DeleteKv is a GET). */
  readonly method: "GET" | "POST";
  /** Query parameters as strings, not yet encoded; unset parameters are left out. */
  readonly query: Readonly<Record<string, string>>;
  /** `application/x-www-form-urlencoded` body fields, when the action has any. */
  readonly form: Readonly<Record<string, string>> | undefined;
}

function esa(action: string, method: "GET" | "POST", query: Record<string, string | number | boolean | undefined>, form?: Record<string, string>): RpcRequest {
  const q: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) if (value !== undefined) q[name] = String(value);
  return { service: "esa", action, version: ESA_API_VERSION, method, query: q, form };
}

/** PutKv: POST; `Value` in the form body, everything else in the query. */
export function putKvRequest(p: PutKvRequest): RpcRequest {
  return esa(
    "PutKv",
    "POST",
    { Namespace: p.Namespace, Key: p.Key, Base64: p.Base64, Expiration: p.Expiration, ExpirationTtl: p.ExpirationTtl },
    { Value: p.Value },
  );
}
/** GetKv: GET, all in the query. */
export function getKvRequest(p: GetKvRequest): RpcRequest {
  return esa("GetKv", "GET", { Namespace: p.Namespace, Key: p.Key, Base64: p.Base64 });
}
/** GetKvDetail: POST with query parameters only. */
export function getKvDetailRequest(p: KvKeyRequest): RpcRequest {
  return esa("GetKvDetail", "POST", { Namespace: p.Namespace, Key: p.Key });
}
/** DeleteKv: a GET (sic, as the SDK sends it). */
export function deleteKvRequest(p: KvKeyRequest): RpcRequest {
  return esa("DeleteKv", "GET", { Namespace: p.Namespace, Key: p.Key });
}
/** ListKvs: GET, page-number paging. */
export function listKvsRequest(p: ListKvsRequest): RpcRequest {
  return esa("ListKvs", "GET", { Namespace: p.Namespace, PageNumber: p.PageNumber, PageSize: p.PageSize, Prefix: p.Prefix });
}
/** BatchPutKv: POST; `KvList` JSON-serialised into one form field (the SDK's "shrink" step). */
export function batchPutKvRequest(p: BatchPutKvRequest): RpcRequest {
  return esa("BatchPutKv", "POST", { Namespace: p.Namespace }, { KvList: JSON.stringify(p.KvList) });
}
/** BatchDeleteKv: POST; `Keys` JSON-serialised into one form field. */
export function batchDeleteKvRequest(p: BatchDeleteKvRequest): RpcRequest {
  return esa("BatchDeleteKv", "POST", { Namespace: p.Namespace }, { Keys: JSON.stringify(p.Keys) });
}
/** PutKvWithHighCapacity: POST, all in the query. */
export function putKvWithHighCapacityRequest(p: PutKvWithHighCapacityRequest): RpcRequest {
  return esa("PutKvWithHighCapacity", "POST", { Namespace: p.Namespace, Key: p.Key, Url: p.Url });
}
/** CreateKvNamespace: POST, both fields in the form body. */
export function createKvNamespaceRequest(p: CreateKvNamespaceRequest): RpcRequest {
  const form: Record<string, string> = { Namespace: p.Namespace };
  if (p.Description !== undefined) form["Description"] = p.Description;
  return esa("CreateKvNamespace", "POST", {}, form);
}
/** GetKvNamespace: GET. */
export function getKvNamespaceRequest(p: KvNamespaceRequest): RpcRequest {
  return esa("GetKvNamespace", "GET", { Namespace: p.Namespace });
}
/** DeleteKvNamespace: POST with the name in the query. */
export function deleteKvNamespaceRequest(p: KvNamespaceRequest): RpcRequest {
  return esa("DeleteKvNamespace", "POST", { Namespace: p.Namespace });
}
/** GetKvAccount: GET, no parameters. */
export function getKvAccountRequest(): RpcRequest {
  return esa("GetKvAccount", "GET", {});
}
/** AuthorizeFileUpload: OpenPlatform 2019-12-19, GET, `Product` and `RegionId` in the query. */
export function authorizeFileUploadRequest(p: AuthorizeFileUploadRequest): RpcRequest {
  return {
    service: "openPlatform",
    action: "AuthorizeFileUpload",
    version: OPEN_PLATFORM_API_VERSION,
    method: "GET",
    query: { Product: p.Product, RegionId: p.RegionId },
    form: undefined,
  };
}

/** A request ready for undici. */
export interface HttpRequest {
  /** `http(s)://host[:port]` the connection goes to. */
  readonly origin: string;
  /** Path and encoded query, e.g. `/?Key=k&Namespace=ns`. */
  readonly path: string;
  /** HTTP method. */
  readonly method: "GET" | "POST";
  /** Every header to send, names in lower case; an RPC request's signature is already in `authorization`. */
  readonly headers: Record<string, string>;
  /** Form-encoded text, a multipart body, or undefined for none. */
  readonly body: string | Uint8Array | undefined;
}

/** What signing needs besides the request: where, who, and the two per-request values. */
export interface SigningContext {
  /** `http(s)://host[:port]`. */
  origin: string;
  /** The `host` header: the origin's `host[:port]`. */
  host: string;
  /** AccessKey pair that signs the request. */
  credentials: EsaKvCredentials;
  /** `x-acs-date`, `yyyy-MM-ddTHH:mm:ssZ`. */
  date: string;
  /** `x-acs-signature-nonce`. */
  nonce: string;
}

/** The last second {@link acsDate} formatted: every request in that second reuses the text. */
let lastDate = { second: Number.NaN, text: "" };

/** The `x-acs-date` form of an instant (whole seconds, UTC). */
export function acsDate(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== lastDate.second) lastDate = { second, text: `${new Date(second * 1000).toISOString().slice(0, 19)}Z` };
  return lastDate.text;
}

/** The form body: `name=value` pairs, RFC 3986-encoded. */
export function formBody(form: Readonly<Record<string, string>>): string {
  return Object.entries(form)
    .map(([name, value]) => `${percentEncode(name)}=${percentEncode(value)}`)
    .join("&");
}

/** Signs an {@link RpcRequest} with ACS3-HMAC-SHA256 (Action and Version travel in headers only). */
export function signRpcRequest(rpc: RpcRequest, ctx: SigningContext): HttpRequest {
  const body = rpc.form === undefined ? undefined : formBody(rpc.form);
  const hashed = hashPayload(body ?? "");
  const headers: Record<string, string> = {
    host: ctx.host,
    "x-acs-action": rpc.action,
    "x-acs-version": rpc.version,
    "x-acs-date": ctx.date,
    "x-acs-signature-nonce": ctx.nonce,
    "x-acs-content-sha256": hashed,
    accept: "application/json",
  };
  if (body !== undefined) headers["content-type"] = "application/x-www-form-urlencoded";
  const query = canonicalQueryString(rpc.query);
  headers["authorization"] = acs3Authorization(
    { method: rpc.method, pathname: "/", query: rpc.query, canonicalQuery: query, headers, hashedPayload: hashed },
    ctx.credentials.accessKeyId,
    ctx.credentials.revealSecret(),
  );
  return { origin: ctx.origin, path: query === "" ? "/" : `/?${query}`, method: rpc.method, headers, body };
}

/** The OSS PostObject multipart form: string fields first, the file last ("The file must be the last field"). */
export function ossPostObjectHttpRequest(p: OssPostObjectRequest, boundary: string, date: string): HttpRequest {
  const fields: Array<[string, string]> = [
    ["OSSAccessKeyId", p.OSSAccessKeyId],
    ["policy", p.policy],
    ["Signature", p.Signature],
    ["key", p.key],
    ["success_action_status", "201"],
  ];
  let head = "";
  for (const [name, value] of fields) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  }
  head += `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${p.key.replace(/["\r\n]/g, "_")}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const body = Buffer.concat([Buffer.from(head), p.file, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return {
    origin: p.origin,
    path: "/",
    method: "POST",
    headers: { host: p.host, "content-type": `multipart/form-data; boundary=${boundary}`, date },
    body,
  };
}

// ---------------------------------------------------------------------------------------------
// The client
// ---------------------------------------------------------------------------------------------

/** How the client reaches the service. */
export interface EsaKvClientOptions {
  /** ESA OpenAPI origin, e.g. `https://esa.cn-hangzhou.aliyuncs.com`; every KV action goes here. */
  endpoint: string;
  /** OpenPlatform origin AuthorizeFileUpload goes to, e.g. `https://openplatform.aliyuncs.com`. */
  openPlatformEndpoint: string;
  /** AccessKey pair every RPC call is signed with. */
  credentials: EsaKvCredentials;
  /** Source of `x-acs-date` and of the OSS upload's `date` header. */
  clock: Clock;
  /** Keep-alive connections per origin. */
  connections: number;
  /** Headers and body idle timeout, ms. */
  idleTimeoutMs: number;
  /**
   * Largest answer read into memory; a longer one fails `Internal` and its connection is
   * dropped. Default: room for the largest value ESA stores (`putLargeMaxValueBytes`), base64
   * encoded as GetKv answers it (see {@link maxResponseBytesFor}).
   */
  maxResponseBytes?: number;
}

/** Room in an answer for everything but the value: the JSON envelope, request id, an error document. */
const RESPONSE_ENVELOPE_BYTES = 64 * 1024;

/** The largest answer that can carry a value of `maxValueBytes` bytes (GetKv sends it base64 encoded). */
export function maxResponseBytesFor(maxValueBytes: number): number {
  return Math.ceil(maxValueBytes / 3) * 4 + RESPONSE_ENVELOPE_BYTES;
}

/** Call options of every client method. */
export interface EsaCallOptions {
  /** Aborts the call, also one still waiting for a connection; it then fails `Aborted`. */
  signal?: AbortSignal;
  /** The contract operation and key, for errors. */
  context?: ErrorContext;
}

/** One answer as {@link EsaKvClient.send} reads it, before any JSON parsing or error mapping. */
export interface RawResponse {
  /** The HTTP status. */
  status: number;
  /** Response headers, names in lower case. */
  headers: Record<string, string | string[] | undefined>;
  /** The whole body as UTF-8 text (size-capped). */
  text: string;
}

function header(headers: RawResponse["headers"], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

const XML_ERROR_SCAN_CHARS = 64 * 1024;

function xmlTag(xml: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([^<]{0,1024})</${tag}>`).exec(xml.slice(0, XML_ERROR_SCAN_CHARS))?.[1];
}

/** The answer as text, the bytes decoded as UTF-8 with a leading byte order mark dropped (as undici's `body.text()` does). */
function decodeText(chunks: Buffer[]): string {
  const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return bytes.toString("utf8", bom ? 3 : 0);
}

/**
 * Sends one request and collects the whole answer, through undici's handler API: `request()`
 * would wrap the body in a Readable stream only for us to read it whole, and that stream costs
 * more CPU per call than signing the request. `signal` aborts the request, also one still
 * waiting for a connection (it is aborted the moment it starts), and is let go of when the
 * answer is complete. Informational (1xx) answers are skipped, as `request()` skips them.
 */
function exchange(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions, signal: AbortSignal | undefined, maxBytes: number): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    let controller: Dispatcher.DispatchController | undefined;
    let status = 0;
    let headers: RawResponse["headers"] = {};
    const chunks: Buffer[] = [];
    let received = 0;
    const onAbort = () => controller?.abort(signal!.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    dispatcher.dispatch(options, {
      onRequestStart(started) {
        controller = started;
        if (signal?.aborted) started.abort(signal.reason);
      },
      onResponseStart(_controller, statusCode, responseHeaders) {
        if (statusCode < 200) return;
        status = statusCode;
        headers = responseHeaders;
      },
      onResponseData(responding, chunk) {
        received += chunk.byteLength;
        // Aborting hands the error to onResponseError and drops the connection mid-body.
        if (received > maxBytes) responding.abort(new StorageError({ code: "Internal", message: `esa-kv: the answer exceeds ${maxBytes} bytes` }));
        else chunks.push(chunk);
      },
      onResponseEnd() {
        signal?.removeEventListener("abort", onAbort);
        resolve({ status, headers, text: decodeText(chunks) });
      },
      onResponseError(_controller, err) {
        signal?.removeEventListener("abort", onAbort);
        reject(err);
      },
    });
  });
}

/**
 * Signs and sends RPC requests over keep-alive undici pools: one {@link Pool} for each of the
 * two fixed origins (ESA, OpenPlatform), and an {@link Agent} for the OSS upload origins an
 * AuthorizeFileUpload answer names. Every method honours `signal`. Failures raise
 * `StorageError` through `errors.ts`.
 */
export class EsaKvClient {
  readonly #options: EsaKvClientOptions;
  readonly #targets: Readonly<Record<RpcRequest["service"], { origin: string; host: string }>>;
  /** The fixed origins' pools, by origin: a Pool skips the Agent's per-request origin lookup. */
  readonly #pools = new Map<string, Pool>();
  readonly #agent: Agent;
  readonly #maxResponseBytes: number;

  constructor(options: EsaKvClientOptions) {
    this.#options = options;
    this.#maxResponseBytes = options.maxResponseBytes ?? maxResponseBytesFor(ESA_KV_LIMITS.putLargeMaxValueBytes);
    this.#targets = {
      esa: { origin: options.endpoint, host: new URL(options.endpoint).host },
      openPlatform: { origin: options.openPlatformEndpoint, host: new URL(options.openPlatformEndpoint).host },
    };
    const poolOptions = {
      connections: options.connections,
      keepAliveTimeout: 30_000,
      headersTimeout: options.idleTimeoutMs,
      bodyTimeout: options.idleTimeoutMs,
    };
    for (const { origin } of Object.values(this.#targets)) {
      if (!this.#pools.has(origin)) this.#pools.set(origin, new Pool(origin, poolOptions));
    }
    this.#agent = new Agent(poolOptions);
  }

  /** PutKv: creates or overwrites one key (value ≤ 2,000,000 bytes). */
  putKv(p: PutKvRequest, o?: EsaCallOptions): Promise<PutKvResponseBody> {
    return this.call(putKvRequest(p), o, p.Key);
  }
  /** GetKv: a missing key raises `NotFound` (`InvalidKey.NotFound`). */
  getKv(p: GetKvRequest, o?: EsaCallOptions): Promise<GetKvResponseBody> {
    return this.call(getKvRequest(p), o, p.Key);
  }
  /** GetKvDetail: the value and its remaining TTL. */
  getKvDetail(p: KvKeyRequest, o?: EsaCallOptions): Promise<GetKvDetailResponseBody> {
    return this.call(getKvDetailRequest(p), o, p.Key);
  }
  /** DeleteKv. */
  deleteKv(p: KvKeyRequest, o?: EsaCallOptions): Promise<RequestIdResponseBody> {
    return this.call(deleteKvRequest(p), o, p.Key);
  }
  /** ListKvs: one page of names. */
  listKvs(p: ListKvsRequest, o?: EsaCallOptions): Promise<ListKvsResponseBody> {
    return this.call(listKvsRequest(p), o);
  }
  /** BatchPutKv: ≤ 2,000,000 bytes in all; per-key SuccessKeys / FailKeys. */
  batchPutKv(p: BatchPutKvRequest, o?: EsaCallOptions): Promise<BatchKvResponseBody> {
    return this.call(batchPutKvRequest(p), o);
  }
  /** BatchDeleteKv: ≤ 10,000 keys; per-key SuccessKeys / FailKeys. */
  batchDeleteKv(p: BatchDeleteKvRequest, o?: EsaCallOptions): Promise<BatchKvResponseBody> {
    return this.call(batchDeleteKvRequest(p), o);
  }
  /** PutKvWithHighCapacity: the service downloads `{Namespace, Key, Value}` JSON from `Url`. */
  putKvWithHighCapacity(p: PutKvWithHighCapacityRequest, o?: EsaCallOptions): Promise<PutKvResponseBody> {
    return this.call(putKvWithHighCapacityRequest(p), o, p.Key);
  }
  /** CreateKvNamespace. */
  createKvNamespace(p: CreateKvNamespaceRequest, o?: EsaCallOptions): Promise<CreateKvNamespaceResponseBody> {
    return this.call(createKvNamespaceRequest(p), o);
  }
  /** GetKvNamespace. */
  getKvNamespace(p: KvNamespaceRequest, o?: EsaCallOptions): Promise<GetKvNamespaceResponseBody> {
    return this.call(getKvNamespaceRequest(p), o);
  }
  /** DeleteKvNamespace. */
  deleteKvNamespace(p: KvNamespaceRequest, o?: EsaCallOptions): Promise<RequestIdResponseBody> {
    return this.call(deleteKvNamespaceRequest(p), o);
  }
  /** GetKvAccount: usage and the namespace list. */
  getKvAccount(o?: EsaCallOptions): Promise<GetKvAccountResponseBody> {
    return this.call(getKvAccountRequest(), o);
  }
  /** AuthorizeFileUpload (OpenPlatform): a one-shot OSS upload authorization. */
  authorizeFileUpload(p: AuthorizeFileUploadRequest, o?: EsaCallOptions): Promise<AuthorizeFileUploadResponseBody> {
    return this.call(authorizeFileUploadRequest(p), o);
  }

  /** OSS PostObject: uploads `file`; success is HTTP 201 (we ask for it with `success_action_status`). */
  async ossPostObject(p: OssPostObjectRequest, o?: EsaCallOptions): Promise<void> {
    const boundary = `----stowage${randomBytes(12).toString("hex")}`;
    const request = ossPostObjectHttpRequest(p, boundary, new Date(this.#options.clock.now()).toUTCString());
    const context = o?.context ?? { operation: "ossPostObject", key: p.key };
    const response = await this.send(request, o?.signal, context);
    if (response.status >= 200 && response.status < 300) return;
    const code = xmlTag(response.text, "Code");
    const message = xmlTag(response.text, "Message");
    const requestId = xmlTag(response.text, "RequestId") ?? header(response.headers, "x-oss-request-id");
    throw esaResponseError(
      {
        status: response.status,
        ...(code === undefined ? {} : { providerCode: code }),
        ...(message === undefined ? {} : { message }),
        ...(requestId === undefined ? {} : { requestId }),
      },
      context,
    );
  }

  /** Signs `rpc` with a fresh date and nonce, sends it, and parses the JSON answer. */
  async call<T>(rpc: RpcRequest, o: EsaCallOptions | undefined, key?: string): Promise<T> {
    const context = o?.context ?? { operation: rpc.action, ...(key === undefined ? {} : { key }) };
    const target = this.#targets[rpc.service];
    const request = signRpcRequest(rpc, {
      origin: target.origin,
      host: target.host,
      credentials: this.#options.credentials,
      date: acsDate(this.#options.clock.now()),
      nonce: randomUUID(),
    });
    const response = await this.send(request, o?.signal, context);
    let body: Record<string, unknown> | undefined;
    try {
      body = response.text === "" ? {} : (JSON.parse(response.text) as Record<string, unknown>);
    } catch {
      body = undefined;
    }
    if (response.status >= 200 && response.status < 300 && body !== undefined) return body as T;
    const str = (v: unknown) => (typeof v === "string" ? v : undefined);
    const providerCode = str(body?.["Code"] ?? body?.["code"]);
    const message = str(body?.["Message"] ?? body?.["message"]);
    const requestId = str(body?.["RequestId"] ?? body?.["requestId"]) ?? header(response.headers, "x-acs-request-id");
    throw esaResponseError(
      {
        // A 2xx whose body is not JSON is a broken answer, not a success.
        status: response.status >= 200 && response.status < 300 ? 502 : response.status,
        ...(providerCode === undefined ? {} : { providerCode }),
        ...(message === undefined ? {} : { message }),
        ...(requestId === undefined ? {} : { requestId }),
        retryAfterMs: header(response.headers, "x-acs-retry-after"),
        retryAfter: header(response.headers, "retry-after"),
      },
      context,
    );
  }

  /** Sends one request and reads the whole answer as text. */
  async send(request: HttpRequest, signal: AbortSignal | undefined, context: ErrorContext): Promise<RawResponse> {
    try {
      const options = { path: request.path, method: request.method, headers: request.headers, body: request.body ?? null };
      const pool = this.#pools.get(request.origin);
      const listened = transportSignal(signal);
      const maxBytes = this.#maxResponseBytes;
      return await (pool === undefined ? exchange(this.#agent, { origin: request.origin, ...options }, listened, maxBytes) : exchange(pool, options, listened, maxBytes));
    } catch (err) {
      throw esaTransportError(err, context, signal);
    }
  }

  /** Closes every pooled connection. */
  async close(): Promise<void> {
    await Promise.all([this.#agent.close(), ...[...this.#pools.values()].map((pool) => pool.close())]);
  }
}
