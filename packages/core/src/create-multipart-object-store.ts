/**
 * The object-store facade: the one place that checks argument types, normalizes bodies,
 * handles the abort signal and the closed state, so drivers and layers receive normalized
 * arguments only (style §5).
 */
import { abortedError } from "./abort.js";
import { decodeUtf8, normalizeBody, readBytes, type BodyInput } from "./body.js";
import { invalidArgument, storeGuard } from "./guarded-call.js";
import type { CallOptions } from "./key-value-store.js";
import type { ObjectStoreLayer } from "./layer.js";
import { checkLimits } from "./limits.js";
import { withObjectValidation } from "./layers/with-object-validation.js";
import type {
  CompletedPart,
  CopyObjectOptions,
  GetObjectBytesOptions,
  GetObjectResult,
  ListObjectsOptions,
  ListObjectsPage,
  MultipartObjectStore,
  MultipartObjectStoreDriver,
  ObjectSummary,
  PresignOptions,
  UploadPartCopyOptions,
} from "./multipart-object-store.js";
import { GET_OBJECT_BYTES_DEFAULT_MAX_BYTES } from "./multipart-object-store.js";
import { StorageError } from "./storage-error.js";

/** Options of {@link createMultipartObjectStore}. */
export interface CreateMultipartObjectStoreOptions {
  /**
   * Layers between the validation layer and the driver, first = outermost. The order is
   * fixed: facade → validation → `layers[0]` → … → driver.
   */
  layers?: ObjectStoreLayer[];
}

function checkString(value: unknown, name: string): void {
  if (typeof value !== "string") throw invalidArgument(`${name} must be a string, got ${value === null ? "null" : typeof value}`);
}

function checkOptional(value: unknown, type: "string" | "number", name: string): void {
  if (value !== undefined && typeof value !== type) throw invalidArgument(`${name} must be a ${type}`);
}

function checkOptionalDate(value: unknown, name: string): void {
  if (value !== undefined && !(value instanceof Date)) throw invalidArgument(`${name} must be a Date`);
}

function checkOptionalObject(value: unknown, name: string): void {
  if (value !== undefined && (typeof value !== "object" || value === null)) throw invalidArgument(`${name} must be an object`);
}

function checkSseCType(value: unknown, name: string): void {
  if (value === undefined) return;
  if (typeof value !== "object" || value === null || !((value as { key?: unknown }).key instanceof Uint8Array)) {
    throw invalidArgument(`${name} must be { key: Uint8Array }`);
  }
}

/** The options object without `signal` (drivers receive the signal in their context). */
function optionsOf<T extends object>(options: unknown): Omit<T, "signal"> {
  if (options === undefined || options === null) return {} as Omit<T, "signal">;
  if (typeof options !== "object") throw invalidArgument("options must be an object");
  const { signal: _signal, ...rest } = options as T & CallOptions;
  return rest;
}

function checkConditionTypes(o: Record<string, unknown>): void {
  checkOptional(o.ifMatch, "string", "ifMatch");
  checkOptional(o.ifNoneMatch, "string", "ifNoneMatch");
  checkOptionalDate(o.ifModifiedSince, "ifModifiedSince");
  checkOptionalDate(o.ifUnmodifiedSince, "ifUnmodifiedSince");
}

function checkSourceType(source: unknown): void {
  if (typeof source !== "object" || source === null) throw invalidArgument("options.source must be { key, bucket? }");
  const s = source as Record<string, unknown>;
  checkString(s.key, "source.key");
  checkOptional(s.bucket, "string", "source.bucket");
  checkSseCType(s.sseC, "source.sseC");
}

function checkPartNumberType(partNumber: unknown): void {
  if (typeof partNumber !== "number") throw invalidArgument("partNumber must be a number");
}

/** A response body delivered after the caller gave up: cancel it so its connection is freed. */
function cancelBody(late: GetObjectResult): void {
  late.body.cancel().catch(() => undefined);
}

/**
 * Builds a {@link MultipartObjectStore} over a driver. Every call: raises `InvalidArgument` for
 * a wrong argument type (never a TypeError) and after {@link MultipartObjectStore.close};
 * validates against `driver.limits` before any I/O (keys, part numbers, page sizes, body sizes,
 * range shapes, conditions, SSE-C keys, capabilities, and metadata and `contentType` with
 * {@link validateObjectAttributes}); raises `Aborted` as soon as the caller's signal
 * fires; and raises only {@link StorageError}s naming the operation and key (a foreign error
 * from a driver becomes `Internal`).
 */
export function createMultipartObjectStore(driver: MultipartObjectStoreDriver, options: CreateMultipartObjectStoreOptions = {}): MultipartObjectStore {
  if (typeof driver !== "object" || driver === null || typeof driver.limits !== "object") {
    throw invalidArgument("createMultipartObjectStore needs a driver with a limits manifest");
  }
  checkLimits(driver.limits);
  const layers = options.layers ?? [];
  if (!Array.isArray(layers) || layers.some((l) => typeof l !== "function")) throw invalidArgument("layers must be an array of functions");
  const chain = withObjectValidation()(layers.reduceRight<MultipartObjectStoreDriver>((inner, layer) => layer(inner), driver));
  const guard = storeGuard(() => chain.close?.(), driver.target);

  /**
   * getObject read whole into memory under `maxBytes`: a declared length past it is refused
   * before reading (the body cancelled), a stream that runs past it as soon as it does.
   */
  const readObject = <T>(operation: string, key: string, readOptions: GetObjectBytesOptions | undefined, decode: (bytes: Uint8Array) => T): Promise<T> =>
    guard.call(operation, key, readOptions, async (ctx) => {
      checkString(key, "key");
      const { maxBytes = GET_OBJECT_BYTES_DEFAULT_MAX_BYTES, ...o } = optionsOf<GetObjectBytesOptions>(readOptions);
      if (typeof maxBytes !== "number" || !(maxBytes >= 0)) throw invalidArgument("maxBytes must be a number ≥ 0");
      checkConditionTypes(o as Record<string, unknown>);
      checkOptionalObject(o.range, "range");
      checkSseCType(o.sseC, "sseC");
      const result = await chain.getObject(key, o, ctx);
      if (result.contentLength > maxBytes) {
        cancelBody(result);
        throw new StorageError({ code: "EntityTooLarge", message: `the object's body is ${result.contentLength} bytes; maxBytes is ${maxBytes}` });
      }
      // Aborted while the answer was on its way: the caller has been told; free the connection.
      if (ctx.signal.aborted) {
        cancelBody(result);
        throw abortedError(ctx.signal);
      }
      const bytes = await readBytes(result.body, { maxBytes, tooLargeCode: "EntityTooLarge", signal: ctx.signal });
      // A plain Uint8Array, as the key-value readers return, not the Buffer a stream read may give.
      return decode(Object.getPrototypeOf(bytes) === Uint8Array.prototype ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    });

  const store: MultipartObjectStore = {
    limits: driver.limits,

    putObject(key, body: BodyInput, putOptions) {
      return guard.call("putObject", key, putOptions, async (ctx) => {
        checkString(key, "key");
        const o = optionsOf<NonNullable<typeof putOptions>>(putOptions);
        checkOptional(o.contentLength, "number", "contentLength");
        checkSseCType(o.sseC, "sseC");
        const { contentLength, ...rest } = o;
        return chain.putObject(key, normalizeBody(body, contentLength), rest, ctx);
      });
    },

    getObject(key, getOptions) {
      return guard.call("getObject", key, getOptions, async (ctx) => {
        checkString(key, "key");
        const o = optionsOf<NonNullable<typeof getOptions>>(getOptions);
        checkConditionTypes(o as Record<string, unknown>);
        checkOptionalObject(o.range, "range");
        checkSseCType(o.sseC, "sseC");
        return chain.getObject(key, o, ctx);
      }, cancelBody);
    },

    getObjectBytes: (key, readOptions) => readObject("getObjectBytes", key, readOptions, (bytes) => bytes),

    getObjectText: (key, readOptions) => readObject("getObjectText", key, readOptions, decodeUtf8),

    getObjectJson<T = unknown>(key: string, readOptions?: GetObjectBytesOptions): Promise<T> {
      return readObject("getObjectJson", key, readOptions, (bytes) => {
        const text = decodeUtf8(bytes);
        try {
          return JSON.parse(text) as T;
        } catch (cause) {
          throw new StorageError({ code: "InvalidArgument", message: "object is not valid JSON", cause });
        }
      });
    },

    headObject(key, headOptions) {
      return guard.call("headObject", key, headOptions, async (ctx) => {
        checkString(key, "key");
        const o = optionsOf<NonNullable<typeof headOptions>>(headOptions);
        checkConditionTypes(o as Record<string, unknown>);
        checkSseCType(o.sseC, "sseC");
        return chain.headObject(key, o, ctx);
      });
    },

    deleteObject(key, callOptions) {
      return guard.call("deleteObject", key, callOptions, async (ctx) => {
        checkString(key, "key");
        return chain.deleteObject(key, ctx);
      });
    },

    copyObject(key, copyOptions: CopyObjectOptions) {
      return guard.call("copyObject", key, copyOptions, async (ctx) => {
        checkString(key, "key");
        if (copyOptions === undefined || copyOptions === null) throw invalidArgument("copyObject needs options with a source");
        const o = optionsOf<CopyObjectOptions>(copyOptions);
        checkSourceType(o.source);
        checkConditionTypes(o as unknown as Record<string, unknown>);
        checkSseCType(o.sseC, "sseC");
        return chain.copyObject(key, o, ctx);
      });
    },

    listObjects(listOptions?: ListObjectsOptions): Promise<ListObjectsPage> {
      return guard.call("listObjects", undefined, listOptions, async (ctx) => {
        const o = optionsOf<ListObjectsOptions>(listOptions);
        checkOptional(o.prefix, "string", "prefix");
        checkOptional(o.delimiter, "string", "delimiter");
        checkOptional(o.limit, "number", "limit");
        checkOptional(o.cursor, "string", "cursor");
        return chain.listObjects(o, ctx);
      });
    },

    objects(listOptions?: Omit<ListObjectsOptions, "cursor" | "delimiter">): AsyncIterable<ObjectSummary> {
      return {
        async *[Symbol.asyncIterator]() {
          let cursor: string | undefined;
          do {
            // The first call passes the options as given, so listObjects checks their type.
            const page = await store.listObjects(cursor === undefined ? listOptions : { ...listOptions, cursor });
            yield* page.objects;
            cursor = page.cursor;
          } while (cursor !== undefined);
        },
      };
    },

    createMultipartUpload(key, createOptions) {
      return guard.call("createMultipartUpload", key, createOptions, async (ctx) => {
        checkString(key, "key");
        const o = optionsOf<NonNullable<typeof createOptions>>(createOptions);
        checkSseCType(o.sseC, "sseC");
        return chain.createMultipartUpload(key, o, ctx);
      });
    },

    uploadPart(key, uploadId, partNumber, body, partOptions) {
      return guard.call("uploadPart", key, partOptions, async (ctx) => {
        checkString(key, "key");
        checkString(uploadId, "uploadId");
        checkPartNumberType(partNumber);
        const o = optionsOf<NonNullable<typeof partOptions>>(partOptions);
        checkOptional(o.contentLength, "number", "contentLength");
        checkSseCType(o.sseC, "sseC");
        const { contentLength, ...rest } = o;
        return chain.uploadPart(key, uploadId, partNumber, normalizeBody(body, contentLength), rest, ctx);
      });
    },

    uploadPartCopy(key, uploadId, partNumber, copyOptions: UploadPartCopyOptions) {
      return guard.call("uploadPartCopy", key, copyOptions, async (ctx) => {
        checkString(key, "key");
        checkString(uploadId, "uploadId");
        checkPartNumberType(partNumber);
        if (copyOptions === undefined || copyOptions === null) throw invalidArgument("uploadPartCopy needs options with a source");
        const o = optionsOf<UploadPartCopyOptions>(copyOptions);
        checkSourceType(o.source);
        checkOptionalObject(o.range, "range");
        checkConditionTypes(o as unknown as Record<string, unknown>);
        checkSseCType(o.sseC, "sseC");
        return chain.uploadPartCopy(key, uploadId, partNumber, o, ctx);
      });
    },

    completeMultipartUpload(key, uploadId, parts: CompletedPart[], completeOptions) {
      return guard.call("completeMultipartUpload", key, completeOptions, async (ctx) => {
        checkString(key, "key");
        checkString(uploadId, "uploadId");
        const o = optionsOf<NonNullable<typeof completeOptions>>(completeOptions);
        checkOptional(o.ifMatch, "string", "ifMatch");
        checkOptional(o.ifNoneMatch, "string", "ifNoneMatch");
        if (!Array.isArray(parts)) throw invalidArgument("parts must be an array of { partNumber, etag }");
        const copy = parts.map((part, i) => {
          if (typeof part !== "object" || part === null) throw invalidArgument(`parts[${i}] must be { partNumber, etag }`);
          checkPartNumberType(part.partNumber);
          checkString(part.etag, `parts[${i}].etag`);
          return { partNumber: part.partNumber, etag: part.etag };
        });
        return chain.completeMultipartUpload(key, uploadId, copy, o, ctx);
      });
    },

    abortMultipartUpload(key, uploadId, callOptions) {
      return guard.call("abortMultipartUpload", key, callOptions, async (ctx) => {
        checkString(key, "key");
        checkString(uploadId, "uploadId");
        return chain.abortMultipartUpload(key, uploadId, ctx);
      });
    },

    listParts(key, uploadId, listOptions) {
      return guard.call("listParts", key, listOptions, async (ctx) => {
        checkString(key, "key");
        checkString(uploadId, "uploadId");
        const o = optionsOf<NonNullable<typeof listOptions>>(listOptions);
        checkOptional(o.limit, "number", "limit");
        checkOptional(o.cursor, "string", "cursor");
        return chain.listParts(key, uploadId, o, ctx);
      });
    },

    listMultipartUploads(listOptions) {
      return guard.call("listMultipartUploads", undefined, listOptions, async (ctx) => {
        const o = optionsOf<NonNullable<typeof listOptions>>(listOptions);
        checkOptional(o.prefix, "string", "prefix");
        checkOptional(o.limit, "number", "limit");
        checkOptional(o.cursor, "string", "cursor");
        return chain.listMultipartUploads(o, ctx);
      });
    },

    presign(method, key, presignOptions: PresignOptions) {
      return guard.call("presign", key, presignOptions, async (ctx) => {
        checkString(method, "method");
        checkString(key, "key");
        if (presignOptions === undefined || presignOptions === null) throw invalidArgument("presign needs options with expiresInSeconds");
        const o = optionsOf<PresignOptions>(presignOptions);
        checkOptional(o.expiresInSeconds, "number", "expiresInSeconds");
        checkOptional(o.contentType, "string", "contentType");
        checkOptionalObject(o.metadata, "metadata");
        checkOptionalObject(o.range, "range");
        return chain.presign!(method, key, o, ctx);
      });
    },

    close: () => guard.close(),
  };
  return store;
}
