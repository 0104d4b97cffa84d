/**
 * S3-profile fidelity (issue #13 §4–§5) and the first-run details of issue #9 §5: listing with
 * `encoding-type=url`, CreateBucket on an owned bucket, ListBuckets paging, conditional
 * writes, a Complete listing a part twice, and errors that name the missing bucket.
 */
import { afterEach, describe, expect, test } from "vitest";
import { describeKs3Emulator } from "./describe-ks3-emulator.js";
import type { Ks3EmulatorOptions, RunningKs3Emulator } from "./options.js";
import { startKs3Emulator } from "./server.js";
import { complete, initiate, putObject, tag, tags, uploadPart } from "./test-ks3-calls.js";
import { rawRequest } from "./test-raw-client.js";

const running: RunningKs3Emulator[] = [];
afterEach(async () => {
  for (const emu of running.splice(0)) await emu.close();
});
async function start(options: Ks3EmulatorOptions): Promise<RunningKs3Emulator> {
  const emu = await startKs3Emulator(options);
  running.push(emu);
  return emu;
}

describe("ListObjects with encoding-type=url", () => {
  test("keys and common prefixes are encoded keeping '/', while Prefix and Delimiter come back as sent", async () => {
    const emu = await start({ profile: "s3", buckets: ["enc"] });
    await putObject(emu, "enc", "foo%2B1/bar", "x"); // the key foo+1/bar, encoded on the request line
    await putObject(emu, "enc", "foo%2B1/sub/deep", "x");
    const flat = await rawRequest(emu, { method: "GET", path: "/enc/", query: { "encoding-type": "url", prefix: "foo+1/" } });
    expect(tags(flat.text, "Key")).toEqual(["foo%2B1/bar", "foo%2B1/sub/deep"]);
    expect(tag(flat.text, "Prefix")).toBe("foo+1/");
    const nested = await rawRequest(emu, { method: "GET", path: "/enc/", query: { "encoding-type": "url", prefix: "foo+1/", delimiter: "/" } });
    expect(tags(nested.text, "Key")).toEqual(["foo%2B1/bar"]);
    expect(nested.text).toContain("<CommonPrefixes><Prefix>foo%2B1/sub/</Prefix></CommonPrefixes>");
    expect(tag(nested.text, "Delimiter")).toBe("/");
  });
});

describe("CreateBucket on a bucket the caller owns", () => {
  test("s3 profile in us-east-1 answers 200", async () => {
    const emu = await start({ profile: "s3", buckets: ["mine"] });
    expect((await rawRequest(emu, { method: "PUT", path: "/mine" })).status).toBe(200);
  });

  test("s3 profile in another region answers 409 BucketAlreadyOwnedByYou", async () => {
    const emu = await start({ profile: "s3", region: "eu-west-1", buckets: ["mine"] });
    const res = await rawRequest(emu, { method: "PUT", path: "/mine" });
    expect(res.status).toBe(409);
    expect(res.code).toBe("BucketAlreadyOwnedByYou");
  });

  test("ks3 profile keeps 409 BucketAlreadyExists", async () => {
    const emu = await start({ buckets: ["mine"] });
    expect((await rawRequest(emu, { method: "PUT", path: "/mine" })).code).toBe("BucketAlreadyExists");
  });
});

describe("ListBuckets paging", () => {
  test("max-buckets pages through every bucket with continuation-token, each once, in order", async () => {
    const names = ["b-alpha", "b-beta", "b-delta", "b-epsilon", "b-gamma"];
    const emu = await start({ profile: "s3", buckets: names });
    const seen: string[] = [];
    let token: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await rawRequest(emu, { method: "GET", path: "/", query: { "max-buckets": "2", ...(token ? { "continuation-token": token } : {}) } });
      expect(res.status).toBe(200);
      const listed = tags(res.text, "Name");
      expect(listed.length).toBeLessThanOrEqual(2);
      seen.push(...listed);
      token = tag(res.text, "ContinuationToken");
      if (token === undefined) break;
    }
    expect(seen).toEqual(names);
  });

  test("max-buckets 0 rejects 400 InvalidArgument; without it every bucket is listed", async () => {
    const emu = await start({ profile: "s3", buckets: ["one-b", "two-b"] });
    expect((await rawRequest(emu, { method: "GET", path: "/", query: { "max-buckets": "0" } })).code).toBe("InvalidArgument");
    const all = await rawRequest(emu, { method: "GET", path: "/" });
    expect(tags(all.text, "Name")).toEqual(["one-b", "two-b"]);
    expect(tag(all.text, "ContinuationToken")).toBeUndefined();
  });
});

describe("conditional writes (s3 profile)", () => {
  test("PutObject with If-None-Match: * creates an absent key and rejects 412 PreconditionFailed once it exists", async () => {
    const emu = await start({ profile: "s3", buckets: ["cond"] });
    expect((await putObject(emu, "cond", "k", "first", { "if-none-match": "*" })).status).toBe(200);
    const second = await putObject(emu, "cond", "k", "second", { "if-none-match": "*" });
    expect(second.status).toBe(412);
    expect(second.code).toBe("PreconditionFailed");
    expect((await rawRequest(emu, { method: "GET", path: "/cond/k" })).text).toBe("first");
  });

  test("PutObject with If-Match replaces only the named version; a stale ETag is 412, a missing key 404 NoSuchKey", async () => {
    const emu = await start({ profile: "s3", buckets: ["cond"] });
    const v1 = (await putObject(emu, "cond", "k", "v1")).headers["etag"]!;
    const v2 = (await putObject(emu, "cond", "k", "v2", { "if-match": v1 })).headers["etag"]!;
    expect(v2).not.toBe(v1);
    expect((await putObject(emu, "cond", "k", "v3", { "if-match": v1 })).code).toBe("PreconditionFailed");
    // S3 User Guide, "Conditional writes": If-Match on a key with no object is 404 NoSuchKey.
    const absent = await putObject(emu, "cond", "absent", "x", { "if-match": v1 });
    expect([absent.status, absent.code]).toEqual([404, "NoSuchKey"]);
    expect((await rawRequest(emu, { method: "GET", path: "/cond/k" })).text).toBe("v2");
  });

  test("two concurrent PutObject with If-None-Match: * on one key: exactly one wins", async () => {
    const emu = await start({ profile: "s3", buckets: ["cond"] });
    const body = "y".repeat(200_000);
    const results = await Promise.all([putObject(emu, "cond", "race", body, { "if-none-match": "*" }), putObject(emu, "cond", "race", body, { "if-none-match": "*" })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
  });

  test("CompleteMultipartUpload with If-None-Match: * rejects 412 when the key exists; If-Match with its ETag completes", async () => {
    const emu = await start({ profile: "s3", buckets: ["cond"], limits: { multipartMinPartBytes: 1 } });
    const current = (await putObject(emu, "cond", "mp", "old")).headers["etag"]!;
    const id = await initiate(emu, "cond", "mp");
    const etag = (await uploadPart(emu, "cond", "mp", id, 1, "new")).headers["etag"]!;
    const body = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part></CompleteMultipartUpload>`;
    const refused = await rawRequest(emu, { method: "POST", path: "/cond/mp", query: { uploadId: id }, body, headers: { "if-none-match": "*" } });
    expect(refused.status).toBe(412);
    const done = await rawRequest(emu, { method: "POST", path: "/cond/mp", query: { uploadId: id }, body, headers: { "if-match": current } });
    expect(done.status).toBe(200);
    expect((await rawRequest(emu, { method: "GET", path: "/cond/mp" })).text).toBe("new");
  });

  test("CompleteMultipartUpload with If-Match on a missing key rejects 404 NoSuchKey and with a stale ETag 412; the upload stays open", async () => {
    const emu = await start({ profile: "s3", buckets: ["cond"], limits: { multipartMinPartBytes: 1 } });
    const id = await initiate(emu, "cond", "mp");
    const etag = (await uploadPart(emu, "cond", "mp", id, 1, "new")).headers["etag"]!;
    const body = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part></CompleteMultipartUpload>`;
    const missing = await rawRequest(emu, { method: "POST", path: "/cond/mp", query: { uploadId: id }, body, headers: { "if-match": '"0123456789abcdef0123456789abcdef"' } });
    expect([missing.status, missing.code]).toEqual([404, "NoSuchKey"]);
    await putObject(emu, "cond", "mp", "old");
    const stale = await rawRequest(emu, { method: "POST", path: "/cond/mp", query: { uploadId: id }, body, headers: { "if-match": '"0123456789abcdef0123456789abcdef"' } });
    expect([stale.status, stale.code]).toEqual([412, "PreconditionFailed"]);
    expect((await rawRequest(emu, { method: "GET", path: "/cond/mp" })).text).toBe("old");
    expect((await complete(emu, "cond", "mp", id, [[1, etag]])).status).toBe(200);
    expect((await rawRequest(emu, { method: "GET", path: "/cond/mp" })).text).toBe("new");
  });

  test("two concurrent CompleteMultipartUpload with If-None-Match: * on one key: exactly one wins and the object is its parts", async () => {
    const emu = await start({ profile: "s3", buckets: ["cond"], limits: { multipartMinPartBytes: 1 } });
    const uploads = await Promise.all(
      ["a", "b"].map(async (content) => {
        const id = await initiate(emu, "cond", "race");
        const etag = (await uploadPart(emu, "cond", "race", id, 1, content)).headers["etag"]!;
        return { id, content, body: `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${etag}</ETag></Part></CompleteMultipartUpload>` };
      }),
    );
    const results = await Promise.all(uploads.map((u) => rawRequest(emu, { method: "POST", path: "/cond/race", query: { uploadId: u.id }, body: u.body, headers: { "if-none-match": "*" } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
    const winner = uploads[results.findIndex((r) => r.status === 200)]!;
    expect((await rawRequest(emu, { method: "GET", path: "/cond/race" })).text).toBe(winner.content);
  });

  test("the ks3 profile ignores If-None-Match on PutObject (KS3 does not document conditional writes)", async () => {
    const emu = await start({ buckets: ["cond"] });
    await putObject(emu, "cond", "k", "first");
    expect((await putObject(emu, "cond", "k", "second", { "if-none-match": "*" })).status).toBe(200);
  });
});

describe("CompleteMultipartUpload listing a part number twice", () => {
  // S3 requires the list "in ascending order by part number" and refuses a repeat with
  // InvalidPartOrder ("The list of parts was not in ascending order"), which uppy users hit
  // against AWS (transloadit/uppy#2324); the emulator follows it in both profiles.
  for (const profile of ["s3", "ks3"] as const) {
    test(`${profile} profile rejects 400 InvalidPartOrder and leaves the upload completable`, async () => {
      const emu = await start({ profile, buckets: ["dup"], limits: { multipartMinPartBytes: 1 } });
      const id = await initiate(emu, "dup", "k");
      const etag = (await uploadPart(emu, "dup", "k", id, 1, "part")).headers["etag"]!;
      const dup = await complete(emu, "dup", "k", id, [[1, etag], [1, etag]]);
      expect(dup.status).toBe(400);
      expect(dup.code).toBe("InvalidPartOrder");
      expect((await complete(emu, "dup", "k", id, [[1, etag]])).status).toBe(200);
    });
  }
});

describe("missing buckets are named", () => {
  test("NoSuchBucket's message names the bucket", async () => {
    const emu = await start({});
    const res = await rawRequest(emu, { method: "GET", path: "/reports/q3.csv" });
    expect(res.code).toBe("NoSuchBucket");
    expect(tag(res.text, "Message")).toContain("reports");
  });

  test("the start-up banner lists the buckets, or says how to create one", async () => {
    const none = await start({});
    expect(describeKs3Emulator(none, {}).join("\n")).toContain("buckets:           (none: create one with --bucket NAME)");
    const some = await start({ buckets: ["stowage", "reports"] });
    expect(describeKs3Emulator(some, {}).join("\n")).toContain("buckets:           reports, stowage");
  });
});
