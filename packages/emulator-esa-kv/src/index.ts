/**
 * @stowage/emulator-esa-kv: a local Alibaba Cloud ESA Edge KV OpenAPI server (API 2024-09-10)
 * with the OpenPlatform `AuthorizeFileUpload` action and an OSS-style PostObject endpoint, so
 * the official SDK and the Stowage adapter run against it unchanged.
 *
 * @packageDocumentation
 */
export { startEsaKvEmulator, type RunningEsaKvEmulator } from "./server.js";
export {
  ESA_KV_ACTIONS,
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  DEFAULT_NAMESPACE,
  resolveEsaKvEmulatorOptions,
  type EsaKvAction,
  type EsaKvEmulatorOptions,
  type EsaKvFaults,
  type EsaKvRateLimits,
  type ResolvedEsaKvEmulatorOptions,
} from "./options.js";
export { DEFAULT_ESA_KV_EMULATOR_LIMITS, type EsaKvEmulatorLimits } from "./limits.js";
export { ESA_KV_ERRORS, EsaKvEmulatorError, type EsaKvErrorCode, type EsaKvErrorRow, type EsaKvErrorBody } from "./errors.js";
export { ESA_API_VERSION, OPEN_PLATFORM_API_VERSION } from "./router.js";
export { UPLOAD_BUCKET, UPLOAD_ACCESS_KEY_ID, type UploadGrant } from "./upload-store.js";
export { acs3CanonicalRequest, rpcV2Signature, rpcV2StringToSign, type Acs3CanonicalInput } from "./signature-verify.js";
export { describeEsaKvEmulator } from "./describe-esa-kv-emulator.js";
