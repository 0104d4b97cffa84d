import { Readable } from "node:stream";
import { Agent, type Dispatcher } from "undici";
import { StorageError, abortedError, isStorageError, parseContentRange, transportSignal, type DriverCallContext } from "@stowage/core";
import type { S3Dialect } from "./dialect.js";
import { parseRetryAfter, toStorageError } from "./error-table.js";
import { signRequest, type SigningConfig } from "./request-signer.js";
import { presignRequest, type PresignedUrl } from "./presign-request.js";
import { responseBodyStream } from "./response-body-stream.js";
import { parseErrorDocument, type ResponseHeaders } from "./responses.js";
import { resolveTarget, type Addressing, type S3Request } from "./s3-request.js";

/** Options of {@link S3HttpClient}. */
export interface S3HttpClientOptions {
  /** `http(s)://host[:port]` of the service (no bucket in it). */
  readonly endpoint: URL;
  /** `virtual-host` (`bucket.endpoint`) or `path` (`endpoint/bucket`). */
  readonly addressing: Addressing;
  /** The provider's header prefix and error table; errors are mapped through it. */
  readonly dialect: S3Dialect;
  /** Signature scheme, credentials and clock every request is signed with. */
  readonly signing: SigningConfig;
  /** A shared undici dispatcher; by default the client owns a keep-alive `Agent`. */
  readonly dispatcher?: Dispatcher;
  /** Largest XML answer read into memory (error documents are capped far lower). */
  readonly maxDocumentBytes: number;
}

/** An answer whose body was read as text. */
export interface TextResponse {
  /** HTTP status, always 2xx (other answers raise). */
  readonly status: number;
  /** Response headers, names in lower case, the first value of a repeated one. */
  readonly headers: ResponseHeaders;
  /** The whole body as text, at most `maxDocumentBytes`. */
  readonly text: string;
}

/** An answer whose body is streamed to the caller. */
export interface StreamResponse {
  /** HTTP status, always 2xx (other answers raise). */
  readonly status: number;
  /** Response headers, names in lower case, the first value of a repeated one. */
  readonly headers: ResponseHeaders;
  /** The body, not yet read; a transport failure mid-body errors the stream with a `StorageError`. */
  readonly body: ReadableStream<Uint8Array>;
}

/** Error documents are small; a larger body is not read further (the status still maps). */
const ERROR_BODY_MAX_BYTES = 64 * 1024;

/** undici error codes that mean the call took too long. */
const TIMEOUT_CODES = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);

function flattenHeaders(raw: Record<string, string | string[] | undefined>): ResponseHeaders {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(raw)) out[name.toLowerCase()] = Array.isArray(value) ? value[0] : value;
  return out;
}

/**
 * Sends S3 requests over undici with pooled keep-alive connections, bodies streamed both
 * ways, and every failure turned into a {@link StorageError} through the dialect's table.
 */
export class S3HttpClient {
  readonly #options: S3HttpClientOptions;
  readonly #dispatcher: Dispatcher;
  readonly #ownsDispatcher: boolean;

  constructor(options: S3HttpClientOptions) {
    this.#options = options;
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#dispatcher = options.dispatcher ?? new Agent({ keepAliveTimeout: 30_000, connections: 64 });
  }

  /** Sends `req` and reads the whole (size-capped) answer as text. Non-2xx raise. */
  async sendForText(req: S3Request, ctx: DriverCallContext): Promise<TextResponse> {
    const res = await this.#dispatch(req, ctx);
    const text = await this.#readText(res.body, this.#options.maxDocumentBytes, req, ctx);
    return { status: res.statusCode, headers: flattenHeaders(res.headers), text };
  }

  /**
   * Like {@link sendForText}, and additionally treats a 2xx answer whose body is an `<Error>`
   * document as the error it reports: S3 documents that CompleteMultipartUpload and the copy
   * operations may fail after sending 200.
   */
  async sendForDocument(req: S3Request, ctx: DriverCallContext): Promise<TextResponse> {
    const res = await this.sendForText(req, ctx);
    const error = parseErrorDocument(res.text);
    if (error?.code !== undefined) {
      // The 200 is not the outcome; an unknown code in such a body is a server-side failure,
      // so it is looked up as a 500 (AWS: "retry the request" for an error inside a 200).
      throw toStorageError(
        this.#options.dialect.errors,
        { status: 500, providerCode: error.code, message: error.message, requestId: error.requestId ?? this.#requestId(res.headers) },
        { operation: req.operation, key: req.key },
      );
    }
    return res;
  }

  /** Sends `req` and hands back the body as a stream (GET Object). Non-2xx raise. */
  async sendForStream(req: S3Request, ctx: DriverCallContext): Promise<StreamResponse> {
    const res = await this.#dispatch(req, ctx);
    return { status: res.statusCode, headers: flattenHeaders(res.headers), body: responseBodyStream(res.body, (err) => this.#transportError(err, req, ctx)) };
  }

  /** Sends `req` and discards the body (HEAD, DELETE, PUT without a document). Non-2xx raise. */
  async sendForHeaders(req: S3Request, ctx: DriverCallContext): Promise<{
    /** HTTP status, always 2xx (other answers raise). */
    status: number;
    /** Response headers, names in lower case, the first value of a repeated one. */
    headers: ResponseHeaders;
  }> {
    const res = await this.#dispatch(req, ctx);
    await res.body.dump().catch(() => undefined);
    return { status: res.statusCode, headers: flattenHeaders(res.headers) };
  }

  /** `req` presigned for `expiresInSeconds` with this client's endpoint, addressing and signing (see {@link presignRequest}); sends nothing. */
  presign(req: S3Request, expiresInSeconds: number): PresignedUrl {
    const { endpoint, addressing, signing } = this.#options;
    return presignRequest(signing, endpoint, addressing, req, expiresInSeconds);
  }

  /** Closes pooled connections (only when the client created its own dispatcher). */
  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#dispatcher.close();
  }

  async #dispatch(req: S3Request, ctx: DriverCallContext): Promise<Dispatcher.ResponseData> {
    const { endpoint, addressing, signing } = this.#options;
    const target = resolveTarget(endpoint, addressing, req);
    const body = req.body;
    const { headers, frameBody } = signRequest(signing, {
      method: req.method,
      target,
      query: req.query,
      headers: req.headers,
      bodyBytes: body?.bytes,
      hasBody: body !== undefined,
      bodyLength: body?.length,
    });
    let res: Dispatcher.ResponseData;
    try {
      res = await this.#dispatcher.request({
        origin: target.origin,
        path: target.search === "" ? target.path : `${target.path}?${target.search}`,
        method: req.method,
        headers,
        body: body === undefined ? null : (body.bytes ?? Readable.from(frameBody ? frameBody(body.chunks) : body.chunks, { objectMode: false })),
        // Without a caller signal undici gets none, not the facade's shared never-firing one
        // (it would add and remove a listener on that one signal for every request in flight).
        signal: transportSignal(ctx.signal),
      });
    } catch (err) {
      // The request is over: let go of the caller's body source, even if it is stalled.
      body?.cancel();
      throw this.#transportError(err, req, ctx);
    }
    if (res.statusCode >= 200 && res.statusCode < 300) return res;
    throw await this.#errorFromResponse(res, req, ctx);
  }

  async #errorFromResponse(res: Dispatcher.ResponseData, req: S3Request, ctx: DriverCallContext): Promise<StorageError> {
    const headers = flattenHeaders(res.headers);
    let doc: ReturnType<typeof parseErrorDocument>;
    if (req.method !== "HEAD") {
      const text = await this.#readText(res.body, ERROR_BODY_MAX_BYTES, req, ctx).catch((err: unknown) => {
        if (isStorageError(err, "Aborted")) throw err;
        return "";
      });
      doc = parseErrorDocument(text);
    } else {
      await res.body.dump().catch(() => undefined);
    }
    return toStorageError(
      this.#options.dialect.errors,
      {
        status: res.statusCode,
        providerCode: doc?.code,
        message: doc?.message,
        requestId: doc?.requestId ?? this.#requestId(headers),
        retryAfterSeconds: parseRetryAfter(headers["retry-after"], this.#options.signing.clock.now()),
        objectSize: unsatisfiedSize(headers["content-range"]),
      },
      { operation: req.operation, key: req.key },
    );
  }

  #requestId(headers: ResponseHeaders): string | undefined {
    return headers[this.#options.dialect.requestIdHeader];
  }

  /** Reads a body to text, refusing more than `maxBytes` (the rest is discarded, the socket freed). */
  async #readText(body: Dispatcher.ResponseData["body"], maxBytes: number, req: S3Request, ctx: DriverCallContext): Promise<string> {
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        total += chunk.byteLength;
        if (total > maxBytes) {
          body.destroy();
          throw new StorageError({ code: "Internal", message: `response body exceeds ${maxBytes} bytes`, operation: req.operation, key: req.key });
        }
        chunks.push(chunk);
      }
    } catch (err) {
      throw this.#transportError(err, req, ctx);
    }
    return Buffer.concat(chunks, total).toString("utf8");
  }

  /** A failure below HTTP: aborted, timed out, connection lost, or our own body stream failing. */
  #transportError(err: unknown, req: S3Request, ctx: DriverCallContext): StorageError {
    if (isStorageError(err)) return err;
    if (ctx.signal.aborted) return abortedError(ctx.signal);
    const code = (err as { code?: unknown } | null)?.code;
    const context = { operation: req.operation, key: req.key, cause: err };
    if (code === "UND_ERR_INVALID_ARG" || code === "ERR_INVALID_CHAR" || code === "ERR_INVALID_HTTP_TOKEN") {
      // undici refused to send it (e.g. a control character in a header value): a caller error.
      return new StorageError({ code: "InvalidArgument", message: `the request cannot be sent as given (${code})`, ...context });
    }
    if (code === "UND_ERR_REQ_CONTENT_LENGTH_MISMATCH") {
      return new StorageError({ code: "InvalidArgument", message: `the body's length differs from the declared contentLength`, ...context });
    }
    if (typeof code === "string" && TIMEOUT_CODES.has(code)) {
      return new StorageError({ code: "Timeout", message: `timed out (${code})`, ...context });
    }
    const detail = typeof code === "string" ? code : err instanceof Error ? err.message : "unknown";
    return new StorageError({ code: "Network", message: `connection failed (${detail})`, ...context });
  }
}

/** The size in a 416 answer's `Content-Range: bytes *\/size`, if it has one. */
function unsatisfiedSize(contentRange: string | undefined): number | undefined {
  const parsed = contentRange === undefined ? undefined : parseContentRange(contentRange);
  return parsed !== undefined && "unsatisfied" in parsed ? parsed.size : undefined;
}
