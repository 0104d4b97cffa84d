import { describeKeyValueStore, describeMultipartObjectStore } from "@stowage/conformance";
import { memoryKeyValueSubject, memoryObjectSubject } from "./memory-subjects.js";

describeKeyValueStore("memory", memoryKeyValueSubject());
describeMultipartObjectStore("memory", memoryObjectSubject());
