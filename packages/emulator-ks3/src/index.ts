/**
 * @stowage/emulator-ks3: a local Kingsoft Cloud KS3 server speaking the S3-family wire
 * protocol, for tests and development (`startKs3Emulator`) and the CLI
 * (`stowage emulator ks3`, whose start-up lines `describeKs3Emulator` writes).
 *
 * @packageDocumentation
 */
export { startKs3Emulator } from "./server.js";
export { DEFAULT_ACCESS_KEY_ID, DEFAULT_BUCKET, DEFAULT_SECRET_ACCESS_KEY, type Ks3EmulatorOptions, type RunningKs3Emulator } from "./options.js";
export { limitsFor, quirksFor, type Ks3EmulatorLimits, type Ks3Profile, type Ks3Quirks } from "./profile.js";
export type { Ks3Faults, PerOperation } from "./faults.js";
export type { Ks3Operation } from "./route.js";
export { multipartEtag } from "./multipart-etag.js";
export { describeKs3Emulator } from "./describe-ks3-emulator.js";
