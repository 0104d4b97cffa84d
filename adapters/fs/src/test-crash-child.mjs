// Child process of crash.test.ts: writes and overwrites KV values and objects (single PUT and
// multipart Complete) on an fs root in a loop, logging each operation before it starts and
// after it resolves, until it is SIGKILLed or has done `count` operations. It imports the
// built package (dist), as an application would; `pnpm build` comes first in CI.
// Usage: node test-crash-child.mjs <root> <log file> <writer id> <count>
import { openSync, writeSync } from "node:fs";
import { FS_OBJECT_LIMITS, createFsKeyValueStore, createFsObjectStore } from "../dist/index.js";
import { crashContent, CRASH_KV_KEYS, CRASH_OBJECT_KEYS, CRASH_MULTIPART_KEYS } from "./test-crash-content.mjs";

const [root, logPath, writer, countArg] = process.argv.slice(2);
const count = Number(countArg);
const log = openSync(logPath, "a");
// writeSync: the line is in the kernel before the next operation starts, so a SIGKILL cannot lose it.
const note = (entry) => writeSync(log, `${JSON.stringify(entry)}\n`);

const kv = await createFsKeyValueStore({ root });
const objects = await createFsObjectStore({ root, limits: { ...FS_OBJECT_LIMITS, multipartMinPartBytes: 1 } });
note({ t: "ready", writer });

for (let i = 0; i < count; i++) {
  const version = `${writer}.${Date.now()}.${i}`;
  const kind = ["kv", "object", "multipart"][i % 3];
  const keys = kind === "kv" ? CRASH_KV_KEYS : kind === "object" ? CRASH_OBJECT_KEYS : CRASH_MULTIPART_KEYS;
  const key = keys[Math.floor(Math.random() * keys.length)];
  const size = kind === "kv" ? 1024 + Math.floor(Math.random() * 200_000) : 1024 + Math.floor(Math.random() * 1_500_000);
  const body = crashContent(key, version, size);
  note({ t: "begin", kind, key, version });
  if (kind === "kv") {
    await kv.put(key, body);
  } else if (kind === "object") {
    await objects.putObject(key, body, { metadata: { version } });
  } else {
    const { uploadId } = await objects.createMultipartUpload(key, { metadata: { version } });
    const cut = Math.floor(body.byteLength / 2);
    const p1 = await objects.uploadPart(key, uploadId, 1, body.subarray(0, cut));
    const p2 = await objects.uploadPart(key, uploadId, 2, body.subarray(cut));
    await objects.completeMultipartUpload(key, uploadId, [p1, p2]);
  }
  note({ t: "ack", kind, key, version });
}
await kv.close();
await objects.close();
