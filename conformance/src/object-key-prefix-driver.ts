/**
 * A key-prefix view of a multipart object driver: every key — written, read, listed, copied
 * from, uploaded to — lives under `prefix` in a bucket that other views share. As with
 * the key-value `keyPrefixDriver`, the manifest gives up the prefix's bytes of `keyMaxBytes`.
 *
 * A copy source in the same bucket (no `bucket` named) is a key of the view and gets the
 * prefix; a source in another bucket is passed through as named, since the view only owns
 * its own bucket.
 */
import type { CopySource, DriverCallContext, MultipartObjectStoreDriver } from "@stowage/core";

/** Returns a driver that keeps every object and upload under `prefix` in `inner`; closing it leaves `inner` open. */
export function objectKeyPrefixDriver(inner: MultipartObjectStoreDriver, prefix: string): MultipartObjectStoreDriver {
  const add = (key: string): string => prefix + key;
  const strip = (key: string): string => (key.startsWith(prefix) ? key.slice(prefix.length) : key);
  const source = (src: CopySource): CopySource => (src.bucket === undefined ? { ...src, key: add(src.key) } : src);
  return {
    limits: { ...inner.limits, keyMaxBytes: inner.limits.keyMaxBytes - Buffer.byteLength(prefix, "utf8") },
    putObject: (key, body, options, ctx: DriverCallContext) => inner.putObject(add(key), body, options, ctx),
    async getObject(key, options, ctx) {
      const result = await inner.getObject(add(key), options, ctx);
      return { ...result, info: { ...result.info, key } };
    },
    async headObject(key, options, ctx) {
      return { ...(await inner.headObject(add(key), options, ctx)), key };
    },
    deleteObject: (key, ctx) => inner.deleteObject(add(key), ctx),
    copyObject: (key, options, ctx) => inner.copyObject(add(key), { ...options, source: source(options.source) }, ctx),
    async listObjects(request, ctx) {
      const page = await inner.listObjects({ ...request, prefix: add(request.prefix ?? "") }, ctx);
      return { ...page, objects: page.objects.map((o) => ({ ...o, key: strip(o.key) })), commonPrefixes: page.commonPrefixes.map(strip) };
    },
    async createMultipartUpload(key, options, ctx) {
      return { ...(await inner.createMultipartUpload(add(key), options, ctx)), key };
    },
    uploadPart: (key, uploadId, partNumber, body, options, ctx) => inner.uploadPart(add(key), uploadId, partNumber, body, options, ctx),
    uploadPartCopy: (key, uploadId, partNumber, options, ctx) =>
      inner.uploadPartCopy(add(key), uploadId, partNumber, { ...options, source: source(options.source) }, ctx),
    async completeMultipartUpload(key, uploadId, parts, options, ctx) {
      return { ...(await inner.completeMultipartUpload(add(key), uploadId, parts, options, ctx)), key };
    },
    abortMultipartUpload: (key, uploadId, ctx) => inner.abortMultipartUpload(add(key), uploadId, ctx),
    listParts: (key, uploadId, request, ctx) => inner.listParts(add(key), uploadId, request, ctx),
    async listMultipartUploads(request, ctx) {
      const page = await inner.listMultipartUploads({ ...request, prefix: add(request.prefix ?? "") }, ctx);
      return { ...page, uploads: page.uploads.map((u) => ({ ...u, key: strip(u.key) })) };
    },
    // The URL names the prefixed key: whoever uses it writes or reads inside the view.
    ...(inner.presign ? { presign: (method, key, options, ctx) => inner.presign!(method, add(key), options, ctx) } : {}),
  };
}
