/**
 * @stowage/conformance: the shared suite every adapter runs, its runner and its reports.
 *
 * - From a vitest file: {@link describeKeyValueStore} / {@link describeMultipartObjectStore}.
 * - Outside a test framework: {@link runConformance}, then a renderer
 *   ({@link renderTerminalReport}, {@link renderJsonReport}, {@link renderJunitReport},
 *   {@link renderHtmlReport}).
 * - The catalogue of cases: {@link keyValueStoreCases}, {@link multipartObjectStoreCases}.
 *
 * @packageDocumentation
 */
export * from "./subject.js";
export * from "./case.js";
export * from "./case-context.js";
export { ConformanceFailure } from "./assertions.js";
export { executeCase, type CaseOutcome, type ClosableStore, type ExecuteCaseOptions, type SubjectBase } from "./execute-case.js";
export { keyValueStoreCases } from "./key-value-store-cases.js";
export { multipartObjectStoreCases } from "./multipart-object-store-cases.js";
export * from "./report.js";
export * from "./run-conformance.js";
export * from "./describe-suites.js";
export * from "./render-terminal-report.js";
export * from "./render-json-report.js";
export * from "./render-junit-report.js";
export * from "./render-html-report.js";
export * from "./memory-subjects.js";
export { redactCredentials } from "./redact-credentials.js";
export { keyPrefixDriver } from "./key-prefix-driver.js";
export { objectKeyPrefixDriver } from "./object-key-prefix-driver.js";
