/**
 * @stowage/transfer: the transfer engine. Managed multipart upload with bounded memory,
 * per-part retry, clean-up and resume; parallel ranged download pinned to one ETag; and
 * server-side copy of any size, on any `MultipartObjectStore`.
 *
 * @packageDocumentation
 */
export { upload, uploadFile, type UploadOptions, type UploadResult } from "./upload.js";
export { download, DEFAULT_DOWNLOAD_PART_SIZE, type DownloadOptions, type DownloadResult } from "./download.js";
export { downloadFile, type DownloadFileResult } from "./download-file.js";
export { copy, type CopyOptions, type CopyResult } from "./copy.js";
export { TransferError, resumeTokenOf, type TransferErrorInit } from "./errors.js";
export type { ResumeToken, ResumeTokenPart } from "./resume-token.js";
export type { TransferProgress, ProgressListener } from "./progress.js";
export { planParts, defaultPartSize, type PartPlan } from "./part-size.js";
export { DEFAULT_TRANSFER_RETRY } from "./retry.js";
