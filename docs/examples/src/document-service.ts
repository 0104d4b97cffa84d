/**
 * The example application: documents (small JSON, kept in a key-value store with an optional
 * expiry) and their attachments (bytes of any size, kept in an object store, uploaded in parts
 * when large). It is written against the two contracts only: nothing here knows which
 * provider is behind them, and nothing here imports an adapter.
 */
import {
  isStorageError,
  readBytes,
  StorageError,
  type ByteRangeSpec,
  type CompletedPart,
  type KeyValueStore,
  type MultipartObjectStore,
  type StorageContainer,
} from "@stowage/core";

/** What a caller saves. */
export interface DocumentInput {
  title: string;
  body: string;
}

/** A saved document, with the names of its attachments. */
export interface StoredDocument extends DocumentInput {
  id: string;
  attachments: string[];
}

/** What {@link DocumentService.attach} did. */
export interface AttachResult {
  size: number;
  /** 1 for a single `putObject`, otherwise the number of uploaded parts. */
  parts: number;
}

/** Options of {@link DocumentService}. */
export interface DocumentServiceOptions {
  /**
   * Preferred part size for large attachments, default 8 MiB. Clamped into the store's
   * `multipartMinPartBytes..multipartMaxPartBytes`, so the same code obeys KS3's 5 MiB
   * minimum and a test store's smaller one. Attachments up to one part go in a single PUT.
   */
  partBytes?: number;
  /** Largest attachment `readAttachment` loads into memory; default 64 MiB. */
  maxReadBytes?: number;
}

// Ids and names end up in keys: letters, digits, `.`, `_` and `-` are legal on every provider
// (ESA forbids spaces and `/` in keys; the `/` below is ours, in object keys only).
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

function checkName(what: string, value: string): void {
  if (!NAME.test(value)) throw new StorageError({ code: "InvalidArgument", message: `${what} must match ${NAME}` });
}

/** Documents and attachments over any `KeyValueStore` and `MultipartObjectStore`. */
export class DocumentService {
  readonly #documents: KeyValueStore;
  readonly #attachments: MultipartObjectStore;
  readonly #partBytes: number;
  readonly #maxReadBytes: number;

  constructor(documents: KeyValueStore, attachments: MultipartObjectStore, options: DocumentServiceOptions = {}) {
    this.#documents = documents;
    this.#attachments = attachments;
    const { multipartMinPartBytes, multipartMaxPartBytes } = attachments.limits;
    this.#partBytes = Math.min(Math.max(options.partBytes ?? 8 * 1024 * 1024, multipartMinPartBytes), multipartMaxPartBytes);
    this.#maxReadBytes = options.maxReadBytes ?? 64 * 1024 * 1024;
  }

  /** Saves (or replaces) a document; it disappears after `ttlSeconds` when given. */
  async saveDocument(id: string, input: DocumentInput, options: { ttlSeconds?: number } = {}): Promise<void> {
    checkName("document id", id);
    await this.#documents.put(`doc:${id}`, JSON.stringify({ title: input.title, body: input.body }), options);
  }

  /** The document with its attachment names, or `undefined` when there is none. */
  async getDocument(id: string): Promise<StoredDocument | undefined> {
    checkName("document id", id);
    const saved = await this.#documents.getJson<DocumentInput>(`doc:${id}`);
    if (saved === undefined) return undefined;
    return { id, title: saved.title, body: saved.body, attachments: await this.listAttachments(id) };
  }

  /** Every document id, in key order. */
  async listDocumentIds(): Promise<string[]> {
    const ids: string[] = [];
    for await (const { key } of this.#documents.keys({ prefix: "doc:" })) ids.push(key.slice("doc:".length));
    return ids;
  }

  /** Stores an attachment: one PUT when it fits in a part, otherwise a multipart upload. */
  async attach(id: string, name: string, content: Uint8Array | string): Promise<AttachResult> {
    checkName("document id", id);
    checkName("attachment name", name);
    const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
    const key = `${id}/${name}`;
    if (bytes.byteLength <= this.#partBytes) {
      await this.#attachments.putObject(key, bytes);
      return { size: bytes.byteLength, parts: 1 };
    }
    const { uploadId } = await this.#attachments.createMultipartUpload(key);
    try {
      const parts: CompletedPart[] = [];
      for (let offset = 0; offset < bytes.byteLength; offset += this.#partBytes) {
        const chunk = bytes.subarray(offset, offset + this.#partBytes);
        parts.push(await this.#attachments.uploadPart(key, uploadId, parts.length + 1, chunk));
      }
      await this.#attachments.completeMultipartUpload(key, uploadId, parts);
      return { size: bytes.byteLength, parts: parts.length };
    } catch (err) {
      // Never leave an orphaned upload (it is billed); the original failure is what matters.
      await this.#attachments.abortMultipartUpload(key, uploadId).catch(() => undefined);
      throw err;
    }
  }

  /** An attachment's bytes (or one range of them), or `undefined` when it does not exist. */
  async readAttachment(id: string, name: string, range?: ByteRangeSpec): Promise<Uint8Array | undefined> {
    checkName("document id", id);
    checkName("attachment name", name);
    try {
      const { body } = await this.#attachments.getObject(`${id}/${name}`, range ? { range } : {});
      return await readBytes(body, { maxBytes: this.#maxReadBytes, tooLargeCode: "EntityTooLarge" });
    } catch (err) {
      if (isStorageError(err, "NotFound")) return undefined;
      throw err;
    }
  }

  /** Copies an attachment server-side, under the same document. */
  async copyAttachment(id: string, from: string, to: string): Promise<void> {
    checkName("document id", id);
    checkName("attachment name", from);
    checkName("attachment name", to);
    await this.#attachments.copyObject(`${id}/${to}`, { source: { key: `${id}/${from}` } });
  }

  /** The names of a document's attachments, in key order. */
  async listAttachments(id: string): Promise<string[]> {
    checkName("document id", id);
    const names: string[] = [];
    for await (const { key } of this.#attachments.objects({ prefix: `${id}/` })) names.push(key.slice(id.length + 1));
    return names;
  }

  /** Deletes a document and its attachments; resolves whether the document existed. */
  async deleteDocument(id: string): Promise<boolean> {
    for (const name of await this.listAttachments(id)) await this.#attachments.deleteObject(`${id}/${name}`);
    return this.#documents.delete(`doc:${id}`);
  }
}

/**
 * The service over a container's default stores: the configuration decides which providers
 * those are (see README.md).
 */
export function createDocumentService(storage: StorageContainer, options?: DocumentServiceOptions): DocumentService {
  return new DocumentService(storage.getKeyValueStore(), storage.getObjectStore(), options);
}
