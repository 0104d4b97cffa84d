/**
 * Multipart uploads staged on disk, under the hidden folder `<root>/.multipart/`:
 *
 * ```
 * .multipart/<uploadId>/upload.json   the upload: key, initiation, content type, metadata
 * .multipart/<uploadId>/<n>.p         part n: its bytes, then its ETag and MD5 (a record)
 * ```
 *
 * `upload.json` is the source of truth: an upload exists exactly when its directory (which is
 * only ever created whole, by a rename) holds it. Parts are records written durably like any
 * value, so a part is either fully staged or absent; re-uploading a number replaces it.
 * Abort and Complete first rename the directory aside, so the upload disappears for every
 * process at once, then delete it.
 */
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { isStaleTemp, isTempName, openRecord, sweepTempFiles, syncDirectory, tempName, writeRecord } from "./durable-file.js";
import { uploadNotFound } from "./errors.js";
import { isNotFound } from "./key-path.js";
import type { ErrorContext } from "@stowage/core";

/** The hidden folder of a root that holds staged uploads. */
export const UPLOADS_FOLDER = ".multipart";
const UPLOAD_FILE = "upload.json";
/** Upload ids are 128 random bits in hex; anything else is refused before it reaches a path. */
const UPLOAD_ID = /^[0-9a-f]{32}$/;
const PART_FILE = /^([1-9]\d{0,8})\.p$/;

/** What `upload.json` records. */
export interface StagedUpload {
  /** The key the object will have. */
  key: string;
  /** The upload's id (its directory's name). */
  uploadId: string;
  /** Epoch milliseconds. */
  initiated: number;
  /** The completed object's content type. */
  contentType: string;
  /** The completed object's metadata, lower-case names. */
  metadata: Record<string, string>;
}

/** The attributes of a staged part's record. */
export interface PartAttributes {
  /** The quoted ETag: the hex MD5 of the part. */
  etag: string;
  /** The binary MD5 in hex, which the multipart ETag is computed from. */
  md5: string;
  /** When the part was uploaded, epoch milliseconds. */
  lm: number;
}

/** One staged part as read back. */
export interface StagedPart extends PartAttributes {
  /** The part's number. */
  partNumber: number;
  /** Its record's path. */
  path: string;
  /** Bytes of data. */
  size: number;
}

/** The staged uploads of one root. */
export class UploadStaging {
  constructor(
    /** `<root>/.multipart`. */
    readonly dir: string,
  ) {}

  /** Creates the folder and removes what crashed processes left: temp directories and half-written parts. */
  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    let removed = 0;
    for (const name of await readdir(this.dir)) {
      if (isStaleTemp(name)) {
        await rm(join(this.dir, name), { recursive: true, force: true, maxRetries: 3 });
        removed++;
      } else if (UPLOAD_ID.test(name)) {
        await sweepTempFiles(join(this.dir, name));
      }
    }
    if (removed > 0) await syncDirectory(this.dir);
  }

  /** The directory of an upload. */
  uploadDir(uploadId: string): string {
    return join(this.dir, uploadId);
  }

  /** The file name of part `partNumber` in its upload's directory. */
  partName(partNumber: number): string {
    return `${partNumber}.p`;
  }

  /** Stages a new upload: written whole in a temp directory, then renamed into place. */
  async create(upload: StagedUpload, signal: AbortSignal): Promise<void> {
    const temp = join(this.dir, tempName());
    await mkdir(temp);
    try {
      await writeRecord(temp, UPLOAD_FILE, new Uint8Array(0), upload, signal, false);
      await rename(temp, this.uploadDir(upload.uploadId));
    } catch (err) {
      await rm(temp, { recursive: true, force: true }).catch(() => undefined);
      throw err;
    }
    await syncDirectory(this.dir);
  }

  /** The upload `uploadId` of `key`; `UploadNotFound` when it is unknown, completed, aborted or of another key. */
  async read(key: string, uploadId: string, context: ErrorContext): Promise<StagedUpload> {
    const upload = UPLOAD_ID.test(uploadId) ? await this.readById(uploadId) : undefined;
    if (upload === undefined || upload.key !== key) throw uploadNotFound(context);
    return upload;
  }

  /** The staged parts of an upload, ascending by part number. */
  async parts(uploadId: string): Promise<StagedPart[]> {
    const dir = this.uploadDir(uploadId);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
    const parts: StagedPart[] = [];
    for (const name of names) {
      const match = PART_FILE.exec(name);
      if (match === null) continue;
      const path = join(dir, name);
      const record = await openRecord<PartAttributes>(path);
      if (record === undefined) continue;
      await record.handle.close();
      parts.push({ ...record.attributes, partNumber: Number(match[1]), path, size: record.dataSize });
    }
    return parts.sort((a, b) => a.partNumber - b.partNumber);
  }

  /**
   * Ends an upload: its directory is renamed aside (the upload is gone for everyone at once),
   * then deleted. Resolves false when there was no such upload.
   */
  async remove(uploadId: string): Promise<boolean> {
    if (!UPLOAD_ID.test(uploadId)) return false;
    const aside = join(this.dir, tempName());
    try {
      await rename(this.uploadDir(uploadId), aside);
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
    await syncDirectory(this.dir);
    // A part being written by another call may land in the moved directory after rm read
    // it; the retries cover that, and the open-time sweep whatever is still left.
    await rm(aside, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
    return true;
  }

  /** Every staged upload, in no particular order. */
  async list(): Promise<StagedUpload[]> {
    const uploads: StagedUpload[] = [];
    for (const name of await readdir(this.dir)) {
      if (isTempName(name) || !UPLOAD_ID.test(name)) continue;
      const upload = await this.readById(name);
      if (upload !== undefined) uploads.push(upload);
    }
    return uploads;
  }

  private async readById(uploadId: string): Promise<StagedUpload | undefined> {
    const record = await openRecord<StagedUpload>(join(this.uploadDir(uploadId), UPLOAD_FILE));
    if (record === undefined) return undefined;
    await record.handle.close();
    return record.attributes;
  }
}
