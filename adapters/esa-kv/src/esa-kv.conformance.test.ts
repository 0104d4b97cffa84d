import { describeKeyValueStore } from "@stowage/conformance";
import { esaKvSubject } from "./test-esa-kv-subject.js";

describeKeyValueStore("esa-kv (emulator)", esaKvSubject());
