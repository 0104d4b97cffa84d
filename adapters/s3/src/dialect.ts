/**
 * The S3 dialect of the S3-family core: `x-amz-` headers, `x-amz-request-id`, S3's error table
 * and AWS's behaviour (DeleteObject of a missing key answers 204; UploadPartCopy answers
 * `<CopyPartResult>`). Compatible engines differ in their manifest (`declaredDivergences`),
 * never here.
 */
import type { S3Dialect } from "@stowage/adapter-s3-family";
import { s3Errors } from "./errors.js";

/** AWS S3 as the S3-family driver sees it. */
export const s3Dialect: S3Dialect = {
  name: "s3",
  headerPrefix: "x-amz-",
  metadataResponsePrefixes: ["x-amz-meta-"],
  requestIdHeader: "x-amz-request-id",
  errors: s3Errors,
  quirks: {
    copyPartResultRoots: ["CopyPartResult"],
    deleteMissingAnswers404: false,
  },
};
