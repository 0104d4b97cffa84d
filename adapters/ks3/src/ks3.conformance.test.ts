import { afterAll } from "vitest";
import { describeMultipartObjectStore } from "@stowage/conformance";
import { ks3Subject } from "./test-emulator-store.js";

// The KS3 profile with KS3's own signature and addressing; the S3 profile with SigV4, path style.
const ks3 = ks3Subject("ks3", { addressing: "virtual-host", signature: "kss-v2" });
const s3 = ks3Subject("s3", { addressing: "path", signature: "sigv4" });
describeMultipartObjectStore("ks3 on the emulator (ks3 profile, virtual-host, KSS V2)", ks3);
describeMultipartObjectStore("ks3 on the emulator (s3 profile, path, SigV4)", s3);
afterAll(async () => Promise.all([ks3.close(), s3.close()]));
