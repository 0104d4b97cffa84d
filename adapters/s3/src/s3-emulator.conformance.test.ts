import { afterAll, beforeAll } from "vitest";
import { describeMultipartObjectStore } from "@stowage/conformance";
import { startKs3Emulator, type RunningKs3Emulator } from "@stowage/emulator-ks3";
import { TEST_SIZE_LIMITS, emulatorServer, s3Subject } from "./test-s3-subjects.js";

// The s3 adapter (aws profile, SigV4, path addressing) against the KS3 emulator's s3 profile.
let emulator: RunningKs3Emulator | undefined;
beforeAll(async () => {
  emulator = await startKs3Emulator({ port: 0, profile: "s3", limits: TEST_SIZE_LIMITS });
});
afterAll(async () => {
  await emulator?.close();
});

describeMultipartObjectStore(
  "s3 adapter on the KS3 emulator (s3 profile)",
  s3Subject(() => {
    if (!emulator) throw new Error("the emulator did not start");
    return emulatorServer(emulator);
  }, "aws", "emu"),
);
