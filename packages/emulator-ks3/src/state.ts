/**
 * What the emulator knows besides the bytes: buckets, objects, uploads and their parts.
 * Bytes live in a {@link BlobStore}; this holds only references to blobs.
 */
import type { Blob } from "./blob-store.js";
import { Ks3Error } from "./errors.js";

/** Headers stored with an object and returned on GET / HEAD. */
export interface StoredHeaders {
  contentType?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  expires?: string;
}

/** Encryption state: SSE-S3, or SSE-C of which only the key's MD5 is kept. */
export interface StoredEncryption {
  /** `x-kss-server-side-encryption: AES256` was asked for. */
  sseS3?: boolean;
  /** Base64 MD5 of the customer key (SSE-C); the key itself is never kept. */
  sseCKeyMd5?: string;
}

/** One object. */
export interface StoredObject extends StoredEncryption {
  key: string;
  /** The bytes, in order: one blob for a PUT, one per part after Complete. */
  blobs: Blob[];
  size: number;
  /** Quoted ETag: `"md5"` or `"md5-of-md5s-N"`. */
  etag: string;
  /** Milliseconds since the epoch (per the emulator's clock). */
  lastModified: number;
  headers: StoredHeaders;
  /** User metadata: lower-case names without the `x-kss-meta-` prefix. */
  metadata: Record<string, string>;
}

/** One uploaded part. */
export interface StoredPart {
  partNumber: number;
  blob: Blob;
  /** Quoted MD5 of the part's bytes. */
  etag: string;
  lastModified: number;
}

/** One multipart upload in progress. */
export interface StoredUpload extends StoredEncryption {
  uploadId: string;
  key: string;
  initiated: number;
  headers: StoredHeaders;
  metadata: Record<string, string>;
  parts: Map<number, StoredPart>;
}

/** What a finished upload leaves behind, so that a repeated Complete can answer the same (S3). */
export interface CompletedUpload {
  key: string;
  etag: string;
  /** `partNumber:etag,…` of the list that completed it. */
  partList: string;
}

/** One bucket. */
export interface StoredBucket {
  name: string;
  created: number;
  objects: Map<string, StoredObject>;
  uploads: Map<string, StoredUpload>;
  /** Upload ids that were aborted (KS3 answers 204 to a second abort, §7 #12). */
  aborted: Set<string>;
  completed: Map<string, CompletedUpload>;
}

/** The whole state. */
export class EmulatorState {
  readonly buckets = new Map<string, StoredBucket>();

  /** The bucket called `name`, or `NoSuchBucket` (404). */
  bucket(name: string | undefined): StoredBucket {
    const bucket = name === undefined ? undefined : this.buckets.get(name);
    if (!bucket) throw new Ks3Error("NoSuchBucket", name === undefined ? undefined : `The specified bucket does not exist: ${name}.`);
    return bucket;
  }

  /** Adds an empty bucket; returns false when it already exists. */
  addBucket(name: string, created: number): boolean {
    if (this.buckets.has(name)) return false;
    this.buckets.set(name, { name, created, objects: new Map(), uploads: new Map(), aborted: new Set(), completed: new Map() });
    return true;
  }
}
