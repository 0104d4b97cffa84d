import { describeKeyValueStore, describeMultipartObjectStore } from "@stowage/conformance";
import { fsKeyValueSubject, fsObjectSubject } from "./test-fs-subjects.js";

describeKeyValueStore("fs", fsKeyValueSubject());
describeMultipartObjectStore("fs", fsObjectSubject());
