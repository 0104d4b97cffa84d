/** ListBuckets, CreateBucket, HeadBucket and DeleteBucket. */
import { emptyResponse, isoTime, OWNER, xmlResponse, type EmulatorContext, type Ks3Request, type Ks3Response } from "./context.js";
import { isValidBucketName } from "./bucket-name.js";
import { Ks3Error } from "./errors.js";
import { readSmallBody } from "./request-body.js";

/** S3 ListBuckets: "max-buckets … Valid Range: Minimum value of 1. Maximum value of 10000." */
const MAX_BUCKETS = 10_000;

/**
 * ListBuckets: `GET /` on the service. With `max-buckets` the answer is a page, continued by
 * the opaque `continuation-token` it returns (S3, 2024); `prefix` filters names. Without
 * `max-buckets` every bucket is listed, as before paging existed.
 */
export async function listBuckets(ctx: EmulatorContext, req: Ks3Request): Promise<Ks3Response> {
  const q = req.query;
  const prefix = q.get("prefix") ?? "";
  const rawMax = q.get("max-buckets");
  const max = rawMax === null ? undefined : /^\d{1,5}$/.test(rawMax) ? Number(rawMax) : NaN;
  if (max !== undefined && !(max >= 1 && max <= MAX_BUCKETS)) throw new Ks3Error("InvalidArgument", "max-buckets must be an integer between 1 and 10000.");
  const token = q.get("continuation-token");
  const after = token === null ? undefined : Buffer.from(token, "base64url").toString("utf8");
  const matching = [...ctx.state.buckets.values()]
    .filter((b) => b.name.startsWith(prefix) && (after === undefined || b.name > after))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const page = max === undefined ? matching : matching.slice(0, max);
  const next = page.length < matching.length ? Buffer.from(page[page.length - 1]!.name).toString("base64url") : undefined;
  return xmlResponse("ListAllMyBucketsResult", [
    ["Owner", OWNER],
    [
      "Buckets",
      page.map(
        (b) =>
          [
            "Bucket",
            [
              ["Name", b.name],
              ["CreationDate", isoTime(b.created)],
            ],
          ] as const,
      ),
    ],
    ["ContinuationToken", next],
    ["Prefix", q.has("prefix") ? prefix : undefined],
  ]);
}

/** CreateBucket: `PUT /{bucket}`; the optional location body is read and ignored (one region). */
export async function createBucket(ctx: EmulatorContext, req: Ks3Request): Promise<Ks3Response> {
  const name = req.address.bucket!;
  if (!isValidBucketName(name)) throw new Ks3Error("InvalidBucketName");
  await readSmallBody(req.body(), ctx.limits.xmlBodyMaxBytes);
  if (!ctx.state.addBucket(name, ctx.clock.now())) {
    // The emulator has one account, so an existing bucket is always the caller's own.
    if (!ctx.quirks.createOwnBucketAsS3) throw new Ks3Error("BucketAlreadyExists");
    // S3 CreateBucket: "In the North Virginia Region (us-east-1), Amazon S3 returns 200 OK and
    // resets the bucket access control lists"; elsewhere 409 BucketAlreadyOwnedByYou.
    if (ctx.region !== "us-east-1") throw new Ks3Error("BucketAlreadyOwnedByYou");
    return emptyResponse(200, { location: `/${name}` });
  }
  await ctx.persist();
  return emptyResponse(200, { location: `/${name}` });
}

/** HeadBucket: 200, or 404 without a body. */
export async function headBucket(ctx: EmulatorContext, req: Ks3Request): Promise<Ks3Response> {
  ctx.state.bucket(req.address.bucket);
  return emptyResponse(200);
}

/** DeleteBucket: 204; `BucketNotEmpty` (409) while it holds objects or uploads (C-SDK `delete_object.c:103-106`). */
export async function deleteBucket(ctx: EmulatorContext, req: Ks3Request): Promise<Ks3Response> {
  const bucket = ctx.state.bucket(req.address.bucket);
  if (bucket.objects.size > 0 || bucket.uploads.size > 0) throw new Ks3Error("BucketNotEmpty");
  ctx.state.buckets.delete(bucket.name);
  await ctx.persist();
  return emptyResponse(204);
}
