import { describe, expect, it } from "vitest";
import { formatQuery, resolveTarget } from "./s3-request.js";
import { encodeObjectKey } from "./uri-encode.js";

describe("encodeObjectKey", () => {
  it.each([
    ["photos/2021/a b*.jpg", "photos/2021/a%20b%2A.jpg"],
    ["~tilde-_.", "~tilde-_."],
    ["a//b", "a/%2Fb"],
    ["/lead", "%2Flead"],
    ["ü+?#%", "%C3%BC%2B%3F%23%25"],
  ])("encodeObjectKey(%j) is %j", (key, encoded) => {
    expect(encodeObjectKey(key)).toBe(encoded);
  });
});

describe("resolveTarget", () => {
  const q = new URLSearchParams([["partNumber", "1"], ["uploadId", "u 1"]]);

  it("resolveTarget() in path style puts the bucket in the path and keeps the endpoint host", () => {
    const t = resolveTarget(new URL("http://127.0.0.1:9000"), "path", { bucket: "b", key: "a b", query: q });
    expect(t).toEqual({ origin: "http://127.0.0.1:9000", host: "127.0.0.1:9000", path: "/b/a%20b", search: "partNumber=1&uploadId=u%201", resource: "/b/a%20b" });
  });

  it("resolveTarget() in virtual-host style on a DNS endpoint connects to bucket.endpoint", () => {
    const t = resolveTarget(new URL("https://ks3-cn-beijing.ksyuncs.com"), "virtual-host", { bucket: "b", key: "k", query: new URLSearchParams() });
    expect(t.origin).toBe("https://b.ks3-cn-beijing.ksyuncs.com");
    expect(t.host).toBe("b.ks3-cn-beijing.ksyuncs.com");
    expect(t.path).toBe("/k");
    expect(t.resource).toBe("/b/k");
  });

  it("resolveTarget() in virtual-host style on an IP endpoint connects to the IP and names the bucket in Host", () => {
    const t = resolveTarget(new URL("http://127.0.0.1:9000"), "virtual-host", { bucket: "b", query: new URLSearchParams("uploads") });
    expect(t.origin).toBe("http://127.0.0.1:9000");
    expect(t.host).toBe("b.127.0.0.1:9000");
    expect(t.path).toBe("/");
    expect(t.search).toBe("uploads");
    expect(t.resource).toBe("/b/");
  });

  it("formatQuery() writes a valueless sub-resource bare and RFC 3986-encodes the rest", () => {
    expect(formatQuery(new URLSearchParams([["uploads", ""], ["prefix", "a b/*"]]))).toBe("uploads&prefix=a%20b%2F%2A");
  });
});
