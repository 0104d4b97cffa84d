/**
 * The fs object store: one durable record file per object under `<root>/objects/` (the bytes,
 * then ETag, content type, metadata and Last-Modified), multipart uploads staged under
 * `<root>/.multipart/` (see multipart-staging.ts).
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, unlink } from "node:fs/promises";
import { join } from "node:path";
import {
  DEFAULT_CONTENT_TYPE,
  StorageError,
  checkPreconditions,
  checkWriteConditions,
  compareUtf8,
  createMultipartObjectStore,
  callWithErrorContext,
  checkEmulatedPartNumber,
  lowerCaseMetadataNames,
  chooseCompletedParts,
  rangeLength,
  resolveCopySourceRange,
  resolveRange,
  systemClock,
  throwIfAborted,
  withErrorContext,
  type Clock,
  type CompleteMultipartUploadOptions,
  type CompleteMultipartUploadResult,
  type CompletedPart,
  type CopyObjectOptions,
  type CopyObjectResult,
  type CopySource,
  type CreateMultipartUploadOptions,
  type DriverCallContext,
  type ErrorContext,
  type GetObjectOptions,
  type GetObjectResult,
  type HeadObjectOptions,
  type ListMultipartUploadsOptions,
  type ListMultipartUploadsPage,
  type ListObjectsOptions,
  type ListObjectsPage,
  type ListPartsOptions,
  type ListPartsPage,
  type MultipartObjectStore,
  type MultipartObjectStoreDriver,
  type MultipartUpload,
  type NormalizedBody,
  type ObjectInfo,
  type ObjectStoreLimits,
  type PreconditionTarget,
  type Preconditions,
  type PutObjectOptions,
  type PutObjectResult,
  type UploadPartCopyOptions,
  type UploadPartCopyResult,
  type UploadPartOptions,
  type WriteConditions,
  decodeListCursor,
  encodeListCursor,
  listPageSize,
} from "@stowage/core";
import type { FsObjectStoreOptions } from "./config.js";
import { TempFile, openRecord, sweepTempFiles, syncDirectory, type OpenRecord } from "./durable-file.js";
import {
  entityTooLarge,
  fileSystemError,
  invalidArgument,
  fsErrors,
  objectNotFound,
  uploadNotFound,
} from "./errors.js";
import { isNotFound, keyLocation, keyPaths, walkKeys, type FoundKey } from "./key-path.js";
import { FS_OBJECT_LIMITS } from "./limits.js";
import { UPLOADS_FOLDER, UploadStaging, type PartAttributes, type StagedPart, type StagedUpload } from "./multipart-staging.js";
import { copyRange, recordStream, writeBody } from "./object-stream.js";
import { withPathLock } from "./path-lock.js";
import { readAhead } from "./read-ahead.js";

/** The folder of a root that holds the objects. */
export const OBJECTS_FOLDER = "objects";

/** The attributes an object record keeps after its bytes. */
interface ObjectAttributes {
  /** Quoted ETag. */
  etag: string;
  /** Content type. */
  ct: string;
  /** User metadata, lower-case names. */
  md: Record<string, string>;
  /** Last-Modified, epoch milliseconds. */
  lm: number;
}

/**
 * A {@link MultipartObjectStoreDriver} over a directory.
 *
 * - Every write that makes an object (put, copy, Complete) streams into a temp file beside the
 *   target and commits it with one rename after fsync; the directory is fsynced after it. A
 *   reader sees the old object or the new one, with its own metadata, never a mix.
 * - A read streams from the file it opened, so it keeps the version it started with.
 * - Several stores (in this process or others) may share a root: each key is last writer wins.
 */
export class FsObjectStoreDriver implements MultipartObjectStoreDriver {
  readonly limits: ObjectStoreLimits;
  /** The store's root directory. */
  readonly root: string;
  /** Where the objects are: `<root>/objects`. */
  readonly dir: string;
  /** The staged uploads under `<root>/.multipart`. */
  readonly staging: UploadStaging;
  private readonly clock: Clock;

  private constructor(options: Omit<FsObjectStoreOptions, "layers">) {
    this.limits = options.limits ?? FS_OBJECT_LIMITS;
    this.root = options.root;
    this.dir = join(options.root, OBJECTS_FOLDER);
    this.staging = new UploadStaging(join(options.root, UPLOADS_FOLDER));
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Opens (creating when missing) the store's directory and removes what crashed writers left:
   * temp files beside objects, half-staged parts, half-created uploads.
   */
  static async open(options: Omit<FsObjectStoreOptions, "layers">): Promise<FsObjectStoreDriver> {
    const driver = new FsObjectStoreDriver(options);
    try {
      await mkdir(driver.dir, { recursive: true });
      await sweepTempFiles(driver.dir);
      await driver.staging.open();
    } catch (err) {
      throw fileSystemError(err, { operation: "open" });
    }
    return driver;
  }

  async putObject(key: string, body: NormalizedBody, options: Omit<PutObjectOptions, "signal" | "contentLength">, ctx: DriverCallContext): Promise<PutObjectResult> {
    const context = { operation: "putObject", key };
    throwIfAborted(ctx.signal);
    return this.guard(context, async () => {
      const { dir, name } = this.location(key);
      const temp = await TempFile.create(dir, dir !== this.dir);
      try {
        const md5 = await writeBody(temp, body, this.limits.putObjectMaxBytes, "object", ctx, context);
        const etag = `"${md5.toString("hex")}"`;
        const attributes = { etag, ct: options.contentType ?? DEFAULT_CONTENT_TYPE, md: lowerCaseMetadataNames(options.metadata), lm: this.clock.now() };
        await this.commitObject(temp, name, attributes, ctx.signal, context, options);
        return { etag };
      } catch (err) {
        await temp.discard();
        throw err;
      }
    });
  }

  async getObject(key: string, options: Omit<GetObjectOptions, "signal">, ctx: DriverCallContext): Promise<GetObjectResult> {
    const context = { operation: "getObject", key };
    throwIfAborted(ctx.signal);
    const record = await this.guard(context, () => this.readable(key, options, context));
    try {
      const info = infoOf(key, record);
      if (options.range === undefined) {
        return { info, body: recordStream(record.handle, 0, record.dataSize, ctx.signal), contentLength: record.dataSize };
      }
      const range = callWithErrorContext(() => resolveRange(options.range!, record.dataSize), context);
      return { info, body: recordStream(record.handle, range.start, range.end + 1, ctx.signal), contentLength: rangeLength(range), range };
    } catch (err) {
      await record.handle.close();
      throw err;
    }
  }

  async headObject(key: string, options: Omit<HeadObjectOptions, "signal">, ctx: DriverCallContext): Promise<ObjectInfo> {
    const context = { operation: "headObject", key };
    throwIfAborted(ctx.signal);
    const record = await this.guard(context, () => this.readable(key, options, context));
    await record.handle.close();
    return infoOf(key, record);
  }

  async deleteObject(key: string, ctx: DriverCallContext): Promise<void> {
    const context = { operation: "deleteObject", key };
    throwIfAborted(ctx.signal);
    await this.guard(context, async () => {
      const { dir, file } = keyPaths(this.dir, key);
      try {
        await unlink(file);
      } catch (err) {
        // Deleting an absent key resolves, as S3's 204 does.
        if (isNotFound(err)) return;
        throw err;
      }
      await syncDirectory(dir);
    });
  }

  async copyObject(key: string, options: Omit<CopyObjectOptions, "signal">, ctx: DriverCallContext): Promise<CopyObjectResult> {
    const context = { operation: "copyObject", key };
    throwIfAborted(ctx.signal);
    return this.guard(context, async () => {
      const source = await this.copySource(options.source, options, context);
      try {
        if (source.dataSize > this.limits.copyObjectMaxSourceBytes) throw entityTooLarge(this.limits.copyObjectMaxSourceBytes, "copy source", context);
        const unchanged = options.source.key === key && options.metadata === undefined && options.contentType === undefined;
        if (unchanged) {
          // S3 refuses a copy onto itself that changes nothing (400 InvalidRequest).
          throw invalidArgument("An object cannot be copied onto itself without changing its metadata", context, "InvalidRequest");
        }
        // Either attribute given replaces both, as S3's REPLACE directive does.
        const replace = options.metadata !== undefined || options.contentType !== undefined;
        const { dir, name } = this.location(key);
        const temp = await TempFile.create(dir, dir !== this.dir);
        try {
          const md5 = createHash("md5");
          await copyRange(source.handle, 0, source.dataSize, temp, md5, ctx.signal);
          const attributes: ObjectAttributes = {
            etag: `"${md5.digest("hex")}"`,
            ct: replace ? (options.contentType ?? DEFAULT_CONTENT_TYPE) : source.attributes.ct,
            md: replace ? lowerCaseMetadataNames(options.metadata) : source.attributes.md,
            lm: this.clock.now(),
          };
          await this.commitObject(temp, name, attributes, ctx.signal, context);
          return { etag: attributes.etag, lastModified: new Date(attributes.lm) };
        } catch (err) {
          await temp.discard();
          throw err;
        }
      } finally {
        await source.handle.close();
      }
    });
  }

  async listObjects(request: Omit<ListObjectsOptions, "signal">, ctx: DriverCallContext): Promise<ListObjectsPage> {
    const context = { operation: "listObjects" };
    throwIfAborted(ctx.signal);
    const prefix = request.prefix ?? "";
    const delimiter = request.delimiter === "" ? undefined : request.delimiter;
    const maxPage = delimiter === undefined ? this.limits.listObjectsMaxPageSize : this.limits.listObjectsWithDelimiterMaxPageSize;
    const limit = listPageSize(request.limit, maxPage, maxPage);
    let after: string | undefined;
    // The common prefix the previous page ended with: its keys were rolled up already.
    let rolledUp: string | undefined;
    if (request.cursor !== undefined) {
      const [cursorPrefix, cursorDelimiter, last, lastIsPrefix] = decodeListCursor(
        "fs",
        "objects",
        request.cursor,
        ["string", "string", "string", "boolean"],
        context.operation,
      ) as [string, string, string, boolean];
      if (cursorPrefix !== prefix || cursorDelimiter !== (delimiter ?? "")) {
        throw invalidArgument("The cursor belongs to a listing with another prefix or delimiter", context);
      }
      after = last;
      if (lastIsPrefix) rolledUp = last;
    }
    return this.guard(context, async () => {
      const page: ListObjectsPage = { objects: [], commonPrefixes: [] };
      let last: { value: string; isPrefix: boolean } | undefined;
      let more = false;
      const cutOf = (key: string) => (delimiter === undefined ? -1 : key.indexOf(delimiter, prefix.length));
      // Only keys that are listed as objects need their record; rolled-up keys are never read.
      const readSummary = async (found: FoundKey) => {
        if (cutOf(found.key) >= 0) return undefined;
        const record = await openRecord<ObjectAttributes>(found.path);
        await record?.handle.close();
        return record;
      };
      const walk = walkKeys(this.dir, after === undefined ? { prefix } : { prefix, after });
      for await (const [found, record] of readAhead(walk, readSummary)) {
        throwIfAborted(ctx.signal);
        if (rolledUp !== undefined && found.key.startsWith(rolledUp)) continue;
        const cut = cutOf(found.key);
        if (cut < 0) {
          // Deleted since the directory was read.
          if (record === undefined) continue;
          if (page.objects.length + page.commonPrefixes.length === limit) {
            more = true;
            break;
          }
          page.objects.push({ key: found.key, size: record.dataSize, etag: record.attributes.etag, lastModified: new Date(record.attributes.lm) });
          last = { value: found.key, isPrefix: false };
        } else {
          if (page.objects.length + page.commonPrefixes.length === limit) {
            more = true;
            break;
          }
          rolledUp = found.key.slice(0, cut + delimiter!.length);
          page.commonPrefixes.push(rolledUp);
          last = { value: rolledUp, isPrefix: true };
        }
      }
      if (more && last !== undefined) page.cursor = encodeListCursor("fs", "objects", [prefix, delimiter ?? "", last.value, last.isPrefix]);
      return page;
    });
  }

  async createMultipartUpload(key: string, options: Omit<CreateMultipartUploadOptions, "signal">, ctx: DriverCallContext): Promise<MultipartUpload> {
    const context = { operation: "createMultipartUpload", key };
    throwIfAborted(ctx.signal);
    return this.guard(context, async () => {
      const upload: StagedUpload = {
        key,
        uploadId: randomBytes(16).toString("hex"),
        initiated: this.clock.now(),
        contentType: options.contentType ?? DEFAULT_CONTENT_TYPE,
        metadata: lowerCaseMetadataNames(options.metadata),
      };
      await this.staging.create(upload, ctx.signal);
      return { key, uploadId: upload.uploadId };
    });
  }

  async uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: NormalizedBody,
    _options: Omit<UploadPartOptions, "signal" | "contentLength">,
    ctx: DriverCallContext,
  ): Promise<CompletedPart> {
    const context = { operation: "uploadPart", key };
    throwIfAborted(ctx.signal);
    this.checkPartNumber(partNumber, context);
    return this.guard(context, async () => {
      await this.staging.read(key, uploadId, context);
      const temp = await this.stagePart(uploadId, context);
      try {
        const md5 = await writeBody(temp, body, this.limits.multipartMaxPartBytes, "part", ctx, context);
        const etag = await this.commitPart(temp, partNumber, md5, ctx.signal, context);
        return { partNumber, etag };
      } catch (err) {
        await temp.discard();
        throw err;
      }
    });
  }

  async uploadPartCopy(
    key: string,
    uploadId: string,
    partNumber: number,
    options: Omit<UploadPartCopyOptions, "signal">,
    ctx: DriverCallContext,
  ): Promise<UploadPartCopyResult> {
    const context = { operation: "uploadPartCopy", key };
    throwIfAborted(ctx.signal);
    this.checkPartNumber(partNumber, context);
    return this.guard(context, async () => {
      await this.staging.read(key, uploadId, context);
      const source = await this.copySource(options.source, options, context);
      try {
        // Seed: "Range setting must use bytes=first-last"; no range copies the whole object.
        const range = options.range === undefined ? { start: 0, end: source.dataSize - 1 } : callWithErrorContext(() => resolveCopySourceRange(options.range!, source.dataSize), context);
        const size = range.end + 1 - range.start;
        if (size > this.limits.multipartMaxPartBytes) throw entityTooLarge(this.limits.multipartMaxPartBytes, "part", context);
        const temp = await this.stagePart(uploadId, context);
        try {
          const md5 = createHash("md5");
          await copyRange(source.handle, range.start, range.end + 1, temp, md5, ctx.signal);
          const lastModified = this.clock.now();
          const etag = await this.commitPart(temp, partNumber, md5.digest(), ctx.signal, context, lastModified);
          return { partNumber, etag, lastModified: new Date(lastModified) };
        } catch (err) {
          await temp.discard();
          throw err;
        }
      } finally {
        await source.handle.close();
      }
    });
  }

  async completeMultipartUpload(
    key: string,
    uploadId: string,
    parts: CompletedPart[],
    options: Omit<CompleteMultipartUploadOptions, "signal">,
    ctx: DriverCallContext,
  ): Promise<CompleteMultipartUploadResult> {
    const context = { operation: "completeMultipartUpload", key };
    throwIfAborted(ctx.signal);
    return this.guard(context, async () => {
      const upload = await this.staging.read(key, uploadId, context);
      const chosen = this.chooseParts(await this.staging.parts(uploadId), parts, context);
      // S3's multipart ETag: md5 of the concatenated binary part MD5s, then "-" and the part count.
      const digest = createHash("md5").update(Buffer.concat(chosen.map((p) => Buffer.from(p.md5, "hex")))).digest("hex");
      const etag = `"${digest}-${chosen.length}"`;
      const { dir, name } = this.location(key);
      const temp = await TempFile.create(dir, dir !== this.dir);
      try {
        // Streamed part by part: the object is never held in memory.
        const sink = createHash("md5");
        for (const part of chosen) {
          const record = await openRecord<PartAttributes>(part.path);
          if (record === undefined) throw uploadNotFound(context);
          try {
            await copyRange(record.handle, 0, record.dataSize, temp, sink, ctx.signal);
          } finally {
            await record.handle.close();
          }
        }
        await this.commitObject(temp, name, { etag, ct: upload.contentType, md: upload.metadata, lm: this.clock.now() }, ctx.signal, context, options);
      } catch (err) {
        await temp.discard();
        throw err;
      }
      // The object is committed (a failed condition threw above and left the upload open, as
      // S3 does after a 412); a crash before this line leaves the upload listed, and
      // completing it again yields the same object.
      await this.staging.remove(uploadId);
      return { key, etag };
    });
  }

  async abortMultipartUpload(key: string, uploadId: string, ctx: DriverCallContext): Promise<void> {
    const context = { operation: "abortMultipartUpload", key };
    throwIfAborted(ctx.signal);
    await this.guard(context, async () => {
      await this.staging.read(key, uploadId, context);
      // A second abort raises UploadNotFound, as the contract says of every call after an abort.
      if (!(await this.staging.remove(uploadId))) throw uploadNotFound(context);
    });
  }

  async listParts(key: string, uploadId: string, request: Omit<ListPartsOptions, "signal">, ctx: DriverCallContext): Promise<ListPartsPage> {
    const context = { operation: "listParts", key };
    throwIfAborted(ctx.signal);
    const limit = listPageSize(request.limit, this.limits.listPartsMaxPageSize, this.limits.listPartsMaxPageSize);
    let after = 0;
    if (request.cursor !== undefined) {
      const [cursorUpload, marker] = decodeListCursor("fs", "parts", request.cursor, ["string", "number"], context.operation) as [string, number];
      if (cursorUpload !== uploadId) throw invalidArgument("The cursor belongs to another upload", context);
      after = marker;
    }
    return this.guard(context, async () => {
      await this.staging.read(key, uploadId, context);
      const parts = (await this.staging.parts(uploadId)).filter((p) => p.partNumber > after);
      const page: ListPartsPage = {
        parts: parts.slice(0, limit).map((p) => ({ partNumber: p.partNumber, etag: p.etag, size: p.size, lastModified: new Date(p.lm) })),
      };
      if (parts.length > limit) page.cursor = encodeListCursor("fs", "parts", [uploadId, parts[limit - 1]!.partNumber]);
      return page;
    });
  }

  async listMultipartUploads(request: Omit<ListMultipartUploadsOptions, "signal">, ctx: DriverCallContext): Promise<ListMultipartUploadsPage> {
    const context = { operation: "listMultipartUploads" };
    throwIfAborted(ctx.signal);
    const prefix = request.prefix ?? "";
    const limit = listPageSize(request.limit, this.limits.listMultipartUploadsMaxPageSize, this.limits.listMultipartUploadsMaxPageSize);
    let after: UploadPosition | undefined;
    if (request.cursor !== undefined) {
      const [cursorPrefix, key, initiated, uploadId] = decodeListCursor("fs", "uploads", request.cursor, ["string", "string", "number", "string"], context.operation) as [
        string,
        string,
        number,
        string,
      ];
      if (cursorPrefix !== prefix) throw invalidArgument("The cursor belongs to a listing with another prefix", context);
      after = { key, initiated, uploadId };
    }
    return this.guard(context, async () => {
      // Ordered by key, then initiation, as ListMultipartUploads is; the upload id breaks ties
      // so the cursor names one position exactly.
      const uploads = (await this.staging.list())
        .filter((u) => u.key.startsWith(prefix) && (after === undefined || compareUploads(u, after) > 0))
        .sort(compareUploads);
      const page: ListMultipartUploadsPage = {
        uploads: uploads.slice(0, limit).map((u) => ({ key: u.key, uploadId: u.uploadId, initiated: new Date(u.initiated) })),
      };
      if (uploads.length > limit) {
        const last = uploads[limit - 1]!;
        page.cursor = encodeListCursor("fs", "uploads", [prefix, last.key, last.initiated, last.uploadId]);
      }
      return page;
    });
  }

  /** Runs `fn`, turning a file system error into `Internal` with the call's context. */
  private async guard<T>(context: ErrorContext, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw err instanceof StorageError ? withErrorContext(err, context) : fileSystemError(err, context);
    }
  }

  /** The directory and file name of `key`'s record. */
  private location(key: string): { dir: string; name: string } {
    const location = keyLocation(key);
    return { dir: location.dirs.length === 0 ? this.dir : join(this.dir, ...location.dirs), name: location.file };
  }

  /**
   * Writes the trailer and commits an object record; the last point an abort still changes
   * nothing. Every commit of a path queues on its lock, so a conditional write's check of the
   * current ETag and its commit are one step against every other write of this process; a
   * create-only write commits by link(), which refuses an existing name atomically across
   * processes too (path-lock.ts). A failed condition commits nothing.
   */
  private async commitObject(
    temp: TempFile,
    name: string,
    attributes: ObjectAttributes,
    signal: AbortSignal,
    context: ErrorContext,
    conditions: WriteConditions = {},
  ): Promise<void> {
    await temp.writeTrailer(attributes);
    await withPathLock(join(temp.dir, name), async () => {
      throwIfAborted(signal);
      if (conditions.ifMatch === undefined && conditions.ifNoneMatch === undefined) return temp.commit(name);
      let current: PreconditionTarget | undefined;
      if (conditions.ifMatch !== undefined) {
        const record = await openRecord<ObjectAttributes>(join(temp.dir, name));
        if (record !== undefined) {
          await record.handle.close();
          current = { etag: record.attributes.etag, lastModified: new Date(record.attributes.lm) };
        }
      }
      checkWriteConditions(conditions, current, context);
      if (conditions.ifNoneMatch === undefined) return temp.commit(name);
      if (!(await temp.commitIfAbsent(name))) {
        throw new StorageError({ code: "PreconditionFailed", httpStatus: 412, providerCode: "PreconditionFailed", message: 'The key exists, so ifNoneMatch "*" did not hold', ...context });
      }
    });
  }

  /** A temp file in an upload's directory; `UploadNotFound` when the upload went away. */
  private async stagePart(uploadId: string, context: ErrorContext): Promise<TempFile> {
    try {
      return await TempFile.create(this.staging.uploadDir(uploadId), false);
    } catch (err) {
      if (isNotFound(err)) throw uploadNotFound(context);
      throw err;
    }
  }

  /** Commits a staged part; resolves its quoted ETag. `UploadNotFound` when the upload ended meanwhile. */
  private async commitPart(temp: TempFile, partNumber: number, md5: Buffer, signal: AbortSignal, context: ErrorContext, lm = this.clock.now()): Promise<string> {
    const attributes: PartAttributes = { etag: `"${md5.toString("hex")}"`, md5: md5.toString("hex"), lm };
    await temp.writeTrailer(attributes);
    throwIfAborted(signal);
    try {
      await temp.commit(this.staging.partName(partNumber));
    } catch (err) {
      if (isNotFound(err)) throw uploadNotFound(context);
      throw err;
    }
    return attributes.etag;
  }

  /** An object that exists and whose read conditions hold; the caller closes its handle. */
  private async readable(key: string, conditions: Preconditions, context: ErrorContext): Promise<OpenRecord<ObjectAttributes>> {
    const record = await openRecord<ObjectAttributes>(keyPaths(this.dir, key).file);
    if (record === undefined) throw objectNotFound(context);
    try {
      checkPreconditions(conditions, { etag: record.attributes.etag, lastModified: new Date(record.attributes.lm) }, "read", context);
    } catch (err) {
      await record.handle.close();
      throw err;
    }
    return record;
  }

  /**
   * The source of a copy, open: it must exist and the copy-source conditions must hold (seed:
   * if-match / if-unmodified-since → 412, if-none-match / if-modified-since → 304). The
   * facade has already refused another bucket (`copyAcrossBuckets` is false).
   */
  private async copySource(source: CopySource, conditions: Preconditions, context: ErrorContext): Promise<OpenRecord<ObjectAttributes>> {
    const sourceContext = { operation: context.operation, key: source.key };
    const record = await openRecord<ObjectAttributes>(keyPaths(this.dir, source.key).file);
    if (record === undefined) throw objectNotFound(sourceContext);
    try {
      checkPreconditions(conditions, { etag: record.attributes.etag, lastModified: new Date(record.attributes.lm) }, "copy-source", sourceContext);
    } catch (err) {
      await record.handle.close();
      throw err;
    }
    return record;
  }

  /** Part numbers are checked here as well as in the facade: the driver is what a bypassing caller reaches. */
  private checkPartNumber(partNumber: number, context: ErrorContext): void {
    checkEmulatedPartNumber(partNumber, this.limits, fsErrors, context);
  }

  /** The staged parts a Complete names, in order, after core's checks of the part list ({@link chooseCompletedParts}). */
  private chooseParts(staged: StagedPart[], parts: CompletedPart[], context: ErrorContext): StagedPart[] {
    return chooseCompletedParts(parts, new Map(staged.map((p) => [p.partNumber, p])), (p) => p.size, this.limits, fsErrors, context);
  }
}

/** Where a multipart-uploads listing stands. */
type UploadPosition = Pick<StagedUpload, "key" | "initiated" | "uploadId">;

function compareUploads(a: UploadPosition, b: UploadPosition): number {
  return compareUtf8(a.key, b.key) || a.initiated - b.initiated || compareUtf8(a.uploadId, b.uploadId);
}

function infoOf(key: string, record: OpenRecord<ObjectAttributes>): ObjectInfo {
  return {
    key,
    size: record.dataSize,
    etag: record.attributes.etag,
    lastModified: new Date(record.attributes.lm),
    contentType: record.attributes.ct,
    metadata: { ...record.attributes.md },
  };
}

/** An fs object store: the core facade over an {@link FsObjectStoreDriver}. */
export interface FsObjectStore extends MultipartObjectStore {
  /** The driver behind the facade (its `root`, `dir` and `staging`). */
  readonly driver: FsObjectStoreDriver;
}

/**
 * Opens an fs object store behind the core facade.
 *
 * @example
 * ```ts
 * const files = await createFsObjectStore({ root: "./data" });
 * await files.putObject("report.csv", "a,b\n1,2\n", { contentType: "text/csv" });
 * ```
 */
export async function createFsObjectStore(options: FsObjectStoreOptions): Promise<FsObjectStore> {
  const driver = await FsObjectStoreDriver.open(options);
  const store = createMultipartObjectStore(driver, { layers: options.layers ?? [] });
  return Object.assign(store, { driver });
}
