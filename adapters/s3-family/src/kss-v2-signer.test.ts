import { describe, expect, it } from "vitest";
import { kssV2Authorization, kssV2PresignQuery, kssV2Signature, kssV2StringToSign } from "./kss-v2-signer.js";
import { encodeObjectKey } from "./uri-encode.js";

// ks3-api.md §2.3: published vectors from ks3sdk/ks3-nodejs-sdk test/auth.js, and the
// multipart vectors recomputed independently in the reference.
const SECRET = "dWSmyMmVcpahaZphUdyVz11myMIoCAsOKeZ6wi4T";
const AK = "WRHLHOZQD3OY3VTROMGQ";
const DATE = "Tue, 30 Nov 2021 06:29:38 GMT";
const UPLOAD_ID = "0004B9B2D2F7815C432C9057C031";
const RESOURCE = `/my-bucket/${encodeObjectKey("photos/2021/a b*.jpg")}`;

describe("kssV2Signature", () => {
  it.each([
    ["GET\n\n\nFri, 17 Oct 2014 10:08:22 GMT\n/", "2lxTJjvP1ndsKASapBxLeIUzhkQ="],
    ["PUT\n\n\nFri, 17 Oct 2014 10:00:18 GMT\n/guoliang11/?acl", "+V7+A8ib9uLqix87F8BRfTbcHSg="],
    ["GET\n\n\n1470364688\n/myBucketName/myObjectKey", "cmS1SEsm62qmgSyK3vrDKTFCPxQ="],
  ])("kssV2Signature() of the published Node SDK vector %j is %s", (sts, sig) => {
    expect(kssV2Signature(sts, SECRET)).toBe(sig);
  });
});

describe("kssV2StringToSign", () => {
  it("kssV2StringToSign() of a service GET matches the Node SDK vector and signs to 2lxTJjvP…", () => {
    const req = {
      method: "GET",
      resource: "/",
      query: new URLSearchParams(),
      headers: { date: "Fri, 17 Oct 2014 10:08:22 GMT" },
      headerPrefix: "x-kss-" as const,
    };
    expect(kssV2StringToSign(req)).toBe("GET\n\n\nFri, 17 Oct 2014 10:08:22 GMT\n/");
    expect(kssV2Authorization(req, AK, SECRET)).toBe(`KSS ${AK}:2lxTJjvP1ndsKASapBxLeIUzhkQ=`);
  });

  it("kssV2StringToSign() with expires uses it in place of the Date line (presigned URL vector)", () => {
    const sts = kssV2StringToSign({
      method: "GET",
      resource: "/myBucketName/myObjectKey",
      query: new URLSearchParams({ KSSAccessKeyId: AK, Expires: "1470364688", Signature: "x" }),
      headers: {},
      headerPrefix: "x-kss-",
      expires: "1470364688",
    });
    expect(kssV2Signature(sts, SECRET)).toBe("cmS1SEsm62qmgSyK3vrDKTFCPxQ=");
  });

  it("encodeObjectKey() encodes space as %20 and * as %2A (Go/Java form)", () => {
    expect(RESOURCE).toBe("/my-bucket/photos/2021/a%20b%2A.jpg");
  });

  it("kssV2StringToSign() for Initiate signs x-kss headers sorted and ?uploads, giving IFzYY7oK…", () => {
    const sts = kssV2StringToSign({
      method: "POST",
      resource: RESOURCE,
      query: new URLSearchParams("uploads"),
      headers: {
        "content-type": "application/octet-stream",
        date: DATE,
        "x-kss-meta-author": "alice",
        "x-kss-acl": "private",
        host: "my-bucket.ks3-cn-beijing.ksyuncs.com",
      },
      headerPrefix: "x-kss-",
    });
    expect(sts).toBe(
      `POST\n\napplication/octet-stream\n${DATE}\nx-kss-acl:private\nx-kss-meta-author:alice\n${RESOURCE}?uploads`,
    );
    expect(kssV2Signature(sts, SECRET)).toBe("IFzYY7oKfVQarOrQ6mMHO0wFBrk=");
  });

  it("kssV2StringToSign() for UploadPart sorts partNumber before uploadId, giving YE+JXRx8…", () => {
    const sts = kssV2StringToSign({
      method: "PUT",
      resource: RESOURCE,
      query: new URLSearchParams({ uploadId: UPLOAD_ID, partNumber: "1" }),
      headers: { "content-md5": "1B2M2Y8AsgTpgAmY7PhCfg==", date: DATE },
      headerPrefix: "x-kss-",
    });
    expect(kssV2Signature(sts, SECRET)).toBe("YE+JXRx82KsjeJnhLKJFwmP6fSs=");
  });

  it("kssV2StringToSign() for UploadPartCopy includes copy-source headers, giving 48mt9lun…", () => {
    const sts = kssV2StringToSign({
      method: "PUT",
      resource: RESOURCE,
      query: new URLSearchParams({ partNumber: "2", uploadId: UPLOAD_ID }),
      headers: {
        date: DATE,
        "x-kss-copy-source-range": "bytes=0-5242879",
        "x-kss-copy-source": "/src-bucket/dir/obj.bin",
      },
      headerPrefix: "x-kss-",
    });
    expect(kssV2Signature(sts, SECRET)).toBe("48mt9lunUJE4aeR1gQO+0GmLOg8=");
  });

  it("kssV2StringToSign() for Complete signs text/xml and ?uploadId, giving +hM8raQy…", () => {
    const sts = kssV2StringToSign({
      method: "POST",
      resource: RESOURCE,
      query: new URLSearchParams({ uploadId: UPLOAD_ID }),
      headers: { "content-type": "text/xml", date: DATE },
      headerPrefix: "x-kss-",
    });
    expect(kssV2Signature(sts, SECRET)).toBe("+hM8raQyabBlA8+9GF74o+zVyn4=");
  });

  it("kssV2StringToSign() leaves listing parameters out and keeps response-* overrides", () => {
    const sts = kssV2StringToSign({
      method: "GET",
      resource: "/b/",
      query: new URLSearchParams({ prefix: "p/", marker: "m", "max-keys": "5", delimiter: "/" }),
      headers: { date: DATE },
      headerPrefix: "x-kss-",
    });
    expect(sts).toBe(`GET\n\n\n${DATE}\n/b/`);
    const sts2 = kssV2StringToSign({
      method: "GET",
      resource: "/b/k",
      query: new URLSearchParams({ "response-content-type": "text/plain", foo: "1" }),
      headers: { date: DATE },
      headerPrefix: "x-kss-",
    });
    expect(sts2).toBe(`GET\n\n\n${DATE}\n/b/k?response-content-type=text/plain`);
  });

  it("kssV2StringToSign() with the x-amz- prefix canonicalizes x-amz-* only and empties Date when x-amz-date is set", () => {
    const req = {
      method: "PUT",
      resource: "/b/k",
      query: new URLSearchParams(),
      headers: { date: DATE, "x-amz-date": DATE, "x-kss-acl": "private", "x-amz-meta-a": " 1 " },
      headerPrefix: "x-amz-" as const,
    };
    expect(kssV2StringToSign(req)).toBe(`PUT\n\n\n\nx-amz-date:${DATE}\nx-amz-meta-a:1\n/b/k`);
    expect(kssV2Authorization(req, AK, SECRET)).toMatch(new RegExp(`^AWS ${AK}:[A-Za-z0-9+/]+=*$`));
  });
});

describe("kssV2PresignQuery", () => {
  it("kssV2PresignQuery() of the published presigned GET (Expires=1470364688) carries Signature cmS1SEsm…", () => {
    const q = kssV2PresignQuery(
      { method: "GET", resource: "/myBucketName/myObjectKey", query: new URLSearchParams(), headers: {}, headerPrefix: "x-kss-", expires: 1470364688 },
      AK,
      SECRET,
    );
    expect([...q]).toEqual([
      ["KSSAccessKeyId", AK],
      ["Expires", "1470364688"],
      ["Signature", "cmS1SEsm62qmgSyK3vrDKTFCPxQ="],
    ]);
  });

  it("kssV2PresignQuery() signs the content type and x-kss-meta-* headers of a presigned PUT on their lines", () => {
    const req = {
      method: "PUT",
      resource: "/b/k",
      query: new URLSearchParams(),
      headers: { "content-type": "text/plain", "x-kss-meta-owner": "ann" },
      headerPrefix: "x-kss-" as const,
      expires: 1470364688,
    };
    const q = kssV2PresignQuery(req, AK, SECRET);
    expect(q.get("Signature")).toBe(kssV2Signature("PUT\n\ntext/plain\n1470364688\nx-kss-meta-owner:ann\n/b/k", SECRET));
  });

  it("kssV2PresignQuery() in the x-amz- form names the key AWSAccessKeyId, as the aws-sdk-go fork presigns", () => {
    const q = kssV2PresignQuery({ method: "GET", resource: "/b/k", query: new URLSearchParams(), headers: {}, headerPrefix: "x-amz-", expires: 1 }, AK, SECRET);
    expect(q.get("AWSAccessKeyId")).toBe(AK);
    expect(q.has("KSSAccessKeyId")).toBe(false);
  });
});
