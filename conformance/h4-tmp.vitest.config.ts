import { fileURLToPath } from "node:url";
import { defineConfig, mergeConfig } from "vitest/config";
import base from "../vitest.config.js";
export default mergeConfig(base, defineConfig({ root: fileURLToPath(new URL("..", import.meta.url)), resolve: { alias: [{ find: /^@stowage\/adapter-memory$/, replacement: "/tmp/h4/memsrc/index.ts" }] } }));
