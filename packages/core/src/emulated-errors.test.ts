import { describe, expect, it } from "vitest";
import { EMULATED_OBJECT_ERROR_CODES, emulatedErrors, type EmulatedErrorTable } from "./emulated-errors.js";

/** A table whose provider codes differ from the codes, so a test sees which row was used. */
const TABLE: EmulatedErrorTable<"BucketNotFound"> = {
  ...(Object.fromEntries(EMULATED_OBJECT_ERROR_CODES.map((code) => [code, { httpStatus: 400, providerCode: `P.${code}` }])) as EmulatedErrorTable),
  InvalidPartNumber: { httpStatus: 400, providerCode: "InvalidPartNum" },
  BucketNotFound: { httpStatus: 404, providerCode: "NoSuchBucket" },
};

describe("emulatedErrors()", () => {
  const errors = emulatedErrors<"BucketNotFound">(TABLE);

  it("invalidPartNumber() raises the table's status and provider code, naming operation and key", () => {
    const err = errors.invalidPartNumber(0, 1, 10_000, { operation: "uploadPart", key: "k" });
    expect(err).toMatchObject({ code: "InvalidPartNumber", httpStatus: 400, providerCode: "InvalidPartNum", operation: "uploadPart", key: "k" });
    expect(err.message).toContain("Part number 0 is not an integer in 1..10000");
  });

  it("objectNotFound() raises the NotFound row's status and provider code", () => {
    expect(errors.objectNotFound({ operation: "getObject", key: "k" })).toMatchObject({ code: "NotFound", httpStatus: 400, providerCode: "P.NotFound" });
  });

  it("invalidArgument() with a provider code raises that code instead of the row's", () => {
    expect(errors.invalidArgument("bad", { operation: "putObject" }, "InvalidRequest")).toMatchObject({ code: "InvalidArgument", providerCode: "InvalidRequest" });
  });

  it("raise() of an extra code uses its row, and a context without a key leaves key unset", () => {
    const err = errors.raise("BucketNotFound", "gone", { operation: "headObject" });
    expect(err).toMatchObject({ code: "BucketNotFound", httpStatus: 404, providerCode: "NoSuchBucket" });
    expect(err.key).toBeUndefined();
  });
});
