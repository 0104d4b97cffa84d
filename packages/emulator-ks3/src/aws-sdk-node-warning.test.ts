import { S3Client } from "@aws-sdk/client-s3";
import { expect, it } from "vitest";

// The AWS SDK is a test and bench dependency here, and `pnpm test` runs it on Node 20: its
// "NodeVersionSupportWarning" (emitted once per process when a client is built) is noise to
// whoever runs the tests. vitest.config.ts sets the SDK's own switch,
// AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true (read in @aws-sdk/core's
// emitWarningIfUnsupportedVersion); this fails when that setting is lost.
it("building an S3Client under the test runner emits no AWS SDK Node-version warning", async () => {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
  process.on("warning", onWarning);
  try {
    const client = new S3Client({ region: "us-east-1", endpoint: "http://127.0.0.1:9", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
    client.destroy();
    // process.emitWarning delivers on a later tick.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("warning", onWarning);
  }
  expect(warnings.filter((w) => /NodeVersionSupportWarning|AWS SDK for JavaScript/.test(w))).toEqual([]);
});
