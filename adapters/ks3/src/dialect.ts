/**
 * The KS3 dialect of the S3-family core: native `x-kss-` headers, KS3's error table and the
 * quirks of ks3-api.md §7 that the client must know about. Signing is chosen per store
 * (config `signature`): `kss-v2` (`KSS AK:sig`, the SDKs' default) or `sigv4`.
 */
import type { S3Dialect } from "@stowage/adapter-s3-family";
import { ks3Errors } from "./errors.js";

/** KS3 as the S3-family driver sees it. */
export const ks3Dialect: S3Dialect = {
  name: "ks3",
  // §1.2: "The native prefix is x-kss-"; x-amz- is accepted as an alias.
  headerPrefix: "x-kss-",
  metadataResponsePrefixes: ["x-kss-meta-", "x-amz-meta-"],
  // §1.2: "Response request-id header: X-Kss-Request-Id".
  requestIdHeader: "x-kss-request-id",
  errors: ks3Errors,
  quirks: {
    // The seed shows <CopyPartResult>; the Go SDK parses <CopyObjectResult> (§7 #7). Accept both.
    copyPartResultRoots: ["CopyPartResult", "CopyObjectResult"],
    // §4.4: "A missing key returns 404, not S3's 204."
    deleteMissingAnswers404: true,
  },
};
