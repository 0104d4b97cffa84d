/**
 * @stowage/adapter-s3-family: the S3-family protocol core (signers, request building, XML,
 * error mapping, the dialect-parameterized multipart driver) shared by KS3 and generic S3.
 *
 * @packageDocumentation
 */
export * from "./uri-encode.js";
export * from "./credentials.js";
export * from "./store-options.js";
export * from "./kss-v2-signer.js";
export * from "./sigv4-signer.js";
export * from "./aws-chunked.js";
export * from "./xml.js";
export * from "./error-table.js";
export * from "./dialect.js";
export * from "./s3-request.js";
export * from "./requests.js";
export * from "./responses.js";
export * from "./list-cursor.js";
export * from "./request-signer.js";
export * from "./presign-request.js";
export * from "./http-client.js";
export * from "./s3-family-driver.js";
