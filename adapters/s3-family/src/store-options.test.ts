import { describe, expect, it } from "vitest";
import { resolveS3Credentials } from "./credentials.js";
import { errorRow, lookupError, s3FamilyErrorTable } from "./error-table.js";
import { checkAddressingOption, checkBucketOption, checkEndpointOption } from "./store-options.js";

describe("S3-family store options", () => {
  it("checkEndpointOption() keeps only the origin and refuses a path, naming provider and field", () => {
    expect(checkEndpointOption("ks3", "http://127.0.0.1:9000/", "x").href).toBe("http://127.0.0.1:9000/");
    expect(() => checkEndpointOption("ks3", "http://h/bucket", "https://e.example")).toThrow(
      expect.objectContaining({ code: "InvalidArgument", message: expect.stringContaining('ks3 config: "endpoint"') }),
    );
  });

  it("checkBucketOption() with a name breaking the S3 rule rejects InvalidArgument", () => {
    expect(() => checkBucketOption("s3", "Bad_Bucket")).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
    expect(checkBucketOption("s3", "good-bucket")).toBe("good-bucket");
  });

  it("checkAddressingOption() refuses virtual-host for a dotted bucket over HTTPS only", () => {
    expect(() => checkAddressingOption("s3", "virtual-host", "a.b", new URL("https://s3.example"))).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
    expect(checkAddressingOption("s3", "virtual-host", "a.b", new URL("http://127.0.0.1:9000"))).toBe("virtual-host");
    expect(() => checkAddressingOption("s3", "host", "ab", new URL("https://s3.example"))).toThrow(expect.objectContaining({ code: "InvalidArgument" }));
  });
});

describe("resolveS3Credentials()", () => {
  const variables = { provider: "s3", idVariable: "ID", secretVariable: "SECRET", sessionTokenVariable: "TOKEN" };

  it("reads the token variable only when the key pair also came from the variables", () => {
    const env = { ID: "id", SECRET: "secret", TOKEN: "token" };
    expect(resolveS3Credentials(variables, {}, env).sessionToken).toBe("token");
    expect(resolveS3Credentials(variables, { accessKeyId: "other", secretAccessKey: "s" }, env).sessionToken).toBeUndefined();
  });

  it("with no key pair anywhere rejects Unauthorized naming the variables, never a value", () => {
    expect(() => resolveS3Credentials(variables, { secretAccessKey: "hush" }, {})).toThrow(
      expect.objectContaining({ code: "Unauthorized", message: expect.not.stringContaining("hush") }),
    );
  });
});

describe("s3FamilyErrorTable()", () => {
  it("a provider's status row overrides the shared one; an unlisted 5xx is retryable ServiceUnavailable", () => {
    const table = s3FamilyErrorTable({ byStatus: { 501: errorRow("Unsupported") }, byProviderCode: {} });
    expect(lookupError(table, 501, undefined)).toEqual({ code: "Unsupported", retryable: false });
    expect(lookupError(table, 404, undefined)).toEqual({ code: "NotFound", retryable: false });
    expect(lookupError(s3FamilyErrorTable({ byProviderCode: {} }), 501, undefined)).toEqual({ code: "ServiceUnavailable", retryable: true });
  });
});
