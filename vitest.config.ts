import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Tests run against the TypeScript sources, not dist/, so `pnpm test` needs no build and a
// stack trace points at the file you edit.
const src = (dir: string) => fileURLToPath(new URL(`./${dir}/src/index.ts`, import.meta.url));
const workspace: Record<string, string> = {
  "@stowage/core": src("packages/core"),
  "@stowage/adapter-memory": src("adapters/memory"),
  "@stowage/adapter-esa-kv": src("adapters/esa-kv"),
  "@stowage/adapter-s3-family": src("adapters/s3-family"),
  "@stowage/adapter-ks3": src("adapters/ks3"),
  "@stowage/adapter-s3": src("adapters/s3"),
  "@stowage/adapter-fs": src("adapters/fs"),
  "@stowage/adapter-redis": src("adapters/redis"),
  "@stowage/transfer": src("packages/transfer"),
  "@stowage/emulator-esa-kv": src("packages/emulator-esa-kv"),
  "@stowage/emulator-ks3": src("packages/emulator-ks3"),
  "@stowage/conformance": src("conformance"),
  "@stowage/cli": src("packages/cli"),
};

export default defineConfig({
  resolve: {
    alias: Object.entries(workspace).map(([find, replacement]) => ({
      find: new RegExp(`^${find}$`),
      replacement,
    })),
  },
  test: {
    include: ["{packages,adapters,conformance,docs}/**/src/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    reporters: ["default", "./.ci/summary-reporter.ts"],
    // The AWS SDK (a test and bench dependency, never a runtime one) warns once per process that
    // its 2027 releases will need Node 22; @aws-sdk/core (emitWarningIfUnsupportedVersion) skips it
    // when this variable is "true".
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
