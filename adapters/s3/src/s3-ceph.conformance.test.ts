import { afterAll, beforeAll, describe, it } from "vitest";
import { describeMultipartObjectStore } from "@stowage/conformance";
import { cephRgwUnavailableReason, startCephRgw, type RunningCephRgw } from "./ceph-rgw-server.js";
import { CEPH_TEST_LIMITS, CEPH_TEST_SETTINGS, s3Subject } from "./test-s3-subjects.js";

// The s3 adapter's conformance on a real engine: a throwaway Ceph RGW 16 on loopback, under
// the `ceph-rgw-16` profile whose manifest declares what Ceph does differently.
const unavailable = cephRgwUnavailableReason();

if (unavailable) {
  describe("s3 adapter on Ceph RGW (ceph-rgw-16 profile)", () => {
    // Locally a visible skip with the reason; in CI (.ci/run installs Ceph) a missing Ceph is a failure, never a pass.
    it("runs on Ceph RGW", (ctx) => {
      if (process.env["CI"]) throw new Error(`Ceph RGW must run in CI: ${unavailable}`);
      ctx.skip(`skipped: ${unavailable}`);
    });
  });
} else {
  let rgw: RunningCephRgw | undefined;
  beforeAll(async () => {
    rgw = await startCephRgw({ gatewaySettings: CEPH_TEST_SETTINGS });
  }, 120_000);
  afterAll(async () => {
    await rgw?.close();
  }, 30_000);
  describeMultipartObjectStore(
    "s3 adapter on Ceph RGW (ceph-rgw-16 profile)",
    s3Subject(() => {
      if (!rgw) throw new Error("Ceph RGW did not start");
      return rgw;
    }, "ceph-rgw-16", "ceph", CEPH_TEST_LIMITS, true),
  );
}
